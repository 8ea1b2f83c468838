from invariance.device import set_threads
from invariance.logs import logged
from invariance.pasted import render_dataset_file

with logged(snakemake.log[0], snakemake.rule):
    set_threads(snakemake.threads)
    print(snakemake.params.spec)
    render_dataset_file(snakemake.input.pool, snakemake.input.cifar, snakemake.params.spec, snakemake.output[0])
