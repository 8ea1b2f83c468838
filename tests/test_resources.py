from invariance import resources

PAPER = {"train": 50000, "val": 10000, "test": 10000}
SMOKE = {"train": 240, "val": 60, "test": 120}


def test_runtime_grows_with_data_epochs_and_the_slower_architecture():
    small = resources.pretrain("resnet18", 1.0, SMOKE, 2)
    big = resources.pretrain("resnet18", 1.0, PAPER, 50)
    cifar = resources.pretrain("resnet18", 1.0, PAPER, 200)
    dense = resources.pretrain("densenet121", 1.0, PAPER, 50)
    assert small["runtime"] < big["runtime"] < cifar["runtime"]
    assert big["runtime"] < dense["runtime"]
    assert small["mem_mb"] < big["mem_mb"] and big["gpu"] == 1


def test_probe_budget_grows_with_its_targets():
    assert resources.probe(PAPER, 8)["runtime"] > resources.probe(PAPER, 2)["runtime"]


def test_every_registered_architecture_has_a_budget_and_l2_asks_for_its_memory():
    from invariance.models import ARCHITECTURES

    for arch in ARCHITECTURES:
        assert resources.pretrain(arch, 1.0, PAPER, 50)["runtime"] > 10
    paper, smoke = resources.l2(PAPER, 3), resources.l2(SMOKE, 3)
    assert paper["mem_mb"] > smoke["mem_mb"] > 4000 and paper["gpu"] == 1


def test_every_paper_job_goes_to_the_partition_its_resources_fit(repo_config):
    """profiles/slurm/partitions.yaml through the SLURM plugin's own choice, for every GPU step of the paper
    plan (with the profile's set-resources over the rules' own) and a CPU job (test_slurm.py sees it on a
    real SLURM for renders and packed pretrain+probe)."""
    from copy import deepcopy
    from pathlib import Path
    from types import SimpleNamespace

    import yaml
    from snakemake_executor_plugin_slurm.partitions import get_best_partition, read_partition_file
    from snakemake_executor_plugin_slurm.utils import set_gres_string

    from invariance import plan

    profile = Path(__file__).parents[1] / "profiles/slurm"
    partitions = read_partition_file(profile / "partitions.yaml")
    overrides = yaml.safe_load((profile / "config.yaml").read_text())["set-resources"]
    sharing = 4  # as if the profile packed four models per allocation
    p = plan.build(dict(deepcopy(repo_config), scale="paper", assets="paper"))
    reg = p.registry
    steps = {
        "pretrain": p.pretrain_resources(*next(iter(reg.models)), sharing),
        "probe": p.probe_resources(*next(iter(reg.probes)), sharing),
        "l2_ratios": p.l2_resources(*next(iter(reg.l2))),
        "sensitivity": p.sensitivity_resources(),
        "render_transforms2d": {"mem_mb": 4000, "runtime": 30},  # the profile's default-resources
    }
    quiet = SimpleNamespace(debug=lambda *a: None, info=lambda *a: None, warning=lambda *a: None)
    asked = {}
    for step, res in steps.items():
        res = SimpleNamespace(**(res | overrides.get(step, {})))
        res.get = lambda key, default=None, res=res: getattr(res, key, default)
        job = SimpleNamespace(name=step, threads=1, resources=res)
        asked[step] = set_gres_string(job).strip()
        assert get_best_partition(partitions, job, quiet) == ("gpu" if asked[step] else "cpu"), step
    # Packed steps ask for one GPU as a string resource (a group passes it on as it is); the others by count.
    assert asked == {
        "pretrain": "--gres=gpu:1",
        "probe": "--gres=gpu:1",
        "l2_ratios": "--gpus=1",
        "sensitivity": "--gpus=1",
        "render_transforms2d": "",
    }
    # A packed chain's runtime budget covers sharing its GPU with the others.
    alone = p.pretrain_resources(*next(iter(reg.models)))["runtime"]
    assert steps["pretrain"]["runtime"] - 10 >= sharing * (alone - 10) - sharing


def test_the_cost_plan_reads_the_profiles_packing_and_refuses_a_malformed_one(tmp_path):
    from invariance import cost

    (tmp_path / "config.yaml").write_text("group-components: [other=2, model=3]\n")
    assert cost.models_per_gpu(tmp_path) == 3
    (tmp_path / "config.yaml").write_text("jobs: 10\n")
    assert cost.models_per_gpu(tmp_path) == 1
    (tmp_path / "config.yaml").write_text("group-components: [model=four]\n")
    import pytest

    with pytest.raises(cost.ProfileError, match="model=<count of models>"):
        cost.models_per_gpu(tmp_path)
    assert cost.packed_hours([60, 30, 120, 10, 50], 2) == (60 + 120 + 50) / 60


def test_the_runtime_snakemake_asks_for_grows_with_the_models_packed_per_allocation():
    """The budgets reach the jobs through the rules (Snakemake sets group-components after reading the Snakefile):
    a probe job's budget is 10 minutes plus 2 per target, the latter times the models packed."""
    import re
    import subprocess
    from pathlib import Path

    from conftest import SNAKEMAKE

    asked = {}
    for packed in (1, 3):
        out = subprocess.run(
            [SNAKEMAKE, "-n", "--workflow-profile", "profiles/slurm", "results/figures/fig2.pdf"]
            + ["--group-components", f"model={packed}", "--config", "scale=smoke"],
            cwd=Path(__file__).parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        asked[packed] = {int(r) for r in re.findall(r"rule probe:.*?runtime=(\d+)", out, re.S)}
    assert asked[1] and asked[3] == {10 + 3 * (r - 10) for r in asked[1]}
