from invariance import tables
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    # The inputs' paths (they carry a module's prefix, params do not), then the look decisions they rest on.
    files = dict(zip(p.files, snakemake.input[: len(p.files)], strict=True))
    tables.write(
        tables.probe_table(p.rows, files, p.run | tables.pool_columns(snakemake.input.pool)), snakemake.output[0]
    )
