"""How well a pretraining recipe learns its own task, and what it costs: the measurement behind `quick`.

For each (experiment, dataset name, seed) of the quick design, renders the dataset at the
given training size, pretrains one model with the given recipe on one thread and reports its
own-task test accuracy with CPU- and wall-seconds. Recipes are chosen by this number only,
never by what a figure then shows.

    .venv/bin/python bench/recipe.py --train 10000 --epochs 3 --lr 0.004 --schedule onecycle \
        --dataset fig2:all:0 --dataset fig8:T8:0 --dataset fig3:X=C,Y=C:0
    .venv/bin/python bench/recipe.py --train 10000 --epochs 4 --lr 0.004 --schedule onecycle \
        --dataset fig8:T8:0 --objects 10
    .venv/bin/python bench/recipe.py --train 10000 --epochs 4 --lr 0.004 --schedule onecycle \
        --dataset fig2:all:0 --fresh-draws on
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch
import yaml

from invariance import augment, dataset_kinds
from invariance import experiments as exp
from invariance.data import load_splits
from invariance.training import TrainConfig, train
from invariance.transforms2d import fresh

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", action="append", required=True, help="experiment:name:seed, e.g. fig2:all:0")
    ap.add_argument("--train", type=int, required=True)
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--schedule", default="constant")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--arch", default="resnet18")
    ap.add_argument("--width", type=float, default=0.125)
    ap.add_argument("--augment", action="store_true", help="CIFAR-based datasets: the authors' crop and flip")
    ap.add_argument(
        "--fresh-draws",
        choices=("on", "off"),
        help="Transforms-2D datasets: draw the training images afresh every epoch (default: as the quick scale)",
    )
    ap.add_argument("--assets", default=str(ROOT / "results/assets/offline"))
    ap.add_argument("--out", help="append one JSON line per run to this file")
    ap.add_argument("--objects", type=int, help="the experiment's object count (objects or objects_per_set) instead")
    a = ap.parse_args()
    torch.set_num_threads(1)
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    sizes = {"train": a.train, "val": 300, "test": 1000}
    for item in a.dataset:
        experiment, name, seed = item.split(":")
        if a.objects:
            block = config["experiments"][experiment]
            block["objects" if "objects" in block else "objects_per_set"] = a.objects
        if a.fresh_draws:  # the quick scale's switch, which the design applies to the datasets that have it
            config["scales"]["quick"]["fresh_draws"] = a.fresh_draws == "on"
        spec = dict(exp.design(config, "quick", experiment, int(seed)).datasets[name], sizes=sizes)
        kind = dataset_kinds.of(spec)
        drawn_afresh = bool(spec.get("fresh_draws"))
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "d.npz")
            kind.render(f"{a.assets}/pool.npz", f"{a.assets}/cifar10.npz", spec, path)
            splits, k = load_splits(path, "train", "val", "test")
            augmented = a.augment and kind.cifar_based
            cfg = TrainConfig(
                a.arch,
                a.width,
                a.epochs,
                a.batch,
                a.lr,
                int(seed),
                a.schedule,
                augment=augmented,
                fresh_draws=drawn_afresh,
            )
            layers = augment.layers_file(path, f"{a.assets}/cifar10.npz") if augmented else None
            layers = fresh.layers_file(path) if drawn_afresh else layers
            cpu0, wall0 = time.process_time(), time.perf_counter()
            # No checkpoint is ever written (an infinite interval); the path only has to be one.
            _, history = train(
                cfg,
                splits["train"],
                splits["val"],
                k,
                Path(tmp) / "unused.ckpt",
                item,
                test_split=splits["test"],
                checkpoint_every_s=float("inf"),
                layers=layers,
            )
        row = {
            "dataset": item,
            "objects": a.objects,
            **cfg.__dict__,
            "n_train": a.train,
            "classes": k,
            "train_accuracy": history[-1]["train_accuracy"],
            "test_accuracy": history[-1]["test_accuracy"],
            "val_accuracy": history[-1]["val_accuracy"],
            "train_cpu_s": round(time.process_time() - cpu0, 1),
            "train_wall_s": round(time.perf_counter() - wall0, 1),
        }
        print(json.dumps(row), flush=True)
        if a.out:
            with open(a.out, "a") as f:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
