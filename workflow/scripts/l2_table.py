from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    tables.write(tables.l2_table(list(snakemake.input), snakemake.params.run), snakemake.output[0])
