from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    tables.write(
        tables.l2_table(snakemake.input.results, snakemake.params.run | tables.pool_columns(snakemake.input.pool)),
        snakemake.output[0],
    )
