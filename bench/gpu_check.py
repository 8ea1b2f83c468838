"""The GPU check: run it once on any machine with a GPU before a paper-scale run.

    .venv/bin/python bench/gpu_check.py               # paper size, on the GPU present (CPU if none)
    .venv/bin/python bench/gpu_check.py --size toy    # seconds, on the CPU too (what the tests run)

1. Says which device, precision and kernels this torch will use, and fails with the cause if a
   present GPU is unusable (driver, compute capability, CPU-only wheel).
2. Pretrains a paper-size job (50000 images, batch 512, full width, bounded to a few epochs) in a
   subprocess, kills it after its first checkpoint, resumes it and checks the resumed run ends with
   the uninterrupted run's metrics; then probes the model (converged L-BFGS and Adam heads).
3. Per architecture at batch 512: images/s of the pipeline's training loop against the bare-step
   ceiling and a plain DataLoader loop (bench.py's train benchmark), and peak GPU memory.
Writes results/bench/gpu_check_<size>.parquet beside the printed table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from bench import REPO, bench_train
from invariance import records
from invariance.arrays import save_arrays
from invariance.device import Accelerator, check_gpu, cuda_problem
from invariance.models import ARCHITECTURES
from invariance.probe_config import ProbeConfig
from invariance.probing import probe_targets
from invariance.training import TrainConfig, load_model

SIZES = {
    "paper": {"n": 50000, "test": 10000, "width": 1.0, "batch": 512, "epochs": 3, "classes": 30},
    "toy": {"n": 256, "test": 64, "width": 0.125, "batch": 32, "epochs": 10, "classes": 4},
}


def device_report() -> dict:
    acc = Accelerator.detect()
    row = {"torch": torch.__version__, "torch_cuda": torch.version.cuda, "device": str(acc)}
    if torch.cuda.is_available():
        cap = torch.cuda.get_device_capability()
        row.update(
            gpu=torch.cuda.get_device_name(),
            capability=f"{cap[0]}.{cap[1]}",
            kernels=" ".join(torch.cuda.get_arch_list()),
            problem=cuda_problem(),
        )
    return row


def _dataset(path: Path, n: int, test: int, classes: int) -> None:
    """Learnable images (the class sets the mean of one channel) in the pipeline's file format."""
    rng = np.random.default_rng(0)

    def split(m):
        y = np.arange(m) % classes
        x = rng.integers(0, 100, (m, 32, 32, 3), dtype=np.uint8)
        x[..., 0] += (y * (150 // classes)).astype(np.uint8)[:, None, None]
        return x, y.astype(np.int64)

    (xt, yt), (xv, yv), (xs, ys) = split(n), split(min(test, n)), split(test)
    save_arrays(
        path,
        {
            "x_train": xt,
            "y_train": yt,
            "x_val": xv,
            "y_val": yv,
            "x_test": xs,
            "y_test": ys,
            "num_classes": np.array(classes),
        },
    )


def _pretrain_cmd(data: Path, cfg: TrainConfig, model: Path, ckpt: Path) -> list[str]:
    history = model.with_suffix(".json")
    code = (
        f"from invariance.training import TrainConfig, pretrain_file\n"
        f"pretrain_file({str(data)!r}, TrainConfig(**{cfg.__dict__!r}), {str(model)!r}, {str(history)!r}, "
        f"{str(ckpt)!r}, "
        f"'gpu-check', checkpoint_every_s=0)\n"
    )
    return [sys.executable, "-c", code]


def kill_and_resume(tmp: Path, size: dict, arch: str) -> dict:
    data = tmp / "data.npz"
    _dataset(data, size["n"], size["test"], size["classes"])
    cfg = TrainConfig(arch, size["width"], size["epochs"], size["batch"], 1e-3, 0)
    t = time.perf_counter()
    subprocess.run(_pretrain_cmd(data, cfg, tmp / "ref.pt", tmp / "ref.ckpt"), check=True, capture_output=True)
    uninterrupted_s = time.perf_counter() - t
    ckpt = tmp / "run.ckpt"
    proc = subprocess.Popen(_pretrain_cmd(data, cfg, tmp / "run.pt", ckpt), stderr=subprocess.DEVNULL)
    while not ckpt.exists() and proc.poll() is None:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = torch.load(ckpt, map_location="cpu", weights_only=True)["epoch"] if ckpt.exists() else 0
    subprocess.run(_pretrain_cmd(data, cfg, tmp / "run.pt", ckpt), check=True, capture_output=True)
    ref, run = (records.read(tmp / f"{name}.json", "training history") for name in ("ref", "run"))
    gap = max(abs(a[k] - b[k]) for a, b in zip(ref["history"], run["history"]) for k in a if isinstance(a[k], float))
    t = time.perf_counter()
    probe = probe_targets(
        load_model(tmp / "run.pt"), {"self": str(data)}, ProbeConfig("lbfgs", size["n"], 25, 1e-3, 512, 0)
    )["self"]
    return {
        "check": "kill and resume",
        "arch": arch,
        "killed_after_epoch": killed_at,
        "epochs": size["epochs"],
        "uninterrupted_s": uninterrupted_s,
        "max_metric_gap": gap,
        "identical": ref["history"] == run["history"],
        "own_test_accuracy": run["history"][-1]["test_accuracy"],
        "probe_s": time.perf_counter() - t,
        "probe_lbfgs_accuracy": probe["lbfgs_accuracy"],
        "probe_adam_accuracy": probe["adam_accuracy"],
        "lbfgs_converged": probe["lbfgs_converged"],
    }


def throughput(size: dict, archs) -> list[dict]:
    rows = []
    for arch in archs:
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        for r in bench_train(size["n"], arch, size["width"], batch=size["batch"]):
            rows.append(
                {
                    "check": "throughput",
                    "arch": arch,
                    "variant": r["variant"].split(":")[0],  # pipeline / plain / ceiling: what invariance plan reads
                    "images_per_s": r["value"],
                    "of_ceiling": r["ratio"],
                }
            )
        if torch.cuda.is_available():
            rows[-1]["peak_gpu_mib"] = torch.cuda.max_memory_allocated() / 2**20
    return rows


def main(argv=None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=SIZES, default="paper")
    ap.add_argument("--archs", nargs="+", default=list(ARCHITECTURES), choices=list(ARCHITECTURES))
    ap.add_argument("--out", default=str(REPO / "results/bench"))
    args = ap.parse_args(argv)
    size = SIZES[args.size]
    report = device_report()
    print(json.dumps(report, indent=1))
    if torch.cuda.is_available():
        check_gpu(require=True)
    with tempfile.TemporaryDirectory() as tmp:
        rows = [kill_and_resume(Path(tmp), size, args.archs[0])]
    rows += throughput(size, args.archs)
    df = pd.DataFrame(rows).assign(size=args.size, **{k: str(v) for k, v in report.items()})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out / f"gpu_check_{args.size}.parquet", index=False)
    with pd.option_context("display.width", 220, "display.max_columns", 30):
        print(df.drop(columns=list(report)).to_string(index=False))
    return df


if __name__ == "__main__":
    main()
