# Reproduction of "Invariance makes a difference" (ICLR 2023 submission).
# Each paper figure is one target, e.g. `snakemake --cores 8 results/figures/fig2.pdf`.
from snakemake.utils import min_version

min_version("9.0")

from invariance.config import check_yaml

check_yaml("config.yaml")


configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/assets.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/pretrain.smk"
include: "workflow/rules/probe.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"


rule all:
    default_target: True
    input:
        FIGURES,
        TABLES,
