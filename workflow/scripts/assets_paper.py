from invariance.arrays import save_arrays
from invariance.assets import siscore
from invariance.atomic import write_text
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    pool = siscore.build_pool(snakemake.params.cache, snakemake.params.url)
    save_arrays(snakemake.output.pool, pool)
    write_text(snakemake.output.license, siscore.LICENSE_TEXT.format(url=snakemake.params.url))
