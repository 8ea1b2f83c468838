"""Render Transforms-2D datasets: prototypes on a canvas, transformed, pasted on backgrounds.

A dataset is a list of *groups*; a group is a set of objects (one class each) that all
share one ordered list of transformation categories. The paper's D(O, T) is a single
group; fig 5's D_T1+T2 has two. Every per-sample parameter of a split is drawn before
any pixel is computed, so the bytes do not depend on the chunk size, and the batched
renderer and the per-image torchvision reference render the same samples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from invariance.arrays import load_arrays, save_arrays
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import category

CANVAS = 32
OBJECT_SCALE = 0.7
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class Group:
    objects: tuple[int, ...]
    transforms: tuple[str, ...]


@dataclass(frozen=True)
class Transforms2DSpec:
    groups: tuple[Group, ...]
    sizes: dict[str, int]
    seed: int
    # Training images drawn afresh every epoch (invariance.transforms2d.fresh), as the authors train: the file
    # then also keeps what stays fixed of its training split (its layers). Absent from the dict when off,
    # so the ids of datasets rendered before it existed do not change.
    fresh_draws: bool = False

    @property
    def num_classes(self) -> int:
        return sum(len(g.objects) for g in self.groups)

    def to_dict(self) -> dict:
        d = {
            "groups": [{"objects": list(g.objects), "transforms": list(g.transforms)} for g in self.groups],
            "sizes": {s: int(self.sizes[s]) for s in SPLITS},
            "seed": int(self.seed),
        }
        return d | {"fresh_draws": True} if self.fresh_draws else d

    @property
    def class_objects(self) -> list[int]:
        """The pool index of each class's object, in class order."""
        return [o for g in self.groups for o in g.objects]

    @classmethod
    def from_dict(cls, d: dict) -> "Transforms2DSpec":
        groups = tuple(Group(tuple(int(o) for o in g["objects"]), tuple(g["transforms"])) for g in d["groups"])
        for g in groups:
            for t in g.transforms:
                category(t)  # fails early, naming the unknown transformation
        return cls(groups, {s: int(d["sizes"][s]) for s in SPLITS}, int(d["seed"]), bool(d.get("fresh_draws", False)))


def floats(images: np.ndarray) -> torch.Tensor:
    """(n, H, W, C) uint8 -> (n, C, H, W) float in [0, 1]."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255


def object_canvas(prototypes: np.ndarray, scale: float = OBJECT_SCALE) -> torch.Tensor:
    """(K, 32, 32, 4) uint8 prototypes -> (K, 4, 32, 32) float canvases, object scaled and centred."""
    x = floats(prototypes)
    side = int(round(CANVAS * scale))
    small = F.interpolate(x, size=(side, side), mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)
    canvas = torch.zeros(len(x), 4, CANVAS, CANVAS)
    o = (CANVAS - side) // 2
    canvas[:, :, o : o + side, o : o + side] = small
    return canvas


def composite(fg: torch.Tensor, bg: torch.Tensor) -> torch.Tensor:
    """Alpha-composite straight-alpha RGBA floats onto RGB floats; returns uint8 NHWC."""
    a = fg[:, 3:4].clamp(0, 1)
    out = fg[:, :3].clamp(0, 1) * a + bg * (1 - a)
    return (out * 255).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).contiguous()


@dataclass(frozen=True)
class SplitPlan:
    """Everything random about one split, drawn up front."""

    labels: torch.Tensor  # (n,) class index
    backgrounds: torch.Tensor  # (n,) index into the background pool
    params: dict[tuple[int, int], torch.Tensor]  # (group, position in its transform list) -> (n_group, k)
    members: list[torch.Tensor]  # per group: sample indices


def plan_split(spec: Transforms2DSpec, split: str, n_backgrounds: int) -> SplitPlan:
    n = spec.sizes[split]
    g = torch.Generator().manual_seed(derive_seed(spec.seed, split))
    # Balanced classes, shuffled: every class is present even in tiny smoke splits.
    labels = (torch.arange(n) % spec.num_classes)[torch.randperm(n, generator=g)]
    backgrounds = torch.randint(n_backgrounds, (n,), generator=g)
    params, members, start = {}, [], 0
    for gi, group in enumerate(spec.groups):
        idx = torch.nonzero((labels >= start) & (labels < start + len(group.objects))).flatten()
        members.append(idx)
        for ti, name in enumerate(group.transforms):
            params[(gi, ti)] = category(name).sample(len(idx), g)
        start += len(group.objects)
    return SplitPlan(labels, backgrounds, params, members)


def _prepare(spec: Transforms2DSpec, split: str, prototypes: np.ndarray, backgrounds: np.ndarray):
    """What both renderers start from: the plan, one canvas per class, backgrounds, the output buffer."""
    plan = plan_split(spec, split, len(backgrounds))
    canvases = object_canvas(prototypes)[torch.tensor(spec.class_objects, dtype=torch.long)]
    bg = floats(backgrounds)
    out = torch.empty(len(plan.labels), CANVAS, CANVAS, 3, dtype=torch.uint8)
    return plan, canvases, bg, out


def transform(x: torch.Tensor, names: tuple[str, ...], params: list[torch.Tensor]) -> torch.Tensor:
    """Objects (n, 4, 32, 32) through a group's categories in order, each with its (n, k) parameters."""
    for name, p in zip(names, params, strict=True):
        x = category(name).apply_batch(x, p)
    return x


def render_split(
    spec: Transforms2DSpec, split: str, prototypes: np.ndarray, backgrounds: np.ndarray, chunk: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """Batched renderer: returns (images (n, 32, 32, 3) uint8, labels (n,) int64)."""
    plan, canvases, bg, out = _prepare(spec, split, prototypes, backgrounds)
    for gi, group in enumerate(spec.groups):
        idx = plan.members[gi]
        for lo in range(0, len(idx), chunk):
            sel = idx[lo : lo + chunk]
            params = [plan.params[(gi, ti)][lo : lo + chunk] for ti in range(len(group.transforms))]
            out[sel] = composite(
                transform(canvases[plan.labels[sel]], group.transforms, params), bg[plan.backgrounds[sel]]
            )
    return out.numpy(), plan.labels.numpy().astype(np.int64)


def render_split_reference(
    spec: Transforms2DSpec, split: str, prototypes: np.ndarray, backgrounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-image torchvision path: the definition the batched renderer is checked against."""
    plan, canvases, bg, out = _prepare(spec, split, prototypes, backgrounds)
    for gi, group in enumerate(spec.groups):
        for j, i in enumerate(plan.members[gi].tolist()):
            x = canvases[plan.labels[i]]
            for ti, name in enumerate(group.transforms):
                x = category(name).apply_one(x, plan.params[(gi, ti)][j])
            out[i] = composite(x[None], bg[plan.backgrounds[i]][None])[0]
    return out.numpy(), plan.labels.numpy().astype(np.int64)


def render_dataset(spec: Transforms2DSpec, prototypes: np.ndarray, backgrounds: np.ndarray) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for split in SPLITS:
        arrays[f"x_{split}"], arrays[f"y_{split}"] = render_split(spec, split, prototypes, backgrounds)
    arrays["num_classes"] = np.array(spec.num_classes, dtype=np.int64)
    if spec.fresh_draws:  # the training split's layers, from which training draws its images afresh
        arrays["spec"] = np.array(json.dumps(spec.to_dict(), sort_keys=True))
        arrays["class_prototypes"] = prototypes[spec.class_objects]
        arrays["backgrounds"] = backgrounds
        arrays["background_train"] = plan_split(spec, "train", len(backgrounds)).backgrounds.numpy()
    return arrays


def render_dataset_file(pool_path: str, spec: dict, out_path: str) -> None:
    pool = load_arrays(pool_path)
    save_arrays(out_path, render_dataset(Transforms2DSpec.from_dict(spec), pool["foregrounds"], pool["backgrounds"]))
