from invariance import tables
from invariance.figures import fig2
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    probes = tables.read(snakemake.input.probes)
    print(fig2.summary(probes).to_string())
    fig2.plot(probes, snakemake.params.palette, snakemake.output.pdf, snakemake.params.recipe)
