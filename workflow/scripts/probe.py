import json
from pathlib import Path

from invariance.device import set_threads
from invariance.logs import logged
from invariance.probing import probe_file

with logged(snakemake.log[0]):
    set_threads(snakemake.threads)
    p = snakemake.params.probe
    result = probe_file(snakemake.input.model, snakemake.input.target, p["epochs"], p["lr"], p["batch_size"], p["seed"])
    row = {**snakemake.params.meta, **result, "probe_epochs": p["epochs"]}
    print(row)
    Path(snakemake.output[0]).write_text(json.dumps(row, indent=1))
