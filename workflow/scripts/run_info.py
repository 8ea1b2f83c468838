from invariance import records, runinfo
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    info = runinfo.describe(p.scale, p.assets, p.recipe, p.kinds, p.root)
    records.write(snakemake.output[0], "run info", info)
