import json

from invariance.atomic import write_text
from invariance.device import torch_job
from invariance.logs import job_log
from invariance.sensitivity import sensitivities

with job_log(snakemake), torch_job(snakemake.config, snakemake.threads):
    i, p = snakemake.input, snakemake.params
    rows = sensitivities(p.models, i.pool, i.cifar, p.objects, int(snakemake.wildcards.seed))
    write_text(snakemake.output[0], json.dumps(rows, indent=1))
