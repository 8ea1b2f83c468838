from invariance.arrays import load_arrays
from invariance.figures import fig7
from invariance.logs import job_log

with job_log(snakemake):
    pool, cifar = load_arrays(snakemake.input.pool), load_arrays(snakemake.input.cifar)
    rows, labels = fig7.example_rows(cifar, pool["foregrounds"], snakemake.params.samples)
    fig7.plot(rows, cifar["class_names"], labels, snakemake.params.assets, snakemake.output.pdf)
