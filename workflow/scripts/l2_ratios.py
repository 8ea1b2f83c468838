import json

from invariance.atomic import write_text
from invariance.device import torch_job
from invariance.logs import logged
from invariance.representations import l2_ratios

with logged(snakemake.log[0]), torch_job(snakemake.config, snakemake.threads):
    w, i = snakemake.wildcards, snakemake.input
    models = {k.removeprefix("model_"): v for k, v in i.items() if k.startswith("model_")}
    datasets = {k.removeprefix("dataset_"): v for k, v in i.items() if k.startswith("dataset_")}
    rows = l2_ratios(models, datasets, w.arch, snakemake.params.width, int(w.seed))
    rows = [{"seed": int(w.seed), "architecture": w.arch, **r} for r in rows]
    write_text(snakemake.output[0], json.dumps(rows, indent=1))
