from invariance.artifacts import read_table
from invariance.figures import curves
from invariance.logs import job_log

with job_log(snakemake):
    training = read_table(snakemake.input.training)
    print(curves.below_regime(training).to_string())
    curves.plot(training, snakemake.output.pdf, snakemake.params.recipe)
