from invariance.artifacts import read_table
from invariance.figures import heatmap
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    probes = read_table(snakemake.input.probes)
    mean, std = heatmap.matrix(probes)
    print(mean.round(3).to_string())
    heatmap.plot(probes, p.title, p.cifar, snakemake.output.pdf, p.recipe)
