import json
from pathlib import Path

from invariance.device import pinned_gpu, set_threads
from invariance.logs import logged
from invariance.representations import l2_ratios

with logged(snakemake.log[0]), pinned_gpu(snakemake.config["gpu"]["jobs_per_device"]):
    set_threads(snakemake.threads)
    w, i = snakemake.wildcards, snakemake.input
    models = {k.removeprefix("model_"): v for k, v in i.items() if k.startswith("model_")}
    datasets = {k.removeprefix("dataset_"): v for k, v in i.items() if k.startswith("dataset_")}
    rows = l2_ratios(models, datasets, w.arch, snakemake.params.width, int(w.seed))
    rows = [{"seed": int(w.seed), "architecture": w.arch, **r} for r in rows]
    Path(snakemake.output[0]).write_text(json.dumps(rows, indent=1))
