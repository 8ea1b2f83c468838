from invariance.arrays import save_arrays
from invariance.assets import cifar_standin
from invariance.atomic import write_text
from invariance.logs import job_log

with job_log(snakemake):
    save_arrays(snakemake.output.cifar, cifar_standin.build())
    write_text(snakemake.output.license, cifar_standin.LICENSE_TEXT)
