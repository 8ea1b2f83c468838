from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    tables.write(tables.sensitivity_table(p.jobs, list(snakemake.input), p.run), snakemake.output[0])
