from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    tables.write(tables.probe_table(p.rows, p.files, p.run), snakemake.output[0])
