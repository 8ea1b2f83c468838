"""What each expensive stage computes on a small fixed input: its code version (docs/reruns.md).

A render, pretraining, probe, l2 or sensitivity job reruns when its code would give other outputs,
not when its source text changes: the version of such a rule is the digest of the outputs its code
gives on a few fixed, randomly drawn images, recomputed only when the code it reaches changes
(``codeversion.source_key``) and cached by that key. A log line, a comment or a new function thus
reruns nothing, and a change to ResNet-18's forward pass reruns ResNet-18's jobs only (one digest per
architecture).

The fixed inputs are drawn here from a fixed numpy seed, never made by another stage's code, so that
an edit to the renderer does not change pretraining's digest. What they cannot see is in docs/reruns.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from unittest import mock

import numpy as np

from invariance.atomic import write_text
from invariance.codeversion import script_key, source_key
from invariance.runinfo import versions  # a library upgrade recomputes every digest (it may compute other bits)

# Where digests are kept between runs, by the key of the code they were computed from.
CACHE_ENV = "INVARIANCE_CODE_VERSIONS"

CLASSES = 10  # the pasted datasets tie one object to each CIFAR class
# The variant of a Transforms-2D render or pretraining job with fresh draws (a spec's `fresh_draws`): its
# version adds the fingerprint of that path, so an edit there reruns those jobs only. Not a category name.
FRESH = "fresh-draws"
# The stages that have that variant.
FRESH_STAGES = ("render_transforms2d.py", "pretrain.py")
SIZES = {"train": 12, "val": 4, "test": 4}
WIDTH = 1 / 16


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "invariance" / "code-versions"


def _pool() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20230101)
    return {
        "foregrounds": rng.integers(0, 256, (CLASSES + 2, 32, 32, 4), dtype=np.uint8),
        "backgrounds": rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8),
        "foreground_names": np.array([f"o{i}" for i in range(CLASSES + 2)]),
    }


def _cifar() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20230102)
    return {
        "class_names": np.array([f"c{i}" for i in range(CLASSES)]),
        "x_train": rng.integers(0, 256, (40, 32, 32, 3), dtype=np.uint8),
        "y_train": np.arange(40, dtype=np.int64) % CLASSES,
        "x_test": rng.integers(0, 256, (20, 32, 32, 3), dtype=np.uint8),
        "y_test": np.arange(20, dtype=np.int64) % CLASSES,
    }


def _dataset(classes: int, seed: int) -> dict[str, np.ndarray]:
    """A dataset file's arrays in the pasted layout (which the Transforms-2D one is a subset of)."""
    rng = np.random.default_rng(seed)
    out = {"num_classes": np.array(classes, dtype=np.int64)}
    for split, n in SIZES.items():
        out[f"x_{split}"] = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
        out[f"y_{split}"] = np.arange(n, dtype=np.int64) % classes
    out["source_train"] = rng.integers(-1, 40, SIZES["train"])
    out["which_train"] = rng.integers(-1, classes, SIZES["train"])
    out["objects"] = rng.random((classes, 4, 12, 12), dtype=np.float32)
    return out


@contextlib.contextmanager
def _workbench() -> Iterator[Path]:
    """A scratch folder with the fixed assets, and torch on one CPU thread (the same bits on any machine
    that has the same kernels), whatever GPU this process could see."""
    import torch

    from invariance.arrays import save_arrays

    threads = torch.get_num_threads()
    quiet = io.StringIO()  # the stage's own progress lines: not the workflow's output
    with (
        tempfile.TemporaryDirectory(prefix="invariance-fingerprint-") as tmp,
        torch.random.fork_rng(devices=[]),  # the seeds set here leave the workflow's own RNG as it was
        mock.patch.object(torch.cuda, "is_available", lambda: False),
        contextlib.redirect_stdout(quiet),
        contextlib.redirect_stderr(quiet),
    ):
        root = Path(tmp)
        save_arrays(root / "pool.npz", _pool())
        save_arrays(root / "cifar.npz", _cifar())
        torch.set_num_threads(1)
        try:
            yield root
        finally:
            torch.set_num_threads(threads)


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else json.dumps(p, sort_keys=True, default=repr).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _written(root: Path, kind: str, record) -> bytes:
    """A result as the stage's script writes it (records.write): its file format is part of the output."""
    from invariance.records import write

    write(root / "result.json", kind, record)
    return (root / "result.json").read_bytes()


def _model_digest(path: Path) -> str:
    from invariance.training import load_state

    state = load_state(path)
    weights = [(k, v.numpy().tobytes()) for k, v in sorted(state["state_dict"].items())]
    meta = {k: v for k, v in state.items() if k not in ("state_dict", "sha256")}
    return _digest(meta, *[b for kv in weights for b in (kv[0].encode(), kv[1])])


def _fresh_model(root: Path, arch: str, name: str, classes: int = 3) -> Path:
    """A model file of the pretrain format, at its seeded initialisation (not trained by this code)."""
    import torch

    from invariance.models import build_model
    from invariance.training import save_model

    torch.manual_seed(0)
    path = root / f"{name}.pt"
    save_model(build_model(arch, classes, WIDTH), arch, WIDTH, classes, 0, path)
    return path


def render_transforms2d(category: str | None) -> str:
    """Rendering with no transformation (None), or with one category: a dataset's version combines the
    untransformed one with those of its own categories, so an edit to one category, or a new one,
    reruns only the datasets that use it. FRESH: a render that keeps its training layers."""
    from invariance.transforms2d.render import render_dataset_file

    transforms = [category] if category not in (None, FRESH) else []
    groups = [{"objects": [0, 1], "transforms": transforms}, {"objects": [2], "transforms": []}]
    fresh = {"fresh_draws": True} if category == FRESH else {}
    with _workbench() as root:
        out = []
        for seed in (0, 1):
            spec = {"groups": groups, "sizes": {"train": 10, "val": 5, "test": 5}, "seed": seed, **fresh}
            render_dataset_file(str(root / "pool.npz"), spec, str(root / "d.npz"))
            out.append((root / "d.npz").read_bytes())
        return _digest(*out)


def cifar_offline(_: str | None) -> str:
    """The offline CIFAR-10 stand-in at a few images per split: its emoji, photos and the categories it applies.

    Fingerprinted rather than versioned by the code it reaches: it names its categories by string through the
    registry, so its reach is every category, and an edit to any one would rerun it and the whole CIFAR branch.
    """
    from invariance.arrays import save_arrays
    from invariance.assets import cifar_standin

    with _workbench() as root:
        save_arrays(root / "cifar10.npz", cifar_standin.build({"train": 12, "test": 6}))
        return _digest((root / "cifar10.npz").read_bytes())


def render_pasted(_: str | None) -> str:
    from invariance.pasted import LABELS, render_dataset_file

    with _workbench() as root:
        out = []
        for label in LABELS:
            for background, present, tied in (("cifar", 1.0, 0.5), ("black", 1.0, 1.0), ("cifar", 0.5, 0.0)):
                if label == "object" and present < 1:
                    continue
                spec = {
                    "objects": list(range(CLASSES)),
                    "present": present,
                    "tied": tied,
                    "label": label,
                    "background": background,
                    "sizes": {"train": 8, "val": 4, "test": 4},
                    "seed": 3,
                }
                render_dataset_file(str(root / "pool.npz"), str(root / "cifar.npz"), spec, str(root / "d.npz"))
                out.append((root / "d.npz").read_bytes())
        return _digest(*out)


# The category and the network the fresh-draws fingerprint trains with: its own, defined here, so that an
# edit to a registered category reruns only the datasets that use it (through their renders), and an edit
# to an architecture only that architecture's models, never every model drawn afresh.
_FINGERPRINT_CATEGORY = "fingerprint-mirror"
_FINGERPRINT_ARCH = "fingerprint-net"


@contextlib.contextmanager
def _fingerprint_registrations() -> Iterator[None]:
    """For the block: ``_FINGERPRINT_CATEGORY`` (a per-sample mirror with a per-sample brightness) and
    ``_FINGERPRINT_ARCH`` (one convolution, pooled)."""
    import torch
    from torch import nn

    from invariance.models import ARCHITECTURES, Architecture
    from invariance.transforms2d.categories import CATEGORIES, Category

    def body(width: float) -> tuple[nn.Module, int]:
        return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()), 4

    def apply(x, p):
        mirrored = torch.where(p[:, :1, None, None] > 0.5, x.flip(-1), x)
        return torch.cat([mirrored[:, :3] * p[:, 1:, None, None].to(x.dtype), mirrored[:, 3:]], 1)

    sample = lambda n, g: torch.rand(n, 2, generator=g, dtype=torch.float64)  # noqa: E731
    mirror = Category(_FINGERPRINT_CATEGORY, "geometric", 2, sample, apply, apply)
    net = Architecture(body, _FINGERPRINT_ARCH, 1)
    with (
        mock.patch.dict(CATEGORIES, {_FINGERPRINT_CATEGORY: mirror}),
        mock.patch.dict(ARCHITECTURES, {_FINGERPRINT_ARCH: net}),
    ):
        yield


def _fresh_dataset(classes: int, seed: int) -> dict[str, np.ndarray]:
    """A dataset file of the Transforms-2D layout with fresh draws: its layers drawn here, not rendered."""
    rng = np.random.default_rng(seed)
    spec = {
        "groups": [
            {"objects": [0, 1], "transforms": [_FINGERPRINT_CATEGORY]},
            {"objects": [2], "transforms": [_FINGERPRINT_CATEGORY, _FINGERPRINT_CATEGORY]},
        ],
        "sizes": dict(SIZES),
        "seed": seed,
        "fresh_draws": True,
    }
    out = _dataset(classes, seed)
    out["spec"] = np.array(json.dumps(spec, sort_keys=True))
    out["class_prototypes"] = rng.integers(0, 256, (classes, 32, 32, 4), dtype=np.uint8)
    out["backgrounds"] = rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    out["background_train"] = rng.integers(0, 4, SIZES["train"])
    return out


def pretrain(arch: str) -> str:
    """Pretraining one architecture, with and without the CIFAR augmentation; FRESH: with fresh draws (on a
    network of its own: the job's own architecture variant covers its architecture beside it)."""
    from invariance.arrays import save_arrays
    from invariance.augment import layers_file
    from invariance.records import read
    from invariance.train_config import TrainConfig
    from invariance.training import pretrain_file

    if arch == FRESH:
        with _workbench() as root, _fingerprint_registrations():
            save_arrays(root / "d.npz", _fresh_dataset(3, 6))
            cfg = TrainConfig(_FINGERPRINT_ARCH, WIDTH, 2, 4, 1e-3, 0, "onecycle", fresh_draws=True)
            pretrain_file(str(root / "d.npz"), cfg, str(root / "m.pt"), str(root / "h.json"), str(root / "c.pt"), "fp")
            return _digest(_model_digest(root / "m.pt"), read(root / "h.json", "training history"))
    with _workbench() as root:
        save_arrays(root / "d.npz", _dataset(3, 5))
        out = []
        for augment, schedule in ((False, "onecycle"), (True, "constant")):
            cfg = TrainConfig(arch, WIDTH, 2, 4, 1e-3, 0, schedule, augment, 1)
            layers = layers_file(str(root / "d.npz"), str(root / "cifar.npz")) if augment else None
            pretrain_file(
                str(root / "d.npz"),
                cfg,
                str(root / "m.pt"),
                str(root / "h.json"),
                str(root / "c.pt"),
                "fingerprint",
                layers=layers,
            )
            out += [_model_digest(root / "m.pt"), read(root / "h.json", "training history")]
        return _digest(*out)


def probe(arch: str) -> str:
    from invariance.arrays import save_arrays
    from invariance.probe_config import SOLVERS, ProbeConfig
    from invariance.probing import probe_targets
    from invariance.training import load_state, model_from_state

    with _workbench() as root:
        model = model_from_state(load_state(_fresh_model(root, arch, "m")))
        targets = {}
        for i, classes in enumerate((2, 3)):
            save_arrays(root / f"t{i}.npz", _dataset(classes, 10 + i))
            targets[f"t{i}"] = str(root / f"t{i}.npz")
        out = [probe_targets(model, targets, ProbeConfig(s, 8, 3, 1e-3, 4, 0)) for s in SOLVERS]
        record = {"width": WIDTH, "pretrain_epochs": 0, "probe_epochs": 3, "targets": out[0]}
        return _digest(*out, _written(root, "probe result", record))


def l2_ratios(arch: str) -> str:
    from invariance.arrays import save_arrays
    from invariance.representations import l2_ratios as ratios

    with _workbench() as root:
        models = {"a": str(_fresh_model(root, arch, "a"))}
        save_arrays(root / "t.npz", _dataset(3, 20))
        rows = ratios(models, {"t": str(root / "t.npz")}, arch, WIDTH, 0, "untrained")
        return _digest(_written(root, "l2 result", [{"seed": 0, "architecture": arch, **r} for r in rows]))


def sensitivity(arch: str) -> str:
    from invariance.sensitivity import sensitivities

    with _workbench() as root:
        models = {"a": str(_fresh_model(root, arch, "a"))}
        rows = sensitivities(models, str(root / "pool.npz"), str(root / "cifar.npz"), [0, 1, 2], 0)
        return _digest(_written(root, "sensitivity result", rows))


# The rules whose jobs are worth a fingerprint (minutes to GPU-hours each, or all of the CIFAR branch after
# them), by script, each fingerprinted
# on the variants a job names (common.smk: its architecture, or its dataset's categories); every other
# rule (tables, figures, verdicts: seconds) is versioned by the code it reaches alone.
STAGES: dict[str, Callable[[str | None], str]] = {
    "cifar_offline.py": cifar_offline,
    "render_transforms2d.py": render_transforms2d,
    "render_pasted.py": render_pasted,
    "pretrain.py": pretrain,
    "probe.py": probe,
    "l2_ratios.py": l2_ratios,
    "sensitivity.py": sensitivity,
}


@lru_cache(maxsize=None)  # once per process: every dataset's version asks for the untransformed render's
def fingerprint(script: str | os.PathLike, variant: str | None = None) -> str:
    """A stage's outputs on the fixed input, from the cache when its code has not changed since."""
    name = Path(script).name
    fn = STAGES[name]
    key = _digest(source_key(str(script), roots=((__name__, fn.__name__),)), variant, versions())
    cached = cache_dir() / f"{name[:-3]}-{variant or 'all'}-{key}"
    if cached.is_file():
        value = cached.read_text().strip()
        if len(value) == 16:
            return value
    value = fn(variant)
    with contextlib.suppress(OSError):  # a read-only or full home still gets the right version, only slower
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text(cached, value + "\n")
    return value


@lru_cache(maxsize=None)
def version(script: str, *variants: str | None) -> str:
    """A rule's code version: its script's own statements, and what the code it runs gives (fingerprints of
    the job's variants, for the stages in STAGES) or, for the others, the code it reaches."""
    if Path(script).name in STAGES:
        behaviour = _digest(*[fingerprint(script, v) for v in variants or (None,)])
    else:
        behaviour = source_key(str(script))
    return _digest(script_key(script), behaviour)
