from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    tables.write(
        tables.sensitivity_table(p.jobs, snakemake.input.results, p.run | tables.pool_columns(snakemake.input.pool)),
        snakemake.output[0],
    )
