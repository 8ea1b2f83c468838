from invariance import tables
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    p = snakemake.params
    tables.write(tables.sensitivity_table(p.jobs, list(snakemake.input), p.run), snakemake.output[0])
