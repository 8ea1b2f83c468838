"""Probe settings measured on a finished run's own probes: the feature batch, and L-BFGS's stopping tolerance.

For each model of a run (its probe result names its targets), on the same frozen features:
  - features at batch 1024 and at probing.INFERENCE_BATCH: bit-identical? CPU-seconds of each;
  - the converged head at tolerance 1e-6, 1e-5 and 1e-4: test accuracy and CPU-seconds of each.
It reports how many probe accuracies change against 1e-6 and by how much, so the tolerance the
pipeline uses is the one that leaves every reported accuracy unchanged.

    .venv/bin/python bench/probe_tolerance.py results/bench/workflow-quick/results/quick/offline --models 40
"""

from __future__ import annotations

import argparse
import json
import resource
from pathlib import Path

import pandas as pd
import torch

from invariance.data import INFERENCE_BATCH, Split, load_splits
from invariance.device import Accelerator
from invariance.probing import accuracy, features, fit_converged_head
from invariance.training import load_model

TOLERANCES = (1e-6, 1e-5, 1e-4)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(run: Path, n_models: int) -> pd.DataFrame:
    torch.set_num_threads(1)
    acc, rows = Accelerator.detect(), []
    probes = sorted((run / "probes").rglob("*.json"))
    probes = probes[:: max(1, len(probes) // n_models)][:n_models]  # spread over seeds, datasets and architectures
    for probe in probes:
        seed, dataset, arch = probe.parent.parent.name, probe.parent.name, probe.stem
        model = acc.prepare(load_model(run / "models" / seed / dataset / f"{arch}.pt"))
        result = json.loads(probe.read_text())
        for target, r in result["targets"].items():
            splits, k = load_splits(run / "datasets" / seed / f"{target}.npz", "train", "test")
            train = Split(splits["train"].x[: r["n_train"]], splits["train"].y[: r["n_train"]])
            test = splits["test"]
            t0 = cpu()
            big = features(model, train, acc, batch_size=1024)
            t1 = cpu()
            small = features(model, train, acc, batch_size=INFERENCE_BATCH)
            t2 = cpu()
            row = {
                "model": f"{seed}/{dataset}/{arch}",
                "target": target,
                "identical": torch.equal(big, small),
                "features_1024_cpu_s": t1 - t0,
                f"features_{INFERENCE_BATCH}_cpu_s": t2 - t1,
            }
            f_test = features(model, test, acc)
            for tol in TOLERANCES:
                t0 = cpu()
                head, record = fit_converged_head(small, train.y, k, tol=tol)
                row[f"cpu_s_{tol:g}"] = cpu() - t0
                row[f"accuracy_{tol:g}"] = accuracy(head, f_test, test.y)
                row[f"converged_{tol:g}"] = record["lbfgs_converged"]
            rows.append(row)
            print(row, flush=True)
    return pd.DataFrame(rows)


def summary(df: pd.DataFrame) -> str:
    ref = df[f"accuracy_{TOLERANCES[0]:g}"]
    lines = [
        f"{len(df)} probes of {df.model.nunique()} models; features bit-identical at batch {INFERENCE_BATCH} vs 1024: "
        f"{int(df.identical.sum())}/{len(df)}; CPU {df[f'features_{INFERENCE_BATCH}_cpu_s'].sum():.1f} s vs "
        f"{df.features_1024_cpu_s.sum():.1f} s"
    ]
    for tol in TOLERANCES[1:]:
        diff = (df[f"accuracy_{tol:g}"] - ref).abs()
        lines.append(
            f"tolerance {tol:g} vs {TOLERANCES[0]:g}: {int((diff > 0).sum())} accuracies changed "
            f"(max {diff.max():.4f}); "
            f"L-BFGS CPU {df[f'cpu_s_{tol:g}'].sum():.1f} s vs {df[f'cpu_s_{TOLERANCES[0]:g}'].sum():.1f} s "
            f"({df[f'cpu_s_{tol:g}'].sum() / df[f'cpu_s_{TOLERANCES[0]:g}'].sum():.2f}x)"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a run's results/<scale>/<assets> folder")
    ap.add_argument("--models", type=int, default=10**9, help="at most this many models, evenly spaced by path")
    ap.add_argument("--out", type=Path, default=Path("results/bench/probe_tolerance.parquet"))
    args = ap.parse_args(argv)
    df = measure(args.run, args.models)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(args.out, index=False)
    print(summary(df))


if __name__ == "__main__":
    main()
