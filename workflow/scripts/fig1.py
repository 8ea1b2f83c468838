from invariance.arrays import load_arrays
from invariance.figures import fig1
from invariance.logs import job_log

with job_log(snakemake):
    pool = load_arrays(snakemake.input.pool)
    p = snakemake.params
    rows = fig1.example_rows(pool["foregrounds"], pool["backgrounds"], p.categories, p.samples)
    fig1.plot(rows, snakemake.params.assets, snakemake.output.pdf, len(pool["backgrounds"]))
