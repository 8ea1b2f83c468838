from pathlib import Path

from invariance.arrays import save_arrays
from invariance.assets import cifar_standin
from invariance.logs import logged

with logged(snakemake.log[0]):
    save_arrays(snakemake.output.cifar, cifar_standin.build())
    Path(snakemake.output.license).write_text(cifar_standin.LICENSE_TEXT)
