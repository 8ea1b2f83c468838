"""GPU pinning and the GPU checks, tested on the lock logic and stand-ins for CUDA (no GPU needed)."""

import os
import subprocess
import sys

import pytest

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


def test_inside_a_slurm_allocation_jobs_share_its_gpus_without_waiting(tmp_path):
    from invariance.device import jobs_per_device

    config = {"gpu": {"jobs_per_device": 1}}
    assert jobs_per_device(config, env={}) == 1
    assert jobs_per_device(config, env={"SLURM_JOB_ID": "6"}) is None
    # Four packed jobs on one allocated GPU: none waits, each holds its own slot.
    held = [claim_slot(["GPU-a"], tmp_path, jobs_per_device=None, poll=60) for _ in range(4)]
    assert [index for index, _ in held] == [0, 0, 0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"gpu-GPU-a-slot{i}.lock" for i in range(4)]
    # On two GPUs they still spread: every device's first slot before a second on either.
    assert [claim_slot(["GPU-b", "GPU-c"], tmp_path, None)[0] for _ in range(3)] == [0, 1, 0]
    for _, fd in held:
        release(fd)


def test_a_killed_job_frees_its_device(tmp_path):
    code = (
        "import sys, time; from pathlib import Path; from invariance.device import claim_slot; "
        f"claim_slot(['GPU-a'], Path({str(tmp_path)!r})); print('held', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.wait()
    index, fd = claim_slot(["GPU-a"], tmp_path, poll=0.05)
    assert index == 0
    release(fd)
    assert os.path.exists(tmp_path / "gpu-GPU-a-slot0.lock")


def test_locks_are_per_user_and_a_foreign_lock_names_the_way_out(tmp_path, monkeypatch):
    from invariance import device

    assert device.lock_dir(str(tmp_path)) == tmp_path / f"invariance-gpus-{os.getuid()}"
    monkeypatch.setenv("INVARIANCE_GPU_LOCKS", str(tmp_path / "mine"))
    assert device.lock_dir().parent == tmp_path / "mine"

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(device.os, "open", refused)  # root ignores file modes, so stand in for another user's file
    with pytest.raises(PermissionError, match="cannot open the GPU lock .* INVARIANCE_GPU_LOCKS"):
        device.claim_slot(["GPU-a"], tmp_path / "locks")


@pytest.mark.parametrize(
    "env,require,reason",
    [
        ({"SLURM_JOB_GPUS": "0"}, False, "SLURM allocated one"),
        ({"CUDA_VISIBLE_DEVICES": "1"}, False, "CUDA_VISIBLE_DEVICES=1"),
        ({}, True, "training.require_gpu: true"),
    ],
)
def test_a_job_given_a_gpu_it_cannot_use_fails_at_once(env, require, reason):
    from invariance.device import GPUUnavailableError, check_gpu

    with pytest.raises(GPUUnavailableError, match=f"given a GPU \\(.*{reason}.*driver too old.*Fix: install a torch"):
        check_gpu(require, env=env, problem=lambda: "driver too old")
    check_gpu(require, env=env, problem=lambda: None)  # a usable GPU passes


def test_a_job_given_no_gpu_trains_on_the_cpu_without_complaint():
    from invariance.device import check_gpu

    check_gpu(False, env={"SLURM_JOB_GPUS": "0", "INVARIANCE_ALLOW_CPU": "1"}, problem=lambda: "stand-in GPU")
    check_gpu(False, env={"CUDA_VISIBLE_DEVICES": ""}, problem=lambda: "no CUDA")
    check_gpu(False, env={"SLURM_GPUS_ON_NODE": "0"}, problem=lambda: "no CUDA")


class _FakeCuda:
    def __init__(self, available=True, capability=(7, 0), archs=("sm_75", "sm_80", "sm_90")):
        self.available, self.capability, self.archs = available, capability, list(archs)

    def is_available(self):
        return self.available

    def get_device_capability(self):
        return self.capability

    def get_arch_list(self):
        return self.archs

    def get_device_name(self):
        return "Tesla V100"


def test_the_cuda_diagnosis_names_driver_capability_and_wheel():
    from invariance.device import cuda_problem

    assert "CPU-only build" in cuda_problem(_FakeCuda(), torch_cuda=None)
    assert "built for CUDA 13.0, but CUDA is not usable: driver" in cuda_problem(_FakeCuda(False), torch_cuda="13.0")
    msg = cuda_problem(_FakeCuda(capability=(7, 0)), torch_cuda="13.0")
    assert "Tesla V100 has compute capability 7.0 (sm_70)" in msg and "sm_75, sm_80, sm_90" in msg
    assert cuda_problem(_FakeCuda(capability=(9, 0)), torch_cuda="13.0") is None
