from invariance import records
from invariance.device import torch_job
from invariance.logs import job_log
from invariance.representations import l2_ratios

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
    # Names from the params, paths from the inputs (they carry a module's prefix, params do not).
    models, datasets = dict(zip(p.models, i.models)), dict(zip(p.datasets, i.datasets))
    rows = l2_ratios(models, datasets, w.arch, p.width, int(w.seed), p.untrained)
    rows = [{"seed": int(w.seed), "architecture": w.arch, **r} for r in rows]
    records.write(snakemake.output[0], "l2 result", rows)
