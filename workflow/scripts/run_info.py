from invariance import records
from invariance.logs import job_log

with job_log(snakemake):
    records.write(snakemake.output[0], "run info", snakemake.params.info)
