"""Pretraining: Adam on a dataset held in memory, one checkpoint per epoch, resumable.

A checkpoint holds the model, the optimiser, the data-order generator and the metrics
so far; a job killed between epochs and started again continues from the last one and,
on the CPU, ends with exactly the metrics of an uninterrupted run.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from invariance.data import Split, load_splits, to_input
from invariance.device import Accelerator
from invariance.models import build_model
from invariance.seeding import derive_seed


class DivergedError(RuntimeError):
    pass


@dataclass(frozen=True)
class TrainConfig:
    arch: str
    width: float
    epochs: int
    batch_size: int
    lr: float
    seed: int
    compile: bool = False


def _save_atomic(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    torch.save(obj, tmp)
    os.replace(tmp, path)


@torch.no_grad()
def evaluate(model, split: Split, acc: Accelerator, batch_size: int = 1024) -> float:
    model.eval()
    correct = 0
    for lo in range(0, len(split), batch_size):
        x = to_input(split.x[lo : lo + batch_size].to(acc.device), acc.channels_last)
        with acc.autocast():
            correct += (model(x).argmax(1) == split.y[lo : lo + batch_size].to(acc.device)).sum().item()
    return correct / max(1, len(split))


def run_epoch(model, opt, data: Split, perm: torch.Tensor, batch_size: int, acc: Accelerator, desc: str = "epoch"):
    """One pass over ``data`` in the order ``perm``; returns (mean loss, accuracy).

    Batches are gathered by index from uint8 tensors already on the device; loss and
    accuracy accumulate on the device so the loop never waits for a host sync.
    """
    model.train()
    total, correct = torch.zeros((), device=acc.device), torch.zeros((), device=acc.device)
    steps = math.ceil(len(perm) / batch_size)
    for i in tqdm(range(steps), desc=desc, file=sys.stderr, mininterval=5):
        idx = perm[i * batch_size : (i + 1) * batch_size]
        x, y = to_input(data.x[idx], acc.channels_last), data.y[idx]
        with acc.autocast():
            logits = model(x)
            loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.detach() * len(y)
        correct += (logits.argmax(1) == y).sum()
    return float(total) / len(perm), float(correct) / len(perm)


def train(
    cfg: TrainConfig,
    train_split: Split,
    val_split: Split,
    num_classes: int,
    checkpoint: Path,
    job: str = "pretrain",
    acc: Accelerator | None = None,
) -> tuple[torch.nn.Module, list[dict]]:
    acc = acc or Accelerator.detect()
    device = acc.device
    torch.manual_seed(derive_seed(cfg.seed, "init"))
    model = acc.prepare(build_model(cfg.arch, num_classes, cfg.width))
    # Compiled and eager modules share parameters, so checkpoints hold the plain state dict.
    step_model = torch.compile(model) if cfg.compile else model
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    order = torch.Generator().manual_seed(derive_seed(cfg.seed, "order"))
    history: list[dict] = []
    start = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        if state["config"] != cfg.__dict__:
            raise RuntimeError(f"{job}: checkpoint {checkpoint} was written for another configuration "
                               f"({state['config']}); delete it to start over")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        order.set_state(state["order"])
        history, start = state["history"], state["epoch"]
        print(f"{job}: resuming from epoch {start} of {cfg.epochs} ({checkpoint})", file=sys.stderr)
    data = train_split.to(device)
    for epoch in range(start, cfg.epochs):
        perm = torch.randperm(len(data), generator=order).to(device)
        train_loss, train_acc = run_epoch(step_model, opt, data, perm, cfg.batch_size, acc,
                                          desc=f"{job} epoch {epoch + 1}/{cfg.epochs}")
        if not math.isfinite(train_loss):
            checkpoint.unlink(missing_ok=True)
            raise DivergedError(f"{job}: training diverged at epoch {epoch + 1} (loss {train_loss}); "
                                "no model was written. Lower the learning rate (training.lr) and rerun.")
        history.append({"epoch": epoch + 1, "train_loss": train_loss, "train_accuracy": train_acc,
                        "val_accuracy": evaluate(model, val_split, acc)})
        print(f"{job}: {history[-1]}", file=sys.stderr)
        _save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "order": order.get_state(),
                      "history": history, "epoch": epoch + 1, "config": cfg.__dict__}, checkpoint)
    return model, history


def pretrain_file(dataset: str, cfg: TrainConfig, model_out: str, checkpoint: str, job: str) -> list[dict]:
    splits, num_classes = load_splits(dataset, "train", "val")
    model, history = train(cfg, splits["train"], splits["val"], num_classes, Path(checkpoint), job)
    _save_atomic({"arch": cfg.arch, "width": cfg.width, "num_classes": num_classes,
                  "state_dict": {k: v.cpu() for k, v in model.state_dict().items()}, "history": history},
                 Path(model_out))
    Path(checkpoint).unlink(missing_ok=True)
    return history


def load_state(path) -> dict:
    return torch.load(path, map_location="cpu", weights_only=False)


def model_from_state(state: dict) -> torch.nn.Module:
    model = build_model(state["arch"], state["num_classes"], state["width"])
    model.load_state_dict(state["state_dict"])
    return model.eval()


def load_model(path) -> torch.nn.Module:
    return model_from_state(load_state(path))
