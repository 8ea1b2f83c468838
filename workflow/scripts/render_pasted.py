from invariance.device import set_threads
from invariance.logs import job_log
from invariance.pasted import render_dataset_file

with job_log(snakemake):
    set_threads(snakemake.threads)
    print(snakemake.params.spec)
    render_dataset_file(snakemake.input.pool, snakemake.input.cifar, snakemake.params.spec, snakemake.output[0])
