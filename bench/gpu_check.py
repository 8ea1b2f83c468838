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
4. Several models on one GPU, as profiles/slurm packs them: 1, 2 and 4 training processes at once
   on the first architecture, their images/s together against one alone, and each one's peak memory.
5. Forward passes without gradients at the CPU's and the GPU's inference batch: images/s, and whether
   the features are bit-identical.
6. On a GPU, eager against compiled training (training.compile): the first epoch's seconds and images/s.
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

from bench import REPO, bench_fresh_draws, bench_inference_batch, bench_train
from invariance import records
from invariance.arrays import save_arrays
from invariance.data import Split
from invariance.device import Accelerator, check_gpu, compiled, cuda_problem
from invariance.models import ARCHITECTURES, build_model
from invariance.probe_config import ProbeConfig
from invariance.probing import probe_targets
from invariance.training import TrainConfig, load_model, run_epoch

SIZES = {
    "paper": {"n": 50000, "test": 10000, "width": 1.0, "batch": 512, "epochs": 3, "classes": 30, "shared_epochs": 2},
    "toy": {"n": 256, "test": 64, "width": 0.125, "batch": 32, "epochs": 10, "classes": 4, "shared_epochs": 2},
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


SHARED_JOBS = (1, 2, 4)
_WORKER = """
import json, sys, time, torch
from invariance.data import Split
from invariance.device import Accelerator, set_threads
from invariance.models import build_model
from invariance.training import run_epoch
n, arch, width, batch, epochs = json.loads(sys.argv[1])
set_threads(1)
acc = Accelerator.detect()
torch.manual_seed(0)
data = Split(torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8), torch.randint(0, 30, (n,))).to(acc.device)
model = acc.prepare(build_model(arch, 30, width))
opt = torch.optim.Adam(model.parameters(), 1e-3)
run_epoch(model, opt, data, torch.arange(min(n, 2 * batch), device=acc.device), batch, acc)  # warm-up
print("ready", flush=True)
sys.stdin.readline()  # every process starts its timed epochs together
start = time.time()
for _ in range(epochs):
    run_epoch(model, opt, data, torch.randperm(n, device=acc.device), batch, acc)
if torch.cuda.is_available():
    torch.cuda.synchronize()
peak = torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_available() else None
print(json.dumps({"start": start, "end": time.time(), "images": n * epochs, "peak_gpu_mib": peak}), flush=True)
"""


def shared(size: dict, arch: str, jobs=SHARED_JOBS) -> list[dict]:
    """Images/s of ``jobs`` training processes on one device together, each with one CPU thread."""
    rows = []
    args = json.dumps([size["n"], arch, size["width"], size["batch"], size["shared_epochs"]])
    for k in jobs:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            for _ in range(k)
        ]
        for proc in procs:
            if proc.stdout.readline().strip() != "ready":
                for other in procs:
                    other.kill()
                raise RuntimeError(f"a shared-GPU training process failed to start (exit {proc.wait()})")
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        done = [json.loads(proc.communicate()[0]) for proc in procs]
        if any(proc.returncode for proc in procs):
            raise RuntimeError("a shared-GPU training process failed")
        wall = max(d["end"] for d in done) - min(d["start"] for d in done)
        peaks = [d["peak_gpu_mib"] for d in done if d["peak_gpu_mib"] is not None]
        rows.append(
            {
                "check": "shared gpu",
                "arch": arch,
                "jobs_per_gpu": k,
                "images_per_s": sum(d["images"] for d in done) / wall,
                "peak_gpu_mib": max(peaks) if peaks else None,
            }
        )
    alone = rows[0]["images_per_s"]
    for r in rows:
        r["of_one_job"] = r["images_per_s"] / alone
    return rows


def compile_check(size: dict, arch: str) -> list[dict]:
    """On a GPU: eager against torch.compile (training.compile), the first epoch's seconds (the compile, or
    loading it from the shared cache) and images/s after it. Not on the CPU, where inductor needs a C
    compiler and minutes."""
    if not torch.cuda.is_available():
        return []
    acc, n, batch, rows = Accelerator.detect(), size["n"], size["batch"], []
    g = torch.Generator().manual_seed(0)
    data = Split(
        torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g), torch.randint(0, 30, (n,), generator=g)
    )
    data = data.to(acc.device)
    for on in (False, True):
        torch.manual_seed(0)
        model = acc.prepare(build_model(arch, 30, size["width"]))
        opt = torch.optim.Adam(model.parameters(), 1e-3)
        step = compiled(model) if on else model
        times = []
        for perm in (torch.arange(4 * batch, device=acc.device), torch.randperm(n, device=acc.device)):
            t = time.perf_counter()
            run_epoch(step, opt, data, perm, batch, acc, last_batch_model=model)
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t)
        rows.append(
            {"check": "compile", "arch": arch, "variant": "compiled" if on else "eager", "first_epoch_s": times[0]}
            | {"images_per_s": n / times[1]}
        )
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
    rows += shared(size, args.archs[0])
    rows += compile_check(size, args.archs[0])
    rows += [
        {"check": "inference batch", "arch": args.archs[0], "variant": r["variant"], "images_per_s": r["value"]}
        | {"of_reference": r["ratio"], "note": r["note"]}
        for r in bench_inference_batch(size["test"], size["width"], args.archs[:1])
    ]
    rows += [  # the paper scale's Transforms-2D batches, drawn afresh on the device, beside a training step
        {"check": "fresh draws", "arch": args.archs[0], "variant": r["variant"], "ms_per_batch": r["value"]}
        | {"of_step": r["ratio"], "note": r["note"]}
        for r in bench_fresh_draws(size["n"], size["batch"], args.archs[0], size["width"])
    ]
    df = pd.DataFrame(rows).assign(size=args.size, **{k: str(v) for k, v in report.items()})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out / f"gpu_check_{args.size}.parquet", index=False)
    with pd.option_context("display.width", 220, "display.max_columns", 30):
        print(df.drop(columns=list(report)).to_string(index=False))
    return df


if __name__ == "__main__":
    main()
