"""GPU pinning: which device a job gets, tested on the lock logic (no GPU needed)."""

import os
import subprocess
import sys

from invariance.device import claim_slot, release


def test_jobs_get_distinct_devices_then_shared_slots(tmp_path):
    devices = ["GPU-a", "GPU-b"]
    first, fd1 = claim_slot(devices, tmp_path, jobs_per_device=2)
    second, fd2 = claim_slot(devices, tmp_path, jobs_per_device=2)
    third, fd3 = claim_slot(devices, tmp_path, jobs_per_device=2)
    assert (first, second, third) == (0, 1, 0)  # both GPUs before a second job on either
    release(fd1)
    again, fd4 = claim_slot(devices, tmp_path, jobs_per_device=2)
    assert again == 0
    for fd in (fd2, fd3, fd4):
        release(fd)


def test_a_killed_job_frees_its_device(tmp_path):
    code = ("import sys, time; from pathlib import Path; from invariance.device import claim_slot; "
            f"claim_slot(['GPU-a'], Path({str(tmp_path)!r})); print('held', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.wait()
    index, fd = claim_slot(["GPU-a"], tmp_path, poll=0.05)
    assert index == 0
    release(fd)
    assert os.path.exists(tmp_path / "gpu-GPU-a-slot0.lock")
