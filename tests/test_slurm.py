"""The SLURM profile against a real single-node SLURM cluster on localhost (slurm-wlm + munge)."""

import re
import subprocess

import pytest
from conftest import SNAKEMAKE, copy_workflow
from slurmcluster import Cluster, available

pytestmark = pytest.mark.skipif(available() is not None, reason=str(available()))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("slurm")).start()
    yield c
    c.stop()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    wd = copy_workflow(tmp_path_factory.mktemp("slurm-workflow"))
    # What a user does for their cluster: set the partitions in the profile's one place.
    profile = wd / "profiles/slurm/config.yaml"
    text = profile.read_text()
    assert "slurm_partition: gpu" in text and "slurm_partition: cpu" in text
    profile.write_text(
        text.replace("slurm_partition: gpu", "slurm_partition: debug").replace(
            "slurm_partition: cpu", "slurm_partition: debug"
        )
    )
    return wd


def test_the_smoke_scale_runs_through_slurm(cluster, workdir):
    # The cluster's GPUs are stand-in device files: jobs would (rightly) refuse to start on them.
    env = {**cluster.env, "PYTHONPATH": str(workdir / "src"), "INVARIANCE_ALLOW_CPU": "1"}
    proc = subprocess.run(
        [
            SNAKEMAKE,
            "--profile",
            "profiles/slurm",
            "--jobs",
            "4",
            "--slurm-init-seconds-before-status-checks",
            "1",
            "--seconds-between-status-checks",
            "2",
            "results/figures/fig2.pdf",
            "--config",
            "scale=smoke",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    out = proc.stdout + proc.stderr
    print(out[-6000:])
    assert proc.returncode == 0, out[-4000:]
    assert (workdir / "results/figures/fig2.pdf").stat().st_size > 5000
    # Jobs went through sbatch: the plugin names each SLURM job id and its log folder.
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: \S+/slurm_logs/(\w+)/", out)
    kinds = [kind for _, kind in submitted]
    # 5 dataset renders (fig 2's 4 and the order experiment's reversed T1: a model's one probe job serves
    # every target any figure needs); pretraining + probing of each of the 3 models is one grouped submission.
    assert sum(k.startswith("group_model") for k in kinds) == 3
    assert sum(k == "rule_render_transforms2d" for k in kinds) == 5 and len(kinds) == 8
    assert len({jobid for jobid, _ in submitted}) == 8
    # Assets, tables and figures are local rules.
    assert re.search(r"localrule assets_offline:", out) and re.search(r"localrule fig2:", out)
    pretrain_logs = list((workdir / "results/logs/smoke/offline/pretrain").rglob("*.log"))
    assert len(pretrain_logs) == 3
    assert all(re.search(r"CUDA_VISIBLE_DEVICES=\d", p.read_text()) for p in pretrain_logs)
