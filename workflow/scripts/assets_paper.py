from pathlib import Path

from invariance.arrays import save_arrays
from invariance.assets import siscore
from invariance.logs import logged

with logged(snakemake.log[0]):
    pool = siscore.build_pool(snakemake.params.cache, snakemake.params.url)
    save_arrays(snakemake.output.pool, pool)
    Path(snakemake.output.license).write_text(siscore.LICENSE_TEXT.format(url=snakemake.params.url))
