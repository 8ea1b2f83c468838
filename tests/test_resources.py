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
    plan and a CPU job (test_slurm.py sees it on a real SLURM for renders and grouped pretrain+probe)."""
    from copy import deepcopy
    from pathlib import Path
    from types import SimpleNamespace

    from snakemake_executor_plugin_slurm.partitions import get_best_partition, read_partition_file

    from invariance import plan

    partitions = read_partition_file(Path(__file__).parents[1] / "profiles/slurm/partitions.yaml")
    p = plan.build(dict(deepcopy(repo_config), scale="paper", assets="paper"))
    reg = p.registry
    steps = {
        "pretrain": p.pretrain_resources(*next(iter(reg.models))),
        "probe": p.probe_resources(*next(iter(reg.probes))),
        "l2_ratios": p.l2_resources(*next(iter(reg.l2))),
        "sensitivity": p.sensitivity_resources(),
        "render_transforms2d": {"mem_mb": 4000, "runtime": 30},  # the profile's default-resources
    }
    quiet = SimpleNamespace(debug=lambda *a: None, info=lambda *a: None, warning=lambda *a: None)
    for step, res in steps.items():
        job = SimpleNamespace(name=step, threads=1, resources=res)
        assert get_best_partition(partitions, job, quiet) == ("gpu" if res.get("gpu") else "cpu"), step
    assert {step for step, res in steps.items() if res.get("gpu")} == {"pretrain", "probe", "l2_ratios", "sensitivity"}
