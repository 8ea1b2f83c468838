import json
from pathlib import Path

from invariance import tables
from invariance.logs import logged

with logged(snakemake.log[0]):
    metas = [json.loads(Path(p).read_text()) for p in snakemake.input]
    tables.write(tables.curve_table(metas), snakemake.output[0])
