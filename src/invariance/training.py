"""Pretraining: Adam on a dataset held in memory, checkpointed by time, resumable.

A checkpoint holds the model, the optimiser, the learning-rate schedule, the data-order
generator and the metrics so far; a job killed between epochs and started again continues
from the last one and, on the CPU, ends with exactly the metrics of an uninterrupted run.
Checkpoints are written at most every ``checkpoint_every_s`` seconds (a GPU epoch of a small
model takes seconds, and each checkpoint is ~100 MB on a shared filesystem), and at once when the
job is asked to stop (SIGTERM: a cluster's time limit or preemption, which sends SIGKILL only after
a grace period): then mid-epoch, at the step it reached, and the rerun continues from that step.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from invariance import records
from invariance.artifacts import damaged, reading, weights_digest
from invariance.atomic import replacing
from invariance.data import Split, load_splits, to_input
from invariance.device import Accelerator, compiled
from invariance.models import build_model
from invariance.seeding import derive_seed
from invariance.train_config import TrainConfig, completed, recorded

SCHEDULES = ("constant", "onecycle")


class DivergedError(RuntimeError):
    pass


def _save_atomic(obj, path: Path) -> None:
    # Through a Python file, so a full disk or a quota raises the OS error itself (torch's own writer
    # reports only "unexpected pos").
    with replacing(path) as tmp, open(tmp, "wb") as f:
        torch.save(obj, f)


@torch.no_grad()
def evaluate(model, split: Split, acc: Accelerator, batch_size: int | None = None) -> float:
    """Accuracy on ``split`` (already on the device or not) with one host sync at the end."""
    model.eval()
    batch_size = batch_size or acc.inference_batch
    correct = torch.zeros((), dtype=torch.int64, device=acc.device)
    for lo in range(0, len(split), batch_size):
        x = to_input(split.x[lo : lo + batch_size].to(acc.device), acc.channels_last)
        with acc.autocast():
            correct += (model(x).argmax(1) == split.y[lo : lo + batch_size].to(acc.device)).sum()
    return int(correct) / max(1, len(split))


# Fused Adam is one kernel per step on a GPU, where the foreach one launches several. The CPU keeps
# its default, so CPU runs, and the code fingerprints computed on the CPU, keep their exact numbers.
FUSED_ADAM_DEVICES = frozenset({"cuda"})


def optimizer(params, lr: float, device: torch.device) -> torch.optim.Adam:
    return torch.optim.Adam(params, lr=lr, fused=True if device.type in FUSED_ADAM_DEVICES else None)


def _scheduler(opt, cfg: TrainConfig, steps_per_epoch: int):
    if cfg.lr_schedule not in SCHEDULES:
        raise ValueError(f"unknown lr_schedule {cfg.lr_schedule!r}; allowed: {', '.join(SCHEDULES)}")
    if cfg.lr_schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=max(1, cfg.epochs * steps_per_epoch))
    return torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0)


class Stopped(Exception):
    """An epoch left before ``step`` because the job was asked to stop; ``sums``: its loss and hits so far."""

    def __init__(self, step: int, sums: list[torch.Tensor]):
        super().__init__(step)
        self.step, self.sums = step, sums


class PreemptedError(RuntimeError):
    pass


@contextlib.contextmanager
def stop_requests():
    """An event that SIGTERM sets while the block runs (in the main thread; elsewhere it is never set)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def run_epoch(
    model,
    opt,
    data: Split,
    perm: torch.Tensor,
    batch_size: int,
    acc: Accelerator,
    desc: str = "epoch",
    sched=None,
    last_batch_model=None,
    first_step: int = 0,
    sums: list[torch.Tensor] | None = None,
    stop: threading.Event | None = None,
    gather=None,
):
    """One pass over ``data`` in the order ``perm``; returns (mean loss, accuracy).

    Batches are gathered by index from uint8 tensors already on the device; loss and
    accuracy accumulate on the device so the loop never waits for a host sync. A smaller
    last batch goes through ``last_batch_model`` (the eager module behind a compiled one),
    so a compiled graph only ever sees one shape. Once ``stop`` is set the epoch raises
    ``Stopped`` before its next step; ``first_step`` and ``sums`` continue such an epoch.
    ``gather(idx)``, if given, makes the uint8 batch instead of ``data.x[idx]`` (augmentation).
    """
    model.train()
    total, correct = (
        (s.to(acc.device) for s in sums) if sums else (torch.zeros((), device=acc.device) for _ in range(2))
    )
    steps = math.ceil(len(perm) / batch_size)
    for i in tqdm(range(first_step, steps), desc=desc, file=sys.stderr, mininterval=5, initial=first_step, total=steps):
        if stop is not None and stop.is_set():
            raise Stopped(i, [total.cpu(), correct.cpu()])
        idx = perm[i * batch_size : (i + 1) * batch_size]
        x, y = to_input(data.x[idx] if gather is None else gather(idx), acc.channels_last), data.y[idx]
        step_model = last_batch_model if (last_batch_model is not None and len(idx) < batch_size) else model
        with acc.autocast():
            logits = step_model(x)
            loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        total += loss.detach() * len(y)
        correct += (logits.argmax(1) == y).sum()
    return float(total) / len(perm), float(correct) / len(perm)


def _set_aside(path: Path, job: str, suffix: str, why: str) -> None:
    bad = path.with_name(path.name + suffix)
    os.replace(path, bad)
    print(
        f"{job}: WARNING: checkpoint {path} {why}; moved it to {bad} and training starts from scratch", file=sys.stderr
    )


# What restore reads (older checkpoints lack step and sums).
CHECKPOINT_KEYS = frozenset({"model", "optimizer", "scheduler", "order", "history", "epoch", "config"})


def load_checkpoint(path: Path, job: str, cfg: TrainConfig | None = None) -> dict | None:
    """The checkpoint's state on the CPU, or None (with a warning) when it cannot be used.

    Loaded to the CPU whatever the training device: the data-order generator only takes a
    CPU state, and ``load_state_dict`` moves model and optimiser tensors where they belong.
    A truncated file or one written for another configuration is set aside, never fatal: no
    job can be stuck on a bad checkpoint.
    """
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # a truncated or foreign file
        _set_aside(path, job, ".unreadable", f"is unreadable ({type(e).__name__}: {e})")
        return None
    missing = sorted(CHECKPOINT_KEYS - set(state)) if isinstance(state, dict) else ["(not a dict)"]
    if missing:  # loadable, yet not a checkpoint of this code: as useless as an unreadable one
        _set_aside(path, job, ".invalid", f"is not a training checkpoint (missing {', '.join(missing)})")
        return None
    if cfg is not None and completed(state.get("config")) != asdict(cfg):
        _set_aside(path, job, ".stale", f"was written for another configuration ({state.get('config')})")
        return None
    return state


def restore(state: dict, model, opt, sched, order: torch.Generator) -> tuple[list[dict], int]:
    """Load a CPU-side checkpoint into objects that may live on another device; returns (history, epoch)."""
    model.load_state_dict(state["model"])
    # Moves the moments to the parameters' device. The foreach Adam's step stays on the CPU, the fused one's
    # goes to the device; the saved `fused` flag is kept, so a CPU checkpoint resumes unfused on a GPU.
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    order.set_state(state["order"])
    return state["history"], state["epoch"]


def _checkpoint(path: Path, cfg: TrainConfig, model, opt, sched, order_state, history, epoch: int, step=0, sums=None):
    """Where training stands: before step ``step`` of epoch ``epoch`` (0-based), whose permutation
    ``order_state`` draws; ``sums``: that epoch's loss and hits so far."""
    _save_atomic(
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(),
            "order": order_state,
            "history": history,
            "epoch": epoch,
            "step": step,
            "sums": sums or [],
            "config": asdict(cfg),
        },
        path,
    )


def train(
    cfg: TrainConfig,
    train_split: Split,
    val_split: Split,
    num_classes: int,
    checkpoint: Path,
    job: str = "pretrain",
    acc: Accelerator | None = None,
    test_split: Split | None = None,
    compile: bool = False,
    checkpoint_every_s: float = 0.0,
    layers=None,
) -> tuple[torch.nn.Module, list[dict]]:
    """Trains from scratch, or from ``checkpoint``; own-task accuracy every ``cfg.eval_every`` epochs and at the last.

    layers: the training split taken apart, which ``cfg.augment`` (augment.Layers) and ``cfg.fresh_draws``
    (transforms2d.fresh.Layers) need: each epoch then draws its images afresh from them."""
    acc = acc or Accelerator.detect()
    device = acc.device
    if cfg.augment or cfg.fresh_draws:
        if layers is None or len(layers) != len(train_split):
            raise ValueError(
                f"{job}: {'augmentation' if cfg.augment else 'drawing afresh'} needs the training split's layers "
                "(augment.layers_file, transforms2d.fresh.layers_file)"
            )
        layers = layers.to(device)
    else:
        layers = None
    torch.manual_seed(derive_seed(cfg.seed, "init"))
    model = acc.prepare(build_model(cfg.arch, num_classes, cfg.width))
    # Compiled and eager modules share parameters, so checkpoints hold the plain state dict.
    step_model = compiled(model) if compile else model
    opt = optimizer(model.parameters(), cfg.lr, device)
    steps_per_epoch = math.ceil(len(train_split) / cfg.batch_size)
    sched = _scheduler(opt, cfg, steps_per_epoch)
    order = torch.Generator().manual_seed(derive_seed(cfg.seed, "order"))
    history: list[dict] = []
    start, step, sums = 0, 0, None
    state = load_checkpoint(checkpoint, job, cfg) if checkpoint.exists() else None
    if state is not None:
        history, start = restore(state, model, opt, sched, order)
        step, sums = state.get("step", 0), state.get("sums")
        print(
            f"{job}: resuming at epoch {start + 1}, step {step} of {cfg.epochs} epochs ({checkpoint})", file=sys.stderr
        )
    data, val = train_split.to(device), val_split.to(device)
    test = test_split.to(device) if test_split is not None else None
    last_save = time.monotonic()
    with stop_requests() as stop:
        for epoch in range(start, cfg.epochs):
            order_state = order.get_state()  # a checkpoint inside this epoch redraws its permutation from here
            perm = torch.randperm(len(data), generator=order).to(device)
            gather = None
            if layers is not None:  # drawn from (seed, epoch) alone: a resumed epoch sees the same images
                d = layers.draws(cfg.seed, epoch).to(device)
                gather = lambda idx, d=d: layers.batch(idx, d)  # noqa: E731
            try:
                train_loss, train_acc = run_epoch(
                    step_model,
                    opt,
                    data,
                    perm,
                    cfg.batch_size,
                    acc,
                    desc=f"{job} epoch {epoch + 1}/{cfg.epochs}",
                    sched=sched,
                    last_batch_model=model if compile else None,
                    first_step=step if epoch == start else 0,
                    sums=sums if epoch == start else None,
                    stop=stop,
                    gather=gather,
                )
            except Stopped as s:
                _checkpoint(checkpoint, cfg, model, opt, sched, order_state, history, epoch, s.step, s.sums)
                raise PreemptedError(
                    f"{job}: asked to stop (SIGTERM) at epoch {epoch + 1}, step {s.step}; checkpoint {checkpoint} "
                    "is written and the rerun (or the cluster's requeue) continues from there"
                ) from None
            if not math.isfinite(train_loss):
                checkpoint.unlink(missing_ok=True)
                raise DivergedError(
                    f"{job}: training diverged at epoch {epoch + 1} (loss {train_loss}); "
                    "no model was written. Lower the learning rate and rerun."
                )
            row = {"epoch": epoch + 1, "train_loss": train_loss, "train_accuracy": train_acc}
            # Nothing selects on val or test: they are measured for the curves and the own-task regime, whose
            # number is the last epoch's, so a long run may measure them every few epochs only.
            if (epoch + 1) % cfg.eval_every == 0 or epoch + 1 == cfg.epochs:
                row["val_accuracy"] = evaluate(model, val, acc)
                if test is not None:
                    row["test_accuracy"] = evaluate(model, test, acc)
            history.append(row)
            print(f"{job}: {row}", file=sys.stderr)
            if epoch + 1 < cfg.epochs and time.monotonic() - last_save >= checkpoint_every_s:
                _checkpoint(checkpoint, cfg, model, opt, sched, order.get_state(), history, epoch + 1)
                last_save = time.monotonic()
    return model, history


def pretrain_file(
    dataset: str,
    cfg: TrainConfig,
    model_out: str,
    history_out: str,
    checkpoint: str,
    job: str,
    compile: bool = False,
    checkpoint_every_s: float = 0.0,
    layers=None,
) -> list[dict]:
    splits, num_classes = load_splits(dataset, "train", "val", "test")
    if cfg.fresh_draws and layers is None:  # kept in the dataset file itself
        from invariance.transforms2d.fresh import layers_file

        layers = layers_file(dataset)
    model, history = train(
        cfg,
        splits["train"],
        splits["val"],
        num_classes,
        Path(checkpoint),
        job,
        test_split=splits["test"],
        compile=compile,
        checkpoint_every_s=checkpoint_every_s,
        layers=layers,
    )
    save_model(model, cfg.arch, cfg.width, num_classes, len(history), Path(model_out))
    records.write(history_out, "training history", {**recorded(cfg), "history": history})
    Path(checkpoint).unlink(missing_ok=True)
    return history


def save_model(model: torch.nn.Module, arch: str, width: float, num_classes: int, epochs: int, path: Path) -> None:
    """A model file: what builds the network, its weights, and their SHA-256 (load_state checks it)."""
    weights = {k: v.cpu() for k, v in model.state_dict().items()}
    _save_atomic(
        {
            "arch": arch,
            "width": width,
            "num_classes": num_classes,
            "state_dict": weights,
            "sha256": weights_digest(weights),
            "epochs": epochs,  # the history itself is the pretrain job's JSON (records.py)
        },
        Path(path),
    )


def load_state(path) -> dict:
    """A model file's contents, its weights checked against the digest written with them."""
    with reading(path, "model"):
        state = torch.load(path, map_location="cpu", weights_only=True)
        if weights_digest(state["state_dict"]) != state["sha256"]:
            raise damaged(path, "model", "its weights do not match the SHA-256 written with them")
    return state


def model_from_state(state: dict) -> torch.nn.Module:
    model = build_model(state["arch"], state["num_classes"], state["width"])
    model.load_state_dict(state["state_dict"])
    return model.eval()


def load_model(path) -> torch.nn.Module:
    return model_from_state(load_state(path))
