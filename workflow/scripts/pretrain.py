from invariance.device import torch_job
from invariance.logs import job_log
from invariance.training import TrainConfig, pretrain_file

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    w, opts = snakemake.wildcards, snakemake.config["training"]
    job = f"pretrain {w.arch} on {w.dataset} (seed {w.seed})"
    pretrain_file(
        snakemake.input.dataset,
        TrainConfig(**snakemake.params.train),
        snakemake.output.model,
        snakemake.output.history,
        snakemake.params.checkpoint,
        job,
        compile=opts["compile"],
        checkpoint_every_s=60 * opts["checkpoint_minutes"],
        eval_every=snakemake.params.eval_every,
    )
