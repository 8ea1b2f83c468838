from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    files = dict(zip(p.files, snakemake.input))  # the inputs' paths: they carry a module's prefix, params do not
    tables.write(tables.probe_table(p.rows, files, p.run), snakemake.output[0])
