from invariance.arrays import save_arrays
from invariance.assets import cifar10, download
from invariance.atomic import write_text
from invariance.logs import job_log

with job_log(snakemake):
    download.limit(**snakemake.config["asset_sources"].get("download", {}))  # not a param: reruns nothing
    p = snakemake.params
    save_arrays(snakemake.output.cifar, cifar10.build(p.url, p.md5, p.cache))
    write_text(snakemake.output.license, cifar10.LICENSE_TEXT.format(url=p.url, md5=p.md5))
