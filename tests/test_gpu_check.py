"""The GPU check at toy size on the CPU: it kills and resumes a job, probes it and measures two architectures."""

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

from invariance import cost
from invariance.models import ARCHITECTURES

ARCHS = ("resnet18", "vit")
assert set(ARCHS) <= set(ARCHITECTURES)


def test_the_gpu_check_runs_end_to_end_on_the_cpu(tmp_path):
    proc = subprocess.run(
        # Two architectures of different families keep it short; test_models.py builds every registered
        # one and checks its features.
        [sys.executable, str(REPO / "bench/gpu_check.py"), "--size", "toy", "--out", str(tmp_path), "--archs", *ARCHS],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    df = pd.read_parquet(tmp_path / "gpu_check_toy.parquet")
    resume = df[df.check == "kill and resume"].iloc[0]
    assert 1 <= resume.killed_after_epoch < resume.epochs
    assert resume.identical and resume.max_metric_gap == 0  # on the CPU a resumed run is bit-identical
    assert resume.own_test_accuracy > 0.5 and resume.probe_lbfgs_accuracy > 0.5 and resume.lbfgs_converged
    speed = df[df.check == "throughput"]
    assert set(speed.arch) == set(ARCHS)
    assert (speed.groupby("arch").variant.nunique() == 3).all() and (speed.images_per_s > 0).all()
    # What `invariance plan --gpu-check` reads: the pipeline's rows, and only from a paper-size check.
    assert set(speed.variant) == {"pipeline", "plain", "ceiling"}
    with pytest.raises(cost.ThroughputError, match="paper-size check"):
        cost.measured_throughput(tmp_path / "gpu_check_toy.parquet", ARCHS)
    assert "cpu" in df.device.iloc[0]
    # Several training processes at once, as profiles/slurm packs models onto one GPU.
    shared = df[df.check == "shared gpu"]
    assert list(shared.jobs_per_gpu) == [1, 2, 4] and set(shared.arch) == {ARCHS[0]}
    assert (shared.images_per_s > 0).all() and shared.of_one_job.iloc[0] == 1
    # On the CPU the inference batch changes no bit of the features.
    inference = df[df.check == "inference batch"]
    assert len(inference) == 2 and inference.note.str.contains("bit-identical: True").sum() == 1
