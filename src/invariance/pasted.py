"""CIFAR-10 images with small objects pasted in the upper-right corner (figures 3, 4 and 7).

One spec covers every dataset of sections 3.2 and 4.1:
  present  probability that an object is pasted at all (availability, beta)
  tied     probability that the pasted object is the one tied to the image's CIFAR class
           (relevance, alpha); otherwise it is uniform over the 10 objects
  label    "class" (Y=C) or "object" (Y=O)
  background "cifar" (X=C or X=C+O) or "black" (X=O)
The images depend on everything but the label, so (X=C+O, Y=C) and (X=C+O, Y=O) hold the
same images. Train and val come from CIFAR's train split, test from its test split; every
dataset of a seed draws the same CIFAR images.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F

from invariance.arrays import load_arrays, save_arrays
from invariance.compositing import composite
from invariance.seeding import derive_seed
from invariance.transforms2d.render import CANVAS, OBJECT_SCALE, SPLITS

# docs/reproduction.md, "Details the paper leaves open": prototypes scaled by a further 0.55, pasted at
# compositing.PASTE_AT.
PASTE_SCALE = 0.55
LABELS = ("class", "object")
BACKGROUNDS = ("cifar", "black")


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class PastedSpec:
    objects: tuple[int, ...]  # pool indices; object i is tied to CIFAR class i
    present: float
    tied: float
    label: str
    background: str
    sizes: dict[str, int]
    seed: int  # the experiment seed: fixes which CIFAR images are drawn

    def __post_init__(self):
        if self.label not in LABELS or self.background not in BACKGROUNDS:
            raise SpecError(
                f"label must be one of {LABELS} and background one of {BACKGROUNDS}, "
                f"got {self.label!r}, {self.background!r}"
            )
        if not (0 <= self.present <= 1 and 0 <= self.tied <= 1):
            raise SpecError(f"present and tied are probabilities, got {self.present}, {self.tied}")
        if self.label == "object" and self.present < 1:
            raise SpecError("an object label needs an object on every image (present=1)")

    @property
    def num_classes(self) -> int:
        return len(self.objects)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["objects"] = list(self.objects)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "PastedSpec":
        fields = {k: v for k, v in d.items() if k != "kind"}
        return cls(**{**fields, "objects": tuple(int(o) for o in d["objects"]), "sizes": dict(d["sizes"])})


def cifar_indices(seed: int, sizes: dict[str, int], n_train_pool: int, n_test_pool: int) -> dict[str, np.ndarray]:
    """Which CIFAR images each split uses: disjoint train/val from CIFAR train, test from CIFAR test.

    Sizes the pools cannot provide are refused, never capped (the config check refuses them before
    any job starts; this is the last line)."""
    train, val = sizes["train"], sizes["val"]
    if train + val > n_train_pool or sizes["test"] > n_test_pool:
        raise SpecError(
            f"sizes train {train} + val {val} and test {sizes['test']} exceed CIFAR-10's {n_train_pool} training "
            f"and {n_test_pool} test images"
        )
    perm = np.random.default_rng(derive_seed("cifar-images", seed)).permutation(n_train_pool)
    test_perm = np.random.default_rng(derive_seed("cifar-test-images", seed)).permutation(n_test_pool)
    test = test_perm[: sizes["test"]]
    return {"train": perm[:train], "val": perm[train : train + val], "test": test}


def small_objects(prototypes: np.ndarray) -> torch.Tensor:
    """(K, 32, 32, 4) uint8 -> (K, 4, s, s) floats, s = 32 * 0.7 * 0.55 (about 12 px)."""
    side = int(round(CANVAS * OBJECT_SCALE * PASTE_SCALE))
    x = torch.from_numpy(prototypes).permute(0, 3, 1, 2).float() / 255
    return F.interpolate(x, size=(side, side), mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)


def paste(images: np.ndarray, objects: torch.Tensor, which: np.ndarray) -> np.ndarray:
    """``compositing.composite`` on (N, H, W, 3) uint8 arrays."""
    out = composite(torch.from_numpy(images).permute(0, 3, 1, 2), objects, torch.from_numpy(which))
    return out.permute(0, 2, 3, 1).numpy()


def _draw(spec: PastedSpec, split: str, cifar: dict, idx: np.ndarray):
    """A split's CIFAR classes, pasted objects (-1: none) and backgrounds, before pasting."""
    # Neither the label nor the background is part of the seed: Y=C and Y=O versions hold the
    # same images, and X=O shows the same objects as X=C+O.
    rng = np.random.default_rng(derive_seed("pasted", spec.seed, spec.objects, spec.present, spec.tied, split))
    source = "train" if split in ("train", "val") else "test"
    classes = cifar[f"y_{source}"][idx]
    n = len(idx)
    present = rng.random(n) < spec.present
    tied = rng.random(n) < spec.tied
    random_object = rng.integers(spec.num_classes, size=n)
    which = np.where(tied, classes, random_object)
    which = np.where(present, which, -1)
    base = cifar[f"x_{source}"][idx] if spec.background == "cifar" else np.zeros((n, CANVAS, CANVAS, 3), np.uint8)
    return classes, which, base


def render_split(spec: PastedSpec, split: str, cifar: dict, prototypes: np.ndarray, idx: np.ndarray):
    classes, which, base = _draw(spec, split, cifar, idx)
    images = paste(base, small_objects(prototypes[list(spec.objects)]), which)
    labels = classes if spec.label == "class" else which
    return images, labels.astype(np.int64), which


def render_dataset(spec: PastedSpec, cifar: dict, prototypes: np.ndarray) -> dict[str, np.ndarray]:
    if spec.num_classes != len(cifar["class_names"]):
        raise SpecError(
            f"{spec.num_classes} objects given; one per CIFAR class ({len(cifar['class_names'])}) "
            "is needed to tie an object to each class"
        )
    idx = cifar_indices(spec.seed, spec.sizes, len(cifar["y_train"]), len(cifar["y_test"]))
    arrays: dict[str, np.ndarray] = {}
    for split in SPLITS:
        arrays[f"x_{split}"], arrays[f"y_{split}"], which = render_split(spec, split, cifar, prototypes, idx[split])
        if split == "train":
            # The training images taken apart (invariance.augment): the CIFAR image each one is made from
            # (-1: black) and its object (-1: none), with the objects as pasted.
            arrays["source_train"] = idx["train"] if spec.background == "cifar" else np.full(len(which), -1)
            arrays["which_train"] = which
    arrays["objects"] = small_objects(prototypes[list(spec.objects)]).numpy()
    arrays["num_classes"] = np.array(spec.num_classes, dtype=np.int64)
    return arrays


def render_dataset_file(pool_path: str, cifar_path: str, spec: dict, out_path: str) -> None:
    pool, cifar = load_arrays(pool_path), load_arrays(cifar_path)
    save_arrays(out_path, render_dataset(PastedSpec.from_dict(spec), cifar, pool["foregrounds"]))
