from invariance import tables
from invariance.logs import logged

with logged(snakemake.log[0]):
    tables.write(tables.probe_table(list(snakemake.input), expected=len(snakemake.input)), snakemake.output[0])
