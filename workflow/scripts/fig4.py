from invariance.artifacts import read_table
from invariance.figures import fig4
from invariance.logs import job_log

with job_log(snakemake):
    probes = read_table(snakemake.input.probes)
    print(probes.groupby(["target", "pretrain_dataset"])["accuracy"].agg(["mean", "std", "count"]).to_string())
    fig4.plot(probes, snakemake.output.pdf, snakemake.params.recipe)
