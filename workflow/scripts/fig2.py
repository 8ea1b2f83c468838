from invariance.artifacts import read_table
from invariance.figures import fig2
from invariance.logs import job_log

with job_log(snakemake):
    probes = read_table(snakemake.input.probes)
    print(fig2.summary(probes).to_string())
    fig2.plot(probes, snakemake.params.palette, snakemake.output.pdf, snakemake.params.recipe)
