"""What a job asks a scheduler for: memory and runtime from the architecture and the data size.

Runtimes are budgets, not predictions: a generous multiple of an estimated throughput
on one datacenter GPU, so a paper-scale job is not killed by SLURM's time limit. Override
per rule with `--set-resources pretrain:runtime=...` if a cluster's GPUs are slower.
"""

from __future__ import annotations

from invariance.models import ARCHITECTURES

SAFETY = 3
BYTES_PER_IMAGE = 32 * 32 * 3


def _mem_mb(n_images: int) -> int:
    # The uint8 dataset, a float copy of one chunk, the model and CUDA's host-side context.
    return int(4000 + 3 * n_images * BYTES_PER_IMAGE / 2**20)


def pretrain_seconds(
    arch: str, width: float, sizes: dict[str, int], epochs: int, images_per_s: float | None = None
) -> float:
    """Pretraining work at ``images_per_s`` (at width 1; the architecture's estimate if not given)."""
    images = sizes["train"] * epochs + sizes["val"] * epochs
    return images / ((images_per_s or ARCHITECTURES[arch].gpu_images_per_s) / max(width, 0.125) ** 2)


def pretrain(arch: str, width: float, sizes: dict[str, int], epochs: int, sharing: int = 1) -> dict[str, int]:
    """``sharing``: jobs on one GPU at once. Each may then take that many times longer, where one alone
    keeps the GPU busy, so the budget grows with it."""
    seconds = pretrain_seconds(arch, width, sizes, epochs)
    return {"mem_mb": _mem_mb(sum(sizes.values())), "runtime": int(10 + SAFETY * sharing * seconds / 60), "gpu": 1}


def probe(sizes: dict[str, int], targets: int, sharing: int = 1) -> dict[str, int]:
    return {"mem_mb": _mem_mb(sizes["train"] + sizes["test"]), "runtime": int(10 + 2 * sharing * targets), "gpu": 1}


def l2(sizes: dict[str, int], datasets: int) -> dict[str, int]:
    """Each dataset's test split and a (1024 x n) float64 distance block per chunk."""
    return {
        "mem_mb": _mem_mb(datasets * sizes["test"]) + int(1024 * sizes["test"] * 8 * 3 / 2**20),
        "runtime": int(10 + 2 * datasets),
        "gpu": 1,
    }


def sensitivity() -> dict[str, int]:
    """A few hundred objects under a sweep of transformation strengths: small at every scale."""
    return {"runtime": 30, "gpu": 1}
