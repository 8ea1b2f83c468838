"""The SLURM profile against a real single-node SLURM cluster on localhost (slurm-wlm + munge)."""

import re
import subprocess
from datetime import datetime

import pytest
import yaml
from conftest import SNAKEMAKE, copy_workflow
from slurmcluster import Cluster, available

pytestmark = pytest.mark.skipif(available() is not None, reason=str(available()))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("slurm")).start()
    yield c
    c.stop()


def _job(jobid: str, env: dict) -> str:
    out = subprocess.run(["scontrol", "-o", "show", "job", jobid], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_smoke_scale_runs_through_slurm_and_each_job_goes_where_its_resources_say(cluster, tmp_path):
    workdir = copy_workflow(tmp_path)
    # The profile is used as the README says, untouched: the test cluster has the partitions it names.
    partitions = yaml.safe_load((workdir / "profiles/slurm/partitions.yaml").read_text())["partitions"]
    assert set(partitions) == {"cpu", "gpu"}
    # The cluster's GPUs are stand-in device files: jobs would (rightly) refuse to start on them.
    env = {**cluster.env, "PYTHONPATH": str(workdir / "src"), "INVARIANCE_ALLOW_CPU": "1"}
    proc = subprocess.run(
        [
            SNAKEMAKE,
            "--workflow-profile",
            "profiles/slurm",
            "--jobs",
            "4",
            "--slurm-init-seconds-before-status-checks",
            "1",
            "--seconds-between-status-checks",
            "2",
            "results/figures/fig2.pdf",
            # Fig 2's three models packed into one allocation (the profile keeps one per allocation: docs/cluster.md).
            "--group-components",
            "model=3",
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
    # Only the SLURM profile: the local one (profiles/default, keep-going: false) stays out of cluster runs.
    assert "workflow specific profile profiles/slurm" in out and "profiles/default" not in out
    assert (workdir / "results/figures/fig2.pdf").stat().st_size > 5000
    # Jobs went through sbatch: the plugin names each SLURM job id and its log folder.
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: \S+/slurm_logs/(\w+)/", out)
    kinds = [kind for _, kind in submitted]
    # 5 dataset renders (fig 2's 4 and the order experiment's reversed T1: a model's one probe job serves
    # every target any figure needs); the pretraining and probing of all 3 models is one packed submission.
    assert sum(k.startswith("group_model") for k in kinds) == 1
    assert sum(k == "rule_render_transforms2d" for k in kinds) == 5 and len(kinds) == 6
    assert len({jobid for jobid, _ in submitted}) == 6
    # Every job that asked SLURM for a GPU ran on the GPU partition, every other one on the CPU partition;
    # the packed submission asked for one GPU and a CPU per model.
    for jobid, kind in submitted:
        job = _job(jobid, cluster.env)
        asks_gpu = re.search(r"Tres(PerJob|PerNode)=\S*gpu", job) is not None
        partition = re.search(r"\bPartition=(\S+)", job).group(1)
        assert asks_gpu == kind.startswith("group_model"), job
        assert partition == ("gpu" if asks_gpu else "cpu"), job
        if asks_gpu:
            assert re.search(r"Tres(PerJob|PerNode)=\S*gpu:1\b", job) and "NumCPUs=3 " in job, job
            packed = jobid
    # Assets, tables and figures are local rules.
    assert re.search(r"localrule assets_offline:", out) and re.search(r"localrule fig2:", out)
    pretrain_logs = list((workdir / "results/logs/smoke/offline/pretrain").rglob("*.log"))
    assert len(pretrain_logs) == 3
    assert all(re.search(r"CUDA_VISIBLE_DEVICES=\d", p.read_text()) for p in pretrain_logs)
    # The three models trained in that one allocation, on its one GPU.
    assert all(f"SLURM_JOB_ID={packed};" in p.read_text() for p in pretrain_logs)
    # In turn, not side by side: the SLURM plugin runs a group's jobs one after another (docs/cluster.md).
    spans = sorted(
        tuple(datetime.fromisoformat(re.search(rf"^{edge}: (\S+)$", p.read_text(), re.M).group(1)) for edge in edges)
        for p in pretrain_logs
        for edges in [("started", "finished")]
    )
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:])), spans
