from invariance import records
from invariance.device import torch_job
from invariance.logs import job_log
from invariance.representations import l2_ratios

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    w, p = snakemake.wildcards, snakemake.params
    rows = l2_ratios(p.models, p.datasets, w.arch, p.width, int(w.seed), p.untrained)
    rows = [{"seed": int(w.seed), "architecture": w.arch, **r} for r in rows]
    records.write(snakemake.output[0], "l2 result", rows)
