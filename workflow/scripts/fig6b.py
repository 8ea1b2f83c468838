from invariance.artifacts import read_table
from invariance.figures import fig6b
from invariance.logs import job_log

with job_log(snakemake):
    l2 = read_table(snakemake.input.l2)
    print(l2.groupby(["architecture", "dataset", "model"])["l2_ratio"].agg(["mean", "std", "count"]).to_string())
    p = snakemake.params
    fig6b.plot(l2, p.datasets, p.models, snakemake.output.pdf, p.recipe)
