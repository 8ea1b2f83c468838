"""Transforms-2D training images drawn afresh every epoch, rendered in batches on the training device.

The authors' dataset transforms its object at every access (their ``ForegroundsDataset.__getitem__``):
a sample index keeps its class, object and background, and its transformations are drawn anew each
epoch. Here a dataset file rendered with ``fresh_draws`` keeps those fixed layers (the render rule
writes them); each epoch draws every sample's parameters from (seed, epoch) alone, so a run resumed
inside an epoch sees the same images, and each training batch is rendered by the same batched code
that renders the stored splits (``render.transform``, ``render.composite``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import torch

from invariance.artifacts import reading
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import category
from invariance.transforms2d.render import Transforms2DSpec, composite, floats, object_canvas, transform


@dataclass
class Draws:
    """One epoch's transformation parameters: per group, per category of its list, (n, k) for every sample.

    Every sample gets a draw for every group (a sample uses its own group's), so a draw is indexed by the
    sample index alone."""

    params: tuple[tuple[torch.Tensor, ...], ...]

    def to(self, device) -> "Draws":
        return Draws(tuple(tuple(p.to(device) for p in group) for group in self.params))


@dataclass
class Layers:
    """A Transforms-2D training split taken apart: what stays fixed per sample index."""

    spec: Transforms2DSpec
    canvases: torch.Tensor  # (K, 4, 32, 32) float: each class's object, scaled and centred
    backgrounds: torch.Tensor  # (B, 3, 32, 32) float: the background pool
    labels: torch.Tensor  # (n,) int64
    background: torch.Tensor  # (n,) int64: each sample's background, an index into ``backgrounds``
    group: torch.Tensor  # (n,) int64: each sample's group, by its class

    def __len__(self) -> int:
        return len(self.labels)

    def to(self, device) -> "Layers":
        moved = (t.to(device) for t in (self.canvases, self.backgrounds, self.labels, self.background, self.group))
        return Layers(self.spec, *moved)

    def draws(self, seed: int, epoch: int) -> Draws:
        g = torch.Generator().manual_seed(derive_seed(seed, "fresh_draws", epoch))
        n = len(self)
        return Draws(tuple(tuple(category(t).sample(n, g) for t in grp.transforms) for grp in self.spec.groups))

    def batch(self, idx: torch.Tensor, d: Draws) -> torch.Tensor:
        """Training samples ``idx`` under draws ``d``: (b, 3, 32, 32) uint8, on the layers' device.

        A dataset of several groups renders the batch through each group's categories and keeps each
        sample's own by ``torch.where``, adding no host sync to those some categories make (sharpen's mask,
        pixelate's sizes, the per-sample fields of noise and elastic)."""
        objects = self.canvases[self.labels[idx]]
        x = None
        for gi, grp in enumerate(self.spec.groups):
            xg = transform(objects, grp.transforms, [p[idx] for p in d.params[gi]])
            x = xg if x is None else torch.where((self.group[idx] == gi).view(-1, 1, 1, 1), xg, x)
        return composite(x, self.backgrounds[self.background[idx]]).permute(0, 3, 1, 2)


def layers_file(dataset: str) -> Layers:
    """The layers a dataset file rendered with ``fresh_draws`` keeps of its training split."""
    with reading(dataset, "dataset"), np.load(dataset, allow_pickle=False) as f:
        kept = "spec" in f.files
        if kept:
            spec = Transforms2DSpec.from_dict(json.loads(str(f["spec"])))
            prototypes, backgrounds = f["class_prototypes"], f["backgrounds"]
            labels, background = torch.from_numpy(f["y_train"]).long(), torch.from_numpy(f["background_train"]).long()
    if not kept:
        raise ValueError(
            f"{dataset} holds no training layers: it was rendered without fresh_draws. "
            "Delete it and rerun, so the render rule writes it again."
        )
    group_of_class = torch.tensor([gi for gi, grp in enumerate(spec.groups) for _ in grp.objects], dtype=torch.long)
    return Layers(
        spec,
        object_canvas(prototypes),
        floats(backgrounds),
        labels,
        background,
        group_of_class[labels],
    )
