from invariance.arrays import save_arrays
from invariance.assets import download, siscore
from invariance.atomic import write_text
from invariance.logs import job_log

with job_log(snakemake):
    download.limit(**snakemake.config["asset_sources"].get("download", {}))  # not a param: reruns nothing
    pool = siscore.build_pool(snakemake.params.cache, snakemake.params.url)
    save_arrays(snakemake.output.pool, pool)
    write_text(
        snakemake.output.license,
        siscore.LICENSE_TEXT.format(url=snakemake.params.url, backgrounds=len(pool["backgrounds"])),
    )
