import pandas as pd

from invariance.figures import heatmap
from invariance.logs import logged

with logged(snakemake.log[0]):
    probes = pd.read_parquet(snakemake.input.probes)
    experiment = snakemake.wildcards.figure.removesuffix("a")
    mean, std = heatmap.matrix(probes, experiment)
    print(mean.round(3).to_string())
    heatmap.plot(probes, experiment, snakemake.output.pdf, snakemake.params.recipe)
