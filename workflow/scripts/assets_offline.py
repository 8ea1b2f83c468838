from pathlib import Path

from invariance.arrays import save_arrays
from invariance.assets import offline
from invariance.logs import logged

with logged(snakemake.log[0]):
    save_arrays(snakemake.output.pool, offline.build_pool())
    Path(snakemake.output.license).write_text(offline.license_text())
