from invariance import tables
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    p = snakemake.params
    tables.write(tables.probe_table(p.rows, p.files, p.run), snakemake.output[0])
