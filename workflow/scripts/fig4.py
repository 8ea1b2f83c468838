from invariance import tables
from invariance.figures import fig4
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    probes = tables.read(snakemake.input.probes)
    print(probes.groupby(["target", "pretrain_dataset"])["accuracy"].agg(["mean", "std", "count"]).to_string())
    fig4.plot(probes, snakemake.output.pdf, snakemake.params.recipe)
