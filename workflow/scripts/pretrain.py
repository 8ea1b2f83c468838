from invariance.device import torch_job
from invariance.logs import job_log
from invariance.training import TrainConfig, pretrain_file

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    w, opts = snakemake.wildcards, snakemake.config["training"]
    job = f"pretrain {w.arch} on {w.dataset} (seed {w.seed})"
    cfg = TrainConfig(**snakemake.params.train)
    layers = None
    if cfg.augment:  # the training split's backgrounds and objects, to augment before pasting
        from invariance.augment import layers_file

        layers = layers_file(snakemake.input.dataset, snakemake.input.cifar)
    pretrain_file(
        snakemake.input.dataset,
        cfg,
        snakemake.output.model,
        snakemake.output.history,
        snakemake.params.checkpoint,
        job,
        compile=opts["compile"],
        checkpoint_every_s=60 * opts["checkpoint_minutes"],
        layers=layers,
    )
