"""Where torch work runs and how: the GPU when present, else the CPU (fp32, channels_last: on one
core, as local jobs run, oneDNN's NHWC convolutions train ResNet-18 / VGG-11 / DenseNet-121 at width
1/8 about 15% / 30% / 45% faster per step than NCHW, measured on the 2-core development machine).

On a GPU: channels_last, cuDNN autotuning, and bf16 autocast where the GPU computes bf16 natively
(compute capability 8.0+: A100, H100, L4, RTX 30xx/40xx); older GPUs (V100, T4) train in fp32, since
emulated bf16 is slower than fp32 and fp16 would need loss scaling.

The choices live in one object so the GPU code path (mixed precision, channels_last,
torch.compile) can also be exercised on a CPU in tests: CPU autocast supports bf16.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch

FIX_WHEEL = (
    "install a torch wheel built for this machine's CUDA driver into the environment "
    "(docs/cluster.md, 'Which torch for which GPU'), or run without a GPU (training.require_gpu: false, no GPU "
    "requested)"
)


class GPUUnavailableError(RuntimeError):
    pass


# Batch of every forward pass without gradients (evaluation, probe features). The outputs are
# bit-identical at any batch on the CPU (tests/test_probing.py), so it is chosen for speed alone: on one
# CPU thread 128 takes 0.54x (ResNet-18) and 0.34x (DenseNet-121) the CPU time of 1024 (width 1/8;
# activations that fit the cache; bench/bench.py). A GPU is kept busier by larger batches of 32x32
# images: 1024 there is chosen, not measured; bench/gpu_check.py measures both on a GPU.
INFERENCE_BATCH = {"cpu": 128, "cuda": 1024}


@dataclass(frozen=True)
class Accelerator:
    device: torch.device
    bf16: bool
    channels_last: bool

    @classmethod
    def detect(cls) -> "Accelerator":
        if torch.cuda.is_available():
            torch.backends.cudnn.benchmark = True  # fixed input shapes: autotuned kernels pay off
            return cls(torch.device("cuda"), bf16=native_bf16(), channels_last=True)
        return cls(torch.device("cpu"), bf16=False, channels_last=True)

    @property
    def inference_batch(self) -> int:
        return INFERENCE_BATCH[self.device.type]

    def autocast(self):
        if self.bf16:
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def prepare(self, model: torch.nn.Module) -> torch.nn.Module:
        model = model.to(self.device)
        return model.to(memory_format=torch.channels_last) if self.channels_last else model

    def __str__(self) -> str:
        return f"{self.device.type}{' bf16' if self.bf16 else ''}{' channels_last' if self.channels_last else ''}"


# Compiled kernels are kept where every job of the workflow finds them (resources/, beside the download
# caches; on a cluster, the shared filesystem), so only the first job of an architecture and batch shape
# compiles and the rest load its kernels. $TORCHINDUCTOR_CACHE_DIR, where set, wins.
COMPILE_CACHE = Path("resources/inductor-cache")


def compiled(model: torch.nn.Module) -> torch.nn.Module:
    """``torch.compile`` for one fixed batch shape, with its kernels in the workflow's shared cache."""
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(COMPILE_CACHE.resolve()))
    return torch.compile(model, dynamic=False)


def native_bf16() -> bool:
    return torch.cuda.get_device_capability() >= (8, 0)


def set_threads(threads: int) -> None:
    torch.set_num_threads(max(1, int(threads)))


def gpu_requested(require: bool = False, env=os.environ) -> str | None:
    """Why this job should have a GPU (a config switch or a scheduler's allocation), or None.

    INVARIANCE_ALLOW_CPU=1 lets a job that was allocated a GPU run on the CPU anyway: for test
    clusters whose "GPUs" are stand-in device files.
    """
    if require:
        return "the config demands one (training.require_gpu: true)"
    if env.get("INVARIANCE_ALLOW_CPU") == "1":
        return None
    for var in ("SLURM_JOB_GPUS", "SLURM_STEP_GPUS"):  # lists of GPU indices
        if env.get(var, "").strip():
            return f"SLURM allocated one ({var}={env[var]})"
    if env.get("SLURM_GPUS_ON_NODE", "0").strip() not in ("", "0"):  # a count
        return f"SLURM allocated one (SLURM_GPUS_ON_NODE={env['SLURM_GPUS_ON_NODE']})"
    visible = env.get("CUDA_VISIBLE_DEVICES", "").strip()
    if visible not in ("", "-1", "none", "NoDevFiles"):
        return f"CUDA_VISIBLE_DEVICES={visible}"
    return None


def _driver_version() -> str:
    try:
        return Path("/proc/driver/nvidia/version").read_text().splitlines()[0]
    except OSError:
        return "no NVIDIA driver found (/proc/driver/nvidia/version is missing)"


def cuda_problem(cuda=torch.cuda, torch_cuda: str | None = torch.version.cuda) -> str | None:
    """Why CUDA cannot train here, naming the driver, the GPU and the wheel; None when it can."""
    if torch_cuda is None:
        return f"this torch {torch.__version__} is a CPU-only build"
    if not cuda.is_available():
        return (
            f"torch {torch.__version__} is built for CUDA {torch_cuda}, but CUDA is not usable: driver: "
            f"{_driver_version()} (CUDA {torch_cuda} wheels need a driver at least as new as that CUDA "
            "release's)"
        )
    cap = cuda.get_device_capability()
    arch = f"sm_{cap[0]}{cap[1]}"
    if arch not in cuda.get_arch_list():
        return (
            f"GPU {cuda.get_device_name()} has compute capability {cap[0]}.{cap[1]} ({arch}), but torch "
            f"{torch.__version__} (CUDA {torch_cuda}) has kernels only for {', '.join(cuda.get_arch_list())}"
        )
    return None


def check_gpu(require: bool = False, env=os.environ, problem=cuda_problem) -> None:
    """Fail at once when this job was given a GPU that torch cannot use, rather than train on one CPU thread."""
    reason = gpu_requested(require, env)
    if reason is None:
        return
    issue = problem()
    if issue is not None:
        raise GPUUnavailableError(f"this job was given a GPU ({reason}) but cannot use it: {issue}. Fix: {FIX_WHEEL}.")


def _try_lock(path: Path):
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except PermissionError as e:
        raise PermissionError(
            f"cannot open the GPU lock {path} ({e.strerror}); point INVARIANCE_GPU_LOCKS at a directory of your own"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


def lock_dir(base: str | None = None) -> Path:
    """Per-user: another user's jobs never hold (or own the files of) this user's locks.

    Users share a node's GPUs through the scheduler (SLURM confines each job to its own);
    these locks only spread one user's jobs over the GPUs that user was given.
    """
    root = Path(base or os.environ.get("INVARIANCE_GPU_LOCKS") or tempfile.gettempdir())
    return root / f"invariance-gpus-{os.getuid()}"


def claim_slot(devices: list[str], lock_dir: Path, jobs_per_device: int | None = 1, poll: float = 1.0):
    """Index into ``devices`` of a free (device, slot), held until ``release(fd)``.

    Slots fill device-major (every device's first slot before any second slot) so jobs
    spread over the GPUs first. ``jobs_per_device=None`` never waits: a job takes the lowest
    free slot, however many jobs share a device. The locks are flock()s, which the kernel
    drops when a job dies, so a killed job never leaves its GPU claimed.
    """
    lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    while True:
        for slot in range(jobs_per_device) if jobs_per_device else itertools.count():
            for i, dev in enumerate(devices):
                fd = _try_lock(lock_dir / f"gpu-{dev}-slot{slot}.lock")
                if fd is not None:
                    return i, fd
        time.sleep(poll)


def release(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextlib.contextmanager
def pinned_gpu(jobs_per_device: int | None = 1, locks: str | None = None, require: bool = False):
    """Run on one GPU of its own (or a shared slot of one); a no-op without CUDA.

    Snakemake's `--resources gpu=N` caps how many GPU jobs run at once but does not say
    which device each gets; this picks it. Devices are keyed by UUID, so jobs that SLURM
    confined to different GPUs (each seeing its own as device 0) never wait on each other.
    """
    # Said in every job log: on a cluster it shows which GPU the scheduler gave the job.
    print(
        f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '(unset)')}; "
        f"SLURM_JOB_ID={os.environ.get('SLURM_JOB_ID', '(unset)')}; CUDA available: {torch.cuda.is_available()}"
    )
    check_gpu(require)
    if not torch.cuda.is_available():
        yield None
        return
    devices = [str(torch.cuda.get_device_properties(i).uuid) for i in range(torch.cuda.device_count())]
    index, fd = claim_slot(devices, lock_dir(locks), jobs_per_device)
    torch.cuda.set_device(index)
    print(f"pinned to GPU {index} ({devices[index]}), {Accelerator.detect()}")
    try:
        yield index
    finally:
        release(fd)


def jobs_per_device(config: dict, env=os.environ) -> int | None:
    """How many jobs may share one GPU: the config's cap locally, no cap inside a SLURM allocation.

    In an allocation SLURM and Snakemake's group job have already decided what runs beside what
    (profiles/slurm packs several models' jobs onto one GPU), so a cap there would only
    serialise the jobs that were meant to share the GPU.
    """
    return None if env.get("SLURM_JOB_ID") else config["gpu"]["jobs_per_device"]


@contextlib.contextmanager
def torch_job(config: dict, threads: int):
    """What every torch rule's script wraps its work in: a GPU of its own (or the CPU) and its thread count."""
    with pinned_gpu(jobs_per_device(config), require=config["training"]["require_gpu"]) as gpu:
        set_threads(threads)
        yield gpu
