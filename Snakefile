# Reproduction of "Invariance makes a difference" (ICLR 2023 submission).
# Each paper figure is one target, e.g. `snakemake --cores 8 results/figures/fig2.pdf`.
from snakemake.utils import min_version

min_version("9.0")

from invariance.config import check_yaml
from invariance.scheduler import coalesce_reevaluations

check_yaml("config.yaml")
# One pending scheduler timer instead of a chain per finished job (src/invariance/scheduler.py).
coalesce_reevaluations()


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/assets.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/pretrain.smk"
include: "workflow/rules/probe.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/claims.smk"


# Downloads, aggregation and plotting run on the submitting node, never as cluster jobs.
localrules:
    all,
    assets_offline,
    assets_paper,
    cifar_offline,
    cifar_paper,
    probe_table,
    training_table,
    l2_table,
    sensitivity_table,
    fig1,
    fig2,
    heatmap,
    fig4,
    sensitivity_figure,
    fig6b,
    fig7,
    curves,
    experiment_claims,
    claims,
    run_info,


rule all:
    default_target: True
    input:
        ALL,
