"""Where torch work runs and how: the GPU when present (bf16 autocast, channels_last), else the CPU
(fp32, channels_last: on one core, as local jobs run, oneDNN's NHWC convolutions train ResNet-18 /
VGG-11 / DenseNet-121 at width 1/8 about 15% / 30% / 45% faster per step than NCHW, measured on the
2-core development machine; with 2 threads the two layouts were even).

The choices live in one object so the GPU code path (mixed precision, channels_last,
torch.compile) can also be exercised on a CPU in tests: CPU autocast supports bf16.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch


@dataclass(frozen=True)
class Accelerator:
    device: torch.device
    bf16: bool
    channels_last: bool

    @classmethod
    def detect(cls) -> "Accelerator":
        if torch.cuda.is_available():
            return cls(torch.device("cuda"), bf16=True, channels_last=True)
        return cls(torch.device("cpu"), bf16=False, channels_last=True)

    def autocast(self):
        if self.bf16:
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def prepare(self, model: torch.nn.Module) -> torch.nn.Module:
        model = model.to(self.device)
        return model.to(memory_format=torch.channels_last) if self.channels_last else model

    def __str__(self) -> str:
        return f"{self.device.type}{' bf16' if self.bf16 else ''}{' channels_last' if self.channels_last else ''}"


def set_threads(threads: int) -> None:
    torch.set_num_threads(max(1, int(threads)))


def _try_lock(path: Path):
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


def claim_slot(devices: list[str], lock_dir: Path, jobs_per_device: int = 1, poll: float = 1.0):
    """Index into ``devices`` of a free (device, slot), held until ``release(fd)``.

    Slots fill device-major (every device's first slot before any second slot) so jobs
    spread over the GPUs first. The locks are flock()s, which the kernel drops when a
    job dies, so a killed job never leaves its GPU claimed.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    while True:
        for slot in range(jobs_per_device):
            for i, dev in enumerate(devices):
                fd = _try_lock(lock_dir / f"gpu-{dev}-slot{slot}.lock")
                if fd is not None:
                    return i, fd
        time.sleep(poll)


def release(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextlib.contextmanager
def pinned_gpu(jobs_per_device: int = 1, lock_dir: str | None = None):
    """Run on one GPU of its own (or a shared slot of one); a no-op without CUDA.

    Snakemake's `--resources gpu=N` caps how many GPU jobs run at once but does not say
    which device each gets; this picks it. Devices are keyed by UUID, so jobs that SLURM
    confined to different GPUs (each seeing its own as device 0) never wait on each other.
    """
    # Said in every job log: on a cluster it shows which GPU the scheduler gave the job.
    print(f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '(unset)')}; "
          f"CUDA available: {torch.cuda.is_available()}")
    if not torch.cuda.is_available():
        yield None
        return
    devices = [str(torch.cuda.get_device_properties(i).uuid) for i in range(torch.cuda.device_count())]
    locks = Path(lock_dir or os.environ.get("INVARIANCE_GPU_LOCKS", tempfile.gettempdir())) / "invariance-gpus"
    index, fd = claim_slot(devices, locks, jobs_per_device)
    torch.cuda.set_device(index)
    print(f"pinned to GPU {index} ({devices[index]})")
    try:
        yield index
    finally:
        release(fd)
