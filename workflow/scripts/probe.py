from invariance import records
from invariance.device import torch_job
from invariance.logs import job_log
from invariance.probe_config import ProbeConfig
from invariance.probing import probe_targets
from invariance.training import load_state, model_from_state

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    p = ProbeConfig(**snakemake.params.probe)
    targets = dict(zip(snakemake.params.targets, snakemake.input.targets))
    state = load_state(snakemake.input.model)
    results = probe_targets(model_from_state(state), targets, p)
    out = {
        "width": state["width"],
        "pretrain_epochs": state["epochs"],
        "probe_epochs": p.epochs,
        "targets": results,
    }
    records.write(snakemake.output[0], "probe result", out)
