import json
from pathlib import Path

from invariance.device import set_threads
from invariance.logs import logged
from invariance.training import TrainConfig, pretrain_file

with logged(snakemake.log[0]):
    set_threads(snakemake.threads)
    meta = snakemake.params.meta
    job = "pretrain {experiment} seed {seed} on {pretrain_dataset} with {architecture}".format(**meta)
    history = pretrain_file(snakemake.input.dataset, TrainConfig(**snakemake.params.train), snakemake.output.model,
                            snakemake.params.checkpoint, job)
    Path(snakemake.output.history).write_text(json.dumps({**meta, "history": history}, indent=1))
