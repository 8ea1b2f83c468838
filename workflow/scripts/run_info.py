from pathlib import Path

from invariance import records, runinfo
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    # The workflow's checkout, from the script's place rather than a param: a moved run reruns nothing.
    checkout = Path(snakemake.scriptdir).parents[1]
    info = runinfo.describe(p.scale, p.assets, p.recipe, p.kinds, p.looks, checkout)
    records.write(snakemake.output[0], "run info", info)
