from invariance import records
from invariance.device import torch_job
from invariance.logs import job_log
from invariance.sensitivity import sensitivities

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    i, p = snakemake.input, snakemake.params
    models = dict(zip(p.models, i.models))  # paths from the inputs: they carry a module's prefix, params do not
    rows = sensitivities(models, i.pool, i.cifar, p.objects, int(snakemake.wildcards.seed))
    records.write(snakemake.output[0], "sensitivity result", rows)
