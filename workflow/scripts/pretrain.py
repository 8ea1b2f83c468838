import json
from pathlib import Path

from invariance.device import pinned_gpu, set_threads
from invariance.logs import logged
from invariance.training import TrainConfig, pretrain_file

with logged(snakemake.log[0]), pinned_gpu(snakemake.config["gpu"]["jobs_per_device"]):
    set_threads(snakemake.threads)
    w = snakemake.wildcards
    job = f"pretrain {w.arch} on {w.dataset} (seed {w.seed})"
    history = pretrain_file(snakemake.input.dataset, TrainConfig(**snakemake.params.train), snakemake.output.model,
                            snakemake.params.checkpoint, job)
    Path(snakemake.output.history).write_text(json.dumps({**snakemake.params.train, "history": history}, indent=1))
