from invariance.arrays import save_arrays
from invariance.assets import offline
from invariance.atomic import write_text
from invariance.logs import job_log

with job_log(snakemake):
    save_arrays(snakemake.output.pool, offline.build_pool())
    write_text(snakemake.output.license, offline.license_text())
