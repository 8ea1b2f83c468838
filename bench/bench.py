"""Side-by-side speed measurements, reported as ratios against references run in the same process.

    .venv/bin/python bench/bench.py              # full size, prints the table, writes results/bench/
    .venv/bin/python bench/bench.py --size smoke # seconds; what CI runs (checks the outputs only)

Rows: rendering (batched vs per-image torchvision), training (the pipeline's loop vs a DataLoader
loop over PIL images vs a bare step on one resident batch), probing (cached features vs 25 epochs
of last-layer fine-tuning with full forward passes), inference batch sizes, the CIFAR augmentation's
batch gather (against the plain gather and a training step), scheduling (`snakemake -n all` at paper scale)
the disk footprint each scale needs (computed from the job registry) and, with --workflow SCALE,
the wall time and measured disk footprint of a whole run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
import yaml
from PIL import Image

from invariance import augment, cost, logs, plan, registry, scheduler
from invariance import config as cfg
from invariance.assets.offline import build_pool
from invariance.data import Split, to_input
from invariance.device import INFERENCE_BATCH, Accelerator
from invariance.models import build_model
from invariance.probe_config import ProbeConfig
from invariance.probing import features, linear_probe
from invariance.training import run_epoch
from invariance.transforms2d.categories import CATEGORIES, CATEGORY_NAMES
from invariance.transforms2d.render import Group, Transforms2DSpec, object_canvas, render_split, render_split_reference

REPO = Path(__file__).resolve().parents[1]
SIZES = {  # images rendered / trained on / probed, per size
    "smoke": {"render": 64, "train": 256, "probe": 256, "arch": "vgg11", "width": 0.125},
    "full": {"render": 2000, "train": 4096, "probe": 4000, "arch": "resnet18", "width": 0.125},
}
# The paper scale's model width and batch, for the rows that set a per-batch cost beside its training step.
PAPER_STEP = {
    "smoke": {"paper_width": 0.125, "paper_batch": 64},
    "full": {"paper_width": 1.0, "paper_batch": 512},
}


def timed(fn, repeat: int = 1):
    """Best of ``repeat`` runs, and the last result."""
    return interleaved({"fn": fn}, repeat)["fn"]


def interleaved(fns: dict, repeat: int = 3) -> dict:
    """Best time of each function over ``repeat`` rounds, and its last result (``interleaved_wall_cpu``)."""
    best, out = interleaved_wall_cpu(fns, repeat)
    return {name: (best[name][0], out[name]) for name in fns}


def interleaved_wall_cpu(fns: dict, repeat: int = 3) -> tuple[dict[str, tuple[float, float]], dict]:
    """Each function's best (wall, CPU) seconds over ``repeat`` rounds, the functions taking turns within a
    round and the GPU's queue drained before each clock is read; and each function's last result.

    This shared VM's neighbours move single runs by up to 40% over minutes; alternating the variants
    makes such drift hit reference and candidate alike, so their ratio holds.
    """
    best, out = dict.fromkeys(fns, (float("inf"), float("inf"))), {}
    for _ in range(repeat):
        for name, fn in fns.items():
            wall, cpu = time.perf_counter(), time.process_time()
            out[name] = fn()
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            best[name] = min(best[name], (time.perf_counter() - wall, time.process_time() - cpu))
    return best, out


def training_step(arch: str, width: float, x: torch.Tensor, acc: Accelerator):
    """One Adam step of ``arch`` at ``width`` on the uint8 batch ``x`` (on the device), as a function."""
    model = acc.prepare(build_model(arch, 10, width))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    y = torch.zeros(len(x), dtype=torch.long, device=acc.device)

    def step():
        with acc.autocast():
            loss = F.cross_entropy(model(to_input(x, acc.channels_last)).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def bench_render(pool, n: int) -> list[dict]:
    spec = Transforms2DSpec((Group(tuple(range(30)), CATEGORY_NAMES),), {"train": n, "val": 1, "test": 1}, 0)
    fg, bg = pool["foregrounds"], pool["backgrounds"]
    t = interleaved(
        {
            "fast": lambda: render_split(spec, "train", fg, bg),
            "ref": lambda: render_split_reference(spec, "train", fg, bg),
        }
    )
    (t_fast, (fast, _)), (t_ref, (ref, _)) = t["fast"], t["ref"]
    max_diff = int(np.abs(fast.astype(int) - ref.astype(int)).max())
    return [
        {
            "benchmark": "render",
            "variant": "per-image torchvision (reference)",
            "unit": "images/s",
            "value": n / t_ref,
            "ratio": 1.0,
        },
        {
            "benchmark": "render",
            "variant": "batched",
            "unit": "images/s",
            "value": n / t_fast,
            "ratio": t_ref / t_fast,
            "max_difference": max_diff / 255,
            "note": f"max pixel difference {max_diff}/255",
        },
    ]


def bench_categories(pool, n: int) -> list[dict]:
    """Each registered category alone: batched against its per-image torchvision reference, same parameters."""
    x = object_canvas(pool["foregrounds"])[torch.arange(n) % len(pool["foregrounds"])]
    rows = []
    for name, c in CATEGORIES.items():
        p = c.sample(n, torch.Generator().manual_seed(0))
        t = interleaved(
            {
                "batched": lambda: c.apply_batch(x, p),
                "ref": lambda: torch.stack([c.apply_one(x[i], p[i]) for i in range(n)]),
            }
        )
        (t_fast, fast), (t_ref, ref) = t["batched"], t["ref"]
        rows.append(
            {
                "benchmark": "category",
                "variant": name,
                "unit": "images/s",
                "value": n / t_fast,
                "ratio": t_ref / t_fast,  # batched over per-image reference
                "max_difference": float((fast - ref).abs().max()),
                "note": f"batched; the per-image torchvision reference: {n / t_ref:.0f} images/s",
            }
        )
    return rows


class _PILDataset(torch.utils.data.Dataset):
    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.images, self.y = [Image.fromarray(i) for i in x], y
        import torchvision.transforms as T

        self.tf = T.Compose([T.ToTensor(), T.Normalize((0.5,) * 3, (0.5,) * 3)])

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.tf(self.images[i]), int(self.y[i])


def bench_train(n: int, arch: str, width: float, batch: int = 64) -> list[dict]:
    acc = Accelerator.detect()
    device = acc.device
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
    y = torch.randint(0, 30, (n,), generator=g)

    def fresh():
        torch.manual_seed(0)
        m = acc.prepare(build_model(arch, 30, width))
        return m, torch.optim.Adam(m.parameters(), 1e-3)

    data = Split(x, y).to(device)
    loader = torch.utils.data.DataLoader(
        _PILDataset(x.permute(0, 2, 3, 1).numpy(), y.numpy()), batch_size=batch, shuffle=True, num_workers=0
    )
    xb, yb = to_input(data.x[:batch], acc.channels_last), data.y[:batch]
    (m_pipe, o_pipe), (m_plain, o_plain), (m_ceil, o_ceil) = fresh(), fresh(), fresh()

    def pipeline():
        run_epoch(m_pipe, o_pipe, data, torch.randperm(n, device=device), batch, acc)

    def plain():
        m_plain.train()
        for xb_, yb_ in loader:
            xb_, yb_ = xb_.to(device), yb_.to(device)
            with acc.autocast():
                loss = F.cross_entropy(m_plain(xb_).float(), yb_)
            o_plain.zero_grad()
            loss.backward()
            o_plain.step()

    def ceiling():
        m_ceil.train()
        for _ in range(n // batch):
            with acc.autocast():
                loss = F.cross_entropy(m_ceil(xb).float(), yb)
            o_ceil.zero_grad(set_to_none=True)
            loss.backward()
            o_ceil.step()

    run_epoch(m_pipe, o_pipe, data, torch.arange(min(n, 4 * batch), device=device), batch, acc)  # warm-up
    t = interleaved({"pipeline": pipeline, "plain": plain, "ceiling": ceiling})
    t_pipe, t_plain, t_ceil = t["pipeline"][0], t["plain"][0], t["ceiling"][0]
    n_ceil = (n // batch) * batch
    ceil_rate = n_ceil / t_ceil
    return [
        {
            "benchmark": "train",
            "variant": "ceiling: one resident batch",
            "unit": "images/s",
            "value": ceil_rate,
            "ratio": 1.0,
        },
        {
            "benchmark": "train",
            "variant": "plain: DataLoader over PIL images",
            "unit": "images/s",
            "value": n / t_plain,
            "ratio": (n / t_plain) / ceil_rate,
        },
        {
            "benchmark": "train",
            "variant": "pipeline: uint8 resident, index-gathered",
            "unit": "images/s",
            "value": n / t_pipe,
            "ratio": (n / t_pipe) / ceil_rate,
            "note": f"{(n / t_pipe) / (n / t_plain):.2f}x the plain loop; {arch} width {width}, batch {batch}",
        },
    ]


def bench_augment_gather(n: int, batch: int, step_arch: str, width: float) -> list[dict]:
    """One epoch's batches of CIFAR-based training data: the authors' crop, flip and paste per sample
    (augment.batch, paper scale) against the plain index gather of stored images (every other scale),
    and a training step of the model for scale. Wall and CPU seconds, the variants taking turns."""
    g = torch.Generator().manual_seed(0)
    stored = torch.randint(0, 256, (n, 3, 32, 32), generator=g, dtype=torch.uint8)
    layers = augment.Layers(stored, torch.randint(-1, 10, (n,), generator=g), torch.rand(10, 4, 12, 12, generator=g))
    d = augment.draws(n, 0, 0)
    order = torch.randperm(n, generator=g)
    batches = [order[i : i + batch] for i in range(0, n - batch + 1, batch)]
    acc = Accelerator.detect()
    step = training_step(step_arch, width, stored[batches[0]].to(acc.device), acc)
    variants = {
        "plain": lambda: [stored[idx] for idx in batches],
        "augmented": lambda: [augment.batch(layers, idx, d) for idx in batches],
        "step": lambda: [step() for _ in range(4)],
    }
    best = interleaved_wall_cpu(variants)[0]
    per_batch = {k: (w / len(batches), c / len(batches)) for k, (w, c) in best.items()}
    per_batch["step"] = tuple(v / 4 for v in best["step"])
    plain, step_t = per_batch["plain"], per_batch["step"]
    labels = {
        "plain": f"plain index gather, batch {batch} (reference)",
        "augmented": f"crop + flip + paste per sample, batch {batch}",
        "step": f"training step, {step_arch} width {width:g}, batch {batch}",
    }
    return per_batch_rows(
        "augment gather", labels, per_batch, plain[0], lambda wall: f"{wall / step_t[0]:.1%} of a training step"
    )


def per_batch_rows(benchmark: str, labels: dict, per_batch: dict, reference_s: float, note=lambda wall: "") -> list:
    """One row per variant: wall ms per batch, its ratio to the reference, CPU ms and ``note(wall)`` beside."""
    return [
        {
            "benchmark": benchmark,
            "variant": labels[name],
            "unit": "ms/batch",
            "value": wall * 1e3,
            "ratio": wall / reference_s,
            "note": "; ".join(filter(None, [f"{cpu * 1e3:.2f} CPU-ms per batch", note(wall)])),
        }
        for name, (wall, cpu) in per_batch.items()
    ]


def bench_fresh_draws(n: int, batch: int, arch: str, width: float, categories=CATEGORY_NAMES[:8]) -> list[dict]:
    """A Transforms-2D training batch drawn afresh (fresh.Layers.batch: every ICLR category, one group, as fig
    8's T8; the paper scale's path) against a training step of ``arch`` at ``width`` on the same batch size,
    and the plain gather of stored images. Wall and CPU seconds, the variants taking turns."""
    from invariance.transforms2d import fresh

    g = torch.Generator().manual_seed(0)
    spec = Transforms2DSpec((Group(tuple(range(10)), tuple(categories)),), {"train": n, "val": 1, "test": 1}, 0, True)
    layers = fresh.Layers(
        spec,
        torch.rand(10, 4, 32, 32, generator=g),
        torch.rand(20, 3, 32, 32, generator=g),
        torch.randint(0, 10, (n,), generator=g),
        torch.randint(0, 20, (n,), generator=g),
        torch.zeros(n, dtype=torch.long),
    )
    acc = Accelerator.detect()
    layers = layers.to(acc.device)
    d = layers.draws(0, 0).to(acc.device)
    stored = torch.randint(0, 256, (n, 3, 32, 32), generator=g, dtype=torch.uint8).to(acc.device)
    idx = torch.randperm(n, generator=g)[:batch].to(acc.device)
    step = training_step(arch, width, stored[idx], acc)
    variants = {"plain": lambda: stored[idx], "fresh": lambda: layers.batch(idx, d), "step": step}
    best = interleaved_wall_cpu(variants)[0]
    step_t = best["step"][0]
    labels = {
        "plain": f"plain index gather, batch {batch}",
        "fresh": f"drawn afresh: {len(categories)} categories, composited, batch {batch}",
        "step": f"training step, {arch} width {width:g}, batch {batch} (reference)",
    }
    return per_batch_rows("fresh draws", labels, best, step_t)


def bench_inference_batch(n: int, width: float, archs=("resnet18", "densenet121")) -> list[dict]:
    """Forward passes without gradients (evaluation, probe features) at the CPU's and the GPU's inference
    batch (device.INFERENCE_BATCH), per architecture, on this machine's device."""
    acc, rows = Accelerator.detect(), []
    split = Split(torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8), torch.zeros(n, dtype=torch.long))
    small, large = sorted(set(INFERENCE_BATCH.values()))
    for arch in archs:
        model = acc.prepare(build_model(arch, 10, width))
        runs = interleaved({b: (lambda b=b: features(model, split, acc, batch_size=b)) for b in (large, small)})
        (ref_t, ref), (t, out) = runs[large], runs[small]
        for batch, secs in ((large, ref_t), (small, t)):
            rows.append(
                {
                    "benchmark": "inference batch",
                    "variant": f"{arch} width {width:g}, {n} images, batch {batch}"
                    + (" (reference)" * (batch == large))
                    + (" (used here)" * (batch == acc.inference_batch)),
                    "unit": "images/s",
                    "value": n / secs,
                    "ratio": ref_t / secs,
                    "note": ""
                    if batch == large
                    else f"bit-identical: {torch.equal(ref, out)}; "
                    f"max abs difference {(ref - out).abs().max().item():.2g}",
                }
            )
    return rows


def bench_probe(n: int, arch: str, width: float, epochs: int = 25, batch: int = 512) -> list[dict]:
    acc = Accelerator.detect()
    device = acc.device
    g = torch.Generator().manual_seed(1)
    # A target an untrained network's features still separate: the class sets one channel's level.
    y = torch.arange(n) % 10
    x = torch.randint(0, 20, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
    x[:, 1] += (y * 23).to(torch.uint8)[:, None, None]
    train, test = Split(x[: n * 3 // 4], y[: n * 3 // 4]), Split(x[n * 3 // 4 :], y[n * 3 // 4 :])
    torch.manual_seed(0)
    model = acc.prepare(build_model(arch, 10, width))
    # Probe a briefly trained backbone: an untrained one's features leave both probes at chance.
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for _ in range(2):
        run_epoch(model, opt, train.to(device), torch.randperm(len(train), generator=g).to(device), 64, acc)
    model.eval()

    # Both sides train the paper's Adam head; the cached-feature probe also fits the converged one.
    t_cached, res = timed(
        lambda: linear_probe(model, train, test, 10, ProbeConfig("adam", len(train), epochs, 1e-3, batch, 0), acc)
    )

    def full_forward():
        torch.manual_seed(0)
        head = torch.nn.Linear(model.feature_dim, 10).to(device)
        opt = torch.optim.Adam(head.parameters(), 1e-3)
        gen = torch.Generator().manual_seed(0)
        for _ in range(epochs):
            perm = torch.randperm(len(train), generator=gen)
            for lo in range(0, len(train), batch):
                idx = perm[lo : lo + batch]
                with torch.no_grad(), acc.autocast():
                    f = model.penultimate(to_input(train.x[idx].to(device), acc.channels_last)).float()
                loss = F.cross_entropy(head(f), train.y[idx].to(device))
                opt.zero_grad()
                loss.backward()
                opt.step()
        f_test = features(model, test, acc)
        return (head(f_test).argmax(1).cpu() == test.y).float().mean().item()

    t_full, acc_full = timed(full_forward)
    return [
        {
            "benchmark": "probe",
            "variant": f"full forward passes, {epochs} epochs (reference)",
            "unit": "s",
            "value": t_full,
            "ratio": 1.0,
            "note": f"accuracy {acc_full:.3f}",
        },
        {
            "benchmark": "probe",
            "variant": "cached features (Adam and converged L-BFGS heads)",
            "unit": "s",
            "value": t_cached,
            "ratio": t_full / t_cached,
            "note": f"accuracy {res['adam_accuracy']:.3f} (Adam), {res['lbfgs_accuracy']:.3f} (L-BFGS)",
        },
    ]


def _snakemake(*args, cwd=REPO, timeout=3600, env=None):
    exe = str(Path(sys.executable).with_name("snakemake"))
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=True, env=env)


def bench_schedule() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        t, out = timed(
            lambda: _snakemake(
                "-n",
                "all",
                "--config",
                "scale=paper",
                "assets=paper",
                "--directory",
                tmp,
                "--snakefile",
                str(REPO / "Snakefile"),
                "--configfile",
                str(REPO / "config.yaml"),
            )
        )
    jobs = sum(int(n) for n in _job_counts(out.stdout).values())
    return [
        {
            "benchmark": "schedule",
            "variant": "snakemake -n all, scale=paper",
            "unit": "s",
            "value": t,
            "ratio": float("nan"),
            "jobs": jobs,
            "note": f"{jobs} jobs",
        }
    ]


def _job_counts(text: str) -> dict[str, int]:
    import re

    table = text.split("Job stats:")[-1].split("total")[0]
    return {m[0]: int(m[1]) for m in re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.M)}


def bench_footprint(config: dict) -> list[dict]:
    """Disk a whole run needs per scale, computed (not measured) from the registry: uint8 images, fp32 weights."""
    rows = []
    config = cfg.resolve(config)
    for scale in config["scales"]:
        p = plan.build(dict(config, scale=scale))
        by_rule, weights = cost.disk_bytes(p)
        data = sum(by_rule.values())
        rows.append(
            {
                "benchmark": "footprint",
                "variant": f"estimate, scale={scale}",
                "unit": "GiB",
                "value": (data + weights) / 2**30,
                "ratio": float("nan"),
                "note": f"{len(p.registry.datasets)} datasets {data / 2**30:.2f} GiB, {len(p.registry.models)} models "
                f"{weights / 2**30:.2f} GiB; + assets, checkpoints while training",
            }
        )
    return rows


# What a workflow's CPU went to, by the rule of each job (everything else is "other").
# A job's CPU category is the step its rule belongs to: the rule file it is written in (workflow/rules/<step>.smk).
STEP_CATEGORY = {
    "datasets": "render",
    "pretrain": "pretrain",
    "probe": "probe",
    "tables": "tables and figures",
    "figures": "tables and figures",
    "claims": "tables and figures",
}
CPU_CATEGORIES = tuple(dict.fromkeys(STEP_CATEGORY.values()))


def rule_categories(rules_dir: Path = REPO / "workflow/rules") -> dict[str, str]:
    """Rule name -> its CPU category, read from the rule files (rules of other files, e.g. assets: "other")."""
    out = {}
    for f in sorted(rules_dir.glob("*.smk")):
        for rule in re.findall(r"^(?:rule|checkpoint) (\w+):", f.read_text(), re.M):
            if f.stem in STEP_CATEGORY:
                out[rule] = STEP_CATEGORY[f.stem]
    return out


def cpu_by_category(jobs: pd.DataFrame, scheduler_cpu_s: float, total_cpu_s: float) -> dict[str, float]:
    """CPU-seconds of a run: every job's start-up, then each category's work, the scheduler, and the rest."""
    work = jobs.groupby(jobs["rule"].map(rule_categories()).fillna("other"))["work_cpu_s"].sum()
    out = {"start-up": float(jobs["startup_cpu_s"].sum()), **{c: float(work.get(c, 0.0)) for c in CPU_CATEGORIES}}
    out["scheduler"] = scheduler_cpu_s
    out["other"] = total_cpu_s - sum(out.values())  # assets, Snakemake's job launchers, DAG building
    return out


def cost_by_experiment(jobs: pd.DataFrame, reg: registry.Registry) -> pd.DataFrame:
    """CPU-seconds per experiment and seed: each job's start-up and work, shared jobs split among their users.

    jobs: the job CPU log (its wildcard columns seed, dataset, arch, experiment); jobs of neither (assets,
    tables and figures of no one seed) are left out.
    """
    users = registry.users(reg)
    out = []
    for j in jobs.itertuples():
        seed = getattr(j, "seed", None)
        if pd.isna(seed):
            continue
        named = getattr(j, "experiment", None)
        who = {named} if isinstance(named, str) else users.get((int(seed), getattr(j, "dataset", None)), set())
        for e in who:
            out.append({"experiment": e, "seed": int(seed), "cpu_s": (j.startup_cpu_s + j.work_cpu_s) / len(who)})
    return pd.DataFrame(out).groupby(["experiment", "seed"], as_index=False)["cpu_s"].sum()


def verdict_times(verdicts: Path, started: float, total_s: float) -> list[dict]:
    """When each experiment's verdict (verdicts/<experiment>.md) was written, in seconds from the start.

    Jobs run in the order of `all`, so the first experiment's verdict (fig 2's headline) comes first.
    """
    return [
        {
            "benchmark": "workflow verdicts",
            "variant": md.stem,
            "unit": "s from start",
            "value": md.stat().st_mtime - started,
            "ratio": (md.stat().st_mtime - started) / total_s,
            "note": "ratio: of the whole run's wall time",
        }
        for md in sorted(verdicts.glob("*.md"), key=lambda p: p.stat().st_mtime)
    ]


def bench_workflow(config: dict, out: Path) -> list[dict]:
    """Times `all` from nothing, at the checked ``config``'s scale, in a copy of the workflow under ``out``."""
    scale = config["scale"]
    run = out / f"workflow-{scale}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    # src/ too, first on PYTHONPATH: the timed run uses a snapshot of the code, whatever is edited meanwhile.
    for name in ("Snakefile", "config.yaml", "environment.yml", "workflow", "profiles", "src"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, run / name)
    jobs_log, scheduler_log = run / "job_cpu.jsonl", run / "scheduler_cpu.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": str(run / "src"),
        logs.CPU_LOG: str(jobs_log),
        scheduler.CPU_LOG: str(scheduler_log),
    }
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
    t, _ = timed(
        lambda: _snakemake("--cores", "all", "all", "--config", f"scale={scale}", cwd=run, timeout=6 * 3600, env=env)
    )
    ended = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    jobs = pd.read_json(jobs_log, lines=True)
    sched = float(pd.read_json(scheduler_log, lines=True)["scheduler_cpu_s"].iloc[-1])
    disk = sum(p.stat().st_size for p in (run / "results").rglob("*") if p.is_file())
    rows = [
        {
            "benchmark": "workflow",
            "variant": f"snakemake all, scale={scale}",
            "unit": "s",
            "value": t,
            "ratio": float("nan"),
            "cpu_s": total,
            "jobs": len(jobs),
            "exit_after_last_job_s": ended - float(jobs["end"].max()),
            "note": f"disk {disk / 2**20:.1f} MiB; outputs in {run}",
        }
    ]
    rows += verdict_times(run / "results" / config["verdict"], started, t)
    per_seed = cost_by_experiment(jobs, plan.build(config).registry)
    for e, g in per_seed.groupby("experiment"):
        rows.append(
            {
                "benchmark": "workflow cost",
                "variant": e,
                "unit": "CPU-s per seed",
                "value": g.cpu_s.mean(),
                "ratio": float("nan"),
                "jobs": len(g),
                "note": f"{g.seed.nunique()} seeds, {g.cpu_s.sum():.0f} CPU-s in all (shared jobs split)",
            }
        )
    for category, cpu in cpu_by_category(jobs, sched, total).items():
        rows.append(
            {
                "benchmark": "workflow cpu",
                "variant": category,
                "unit": "CPU-s",
                "value": cpu,
                "ratio": cpu / total,
                "note": f"share of the run's {total:.0f} CPU-s",
            }
        )
    return rows


def main(argv=None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=SIZES, default="full")
    ap.add_argument(
        "--workflow",
        metavar="SCALE",
        help="also time a whole run at this scale (any of config.yaml's `scales`)",
    )
    ap.add_argument("--only-workflow", action="store_true", help="with --workflow: skip the other benchmarks")
    ap.add_argument("--out", default=str(REPO / "results/bench"))
    args = ap.parse_args(argv)
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    if args.workflow:  # an unknown scale is refused now, naming the defined ones, not after the other benchmarks
        try:
            config = cfg.resolve(dict(config, scale=args.workflow))
        except cfg.ConfigError as e:
            ap.error(str(e))
    size = SIZES[args.size] | PAPER_STEP[args.size]
    torch.manual_seed(0)
    rows = []
    if not (args.workflow and args.only_workflow):
        pool = build_pool()
        rows += bench_render(pool, size["render"])
        rows += bench_categories(pool, size["render"])
        rows += bench_train(size["train"], size["arch"], size["width"])
        rows += bench_probe(size["probe"], size["arch"], size["width"])
        rows += bench_inference_batch(size["probe"], size["width"])
        rows += bench_augment_gather(size["train"], 64, size["arch"], size["width"])
        rows += bench_fresh_draws(size["train"], size["paper_batch"], size["arch"], size["paper_width"])
        rows += bench_schedule()
        rows += bench_footprint(config)
    out = Path(args.out)
    if args.workflow:
        rows += bench_workflow(config, out)
    df = pd.DataFrame(rows)
    gpu = f" ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else ""
    df["device"] = str(Accelerator.detect()) + gpu
    df["machine"] = f"{platform.machine()}, {torch.get_num_threads()} threads"
    df["size"] = args.size
    out.mkdir(parents=True, exist_ok=True)
    name = f"workflow-{args.workflow}" if args.workflow and args.only_workflow else args.size
    df.to_parquet(out / f"bench_{name}.parquet", index=False)
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print(df[["benchmark", "variant", "unit", "value", "ratio", "note"]].to_string(index=False))
    return df


if __name__ == "__main__":
    main()
