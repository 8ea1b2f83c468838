"""The cost plan (`invariance plan`): the jobs Snakemake will run, the GPU-hours they ask for, the disk."""

import re
import subprocess
import sys
from copy import deepcopy

import pandas as pd
import pytest
import yaml
from conftest import REPO, SNAKEMAKE

from invariance import cli, cost, plan


def _plan(config, scale):
    return plan.build(dict(deepcopy(config), scale=scale))


def test_the_cost_plan_counts_the_jobs_snakemake_plans(repo_config):
    # The plan reads the job registry, Snakemake the DAG: at smoke (one look) both must list the same jobs.
    df = cost.plan_cost(_plan(repo_config, "smoke")).set_index("step")
    dry = subprocess.run(
        [SNAKEMAKE, "-n", "all", "--config", "scale=smoke"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    stats = dry.split("Job stats:")[1].split("total")[0]
    planned = {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)\s*$", stats, re.M)}
    assert {step: planned[step] for step in df.index} == df["jobs"].to_dict()
    assert {"pretrain", "probe", "l2_ratios", "sensitivity"} <= set(df.index)
    gpu = df[df.gpu_jobs > 0]
    assert (gpu.gpu_h_requested > 0).all() and (df.loc[df.gpu_jobs == 0, "gpu_h_requested"].isna()).all()
    # The request is a budget over the expected work, never under it.
    assert df.loc["pretrain", "gpu_h_requested"] > df.loc["pretrain", "gpu_h_expected"] > 0
    assert df.disk_gib.sum() > 0


def test_a_measured_throughput_replaces_the_estimate(repo_config, tmp_path):
    p = _plan(repo_config, "paper")
    archs = cost.planned_archs(p)
    estimated = cost.plan_cost(p).set_index("step").loc["pretrain", "gpu_h_expected"]
    from invariance.models import ARCHITECTURES

    def table(size, rows_archs):  # the rows bench/gpu_check.py writes (test_gpu_check.py checks its side)
        path = tmp_path / f"gpu_check_{size}.parquet"
        pd.DataFrame(
            [
                {"check": "throughput", "arch": a, "variant": v, "images_per_s": r * ARCHITECTURES[a].gpu_images_per_s}
                for a in rows_archs
                for v, r in (("pipeline", 2.0), ("ceiling", 4.0))
            ]
        ).assign(size=size).to_parquet(path)
        return path

    measured = cost.measured_throughput(table("paper", archs), archs)
    # The pipeline's loop, not the ceiling:
    assert measured == {a: 2.0 * ARCHITECTURES[a].gpu_images_per_s for a in archs}
    twice = cost.plan_cost(p, measured).set_index("step").loc["pretrain", "gpu_h_expected"]
    assert twice == pytest.approx(estimated / 2)
    # A toy-size table is measured at width 1/8, and a missing architecture would fall back silently: refused.
    with pytest.raises(cost.ThroughputError, match="paper-size check"):
        cost.measured_throughput(table("toy", archs), archs)
    with pytest.raises(cost.ThroughputError, match=archs[0]):
        cost.measured_throughput(table("paper", archs[1:]), archs)


def test_invariance_plan_prints_the_paper_scale_cost(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert cli.main(["plan", "--scale", "paper", "--assets", "paper"]) == 0
    out = capsys.readouterr().out
    assert "scale=paper" in out and re.search(r"total: \d+ jobs \(\d+ on a GPU\), \d+ GPU-h requested", out)
    assert "not measured" in out  # no gpu_check table given: the estimate says what it is
    packed = int(yaml.safe_load((REPO / "profiles/slurm/config.yaml").read_text())["group-components"][0].split("=")[1])
    assert f"{packed} model(s) per GPU" in out


def test_the_plan_packs_as_the_profile_says(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(REPO)
    (tmp_path / "config.yaml").write_text("group-components: [model=4]\n")
    assert cli.main(["plan", "--scale", "paper", "--assets", "paper", "--profile", str(tmp_path)]) == 0
    packed = capsys.readouterr().out
    assert cli.main(["plan", "--scale", "paper", "--assets", "paper", "--profile", "profiles/default"]) == 0
    alone = capsys.readouterr().out
    assert "4 model(s) per GPU" in packed and "1 model(s) per GPU" in alone
    hours = [float(re.search(r"(\d+) GPU-h requested", out).group(1)) for out in (packed, alone)]
    assert hours[1] / 2 < hours[0] < hours[1]  # budgets grow with the models per GPU: packing 4 does not divide by 4


def test_invariance_plan_refuses_an_unknown_scale_naming_the_defined_ones(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert cli.main(["plan", "--scale", "quik"]) == 1
    err = capsys.readouterr().err
    assert "quik" in err and "quick" in err


def test_the_command_line_follows_common_habits():
    version = subprocess.run(
        [sys.executable, "-m", "invariance", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert re.fullmatch(r"invariance \d+\.\d+\.\d+\n", version)
    usage = subprocess.run([sys.executable, "-m", "invariance", "compare"], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage:" in usage.stderr  # a usage error is 2, a failed run 1
