from invariance import tables
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    tables.write(tables.l2_table(list(snakemake.input), snakemake.params.run), snakemake.output[0])
