"""The authors' CIFAR augmentation, per sample and on the device: a random crop with 4 pixels of zero
padding and a random horizontal flip of the CIFAR background, drawn afresh every epoch; the object is
then pasted at its fixed place (their `RandomCrop(32, padding=4)` and `RandomHorizontalFlip()` on the
CIFAR image, before pasting).

torchvision's v2 transforms draw one crop per call, so a batch would share it; here every sample
of a batch gets its own, gathered by index in one operation, with no per-image Python loop. The
draws are a function of (seed, epoch) alone, so a run resumed inside an epoch sees the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from invariance.artifacts import reading
from invariance.compositing import composite
from invariance.seeding import derive_seed

PAD = 4


@dataclass
class Layers:
    """A training split taken apart: backgrounds before pasting, and the object each one gets."""

    background: torch.Tensor  # (n, 3, 32, 32) uint8: the CIFAR image (or black)
    which: torch.Tensor  # (n,) int64: index into objects, -1 for none
    objects: torch.Tensor  # (K, 4, s, s) float RGBA, at their pasted size

    def __len__(self) -> int:
        return len(self.which)

    def to(self, device) -> "Layers":
        return Layers(self.background.to(device), self.which.to(device), self.objects.to(device))

    def draws(self, seed: int, epoch: int) -> "Draws":
        return draws(len(self), seed, epoch)

    def batch(self, idx: torch.Tensor, d: "Draws") -> torch.Tensor:
        return batch(self, idx, d)


def layers_file(dataset: str, cifar: str) -> Layers:
    """The training split of a CIFAR-based dataset file as layers: composite() of them is its stored images."""
    with reading(dataset, "dataset"), np.load(dataset, allow_pickle=False) as f:
        source, which, objects = f["source_train"], f["which_train"], f["objects"]
    with reading(cifar, "asset"), np.load(cifar, allow_pickle=False) as c:
        background = c["x_train"][np.maximum(source, 0)]
    background[source < 0] = 0  # X=O: black
    return Layers(
        torch.from_numpy(background).permute(0, 3, 1, 2).contiguous(),
        torch.from_numpy(which).long(),
        torch.from_numpy(objects),
    )


@dataclass
class Draws:
    """One epoch's augmentation of every training sample."""

    dx: torch.Tensor  # (n,) int64 in [0, 2 * PAD]: the crop's left edge in the padded image
    dy: torch.Tensor  # (n,) int64 in [0, 2 * PAD]: its top edge
    flip: torch.Tensor  # (n,) bool

    def to(self, device) -> "Draws":
        return Draws(self.dx.to(device), self.dy.to(device), self.flip.to(device))


def draws(n: int, seed: int, epoch: int) -> Draws:
    g = torch.Generator().manual_seed(derive_seed(seed, "augment", epoch))
    offsets = torch.randint(0, 2 * PAD + 1, (2, n), generator=g)
    return Draws(offsets[0], offsets[1], torch.rand(n, generator=g) < 0.5)


def crop_flip(x: torch.Tensor, dx: torch.Tensor, dy: torch.Tensor, flip: torch.Tensor) -> torch.Tensor:
    """(n, C, H, W) uint8 -> the same shape: each image padded with zeros by PAD, cropped at (dy, dx), flipped."""
    n, c, h, w = x.shape
    padded = F.pad(x, (PAD, PAD, PAD, PAD))
    rows = dy[:, None] + torch.arange(h, device=x.device)
    cols = dx[:, None] + torch.arange(w, device=x.device)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    i = torch.arange(n, device=x.device)[:, None, None, None]
    ch = torch.arange(c, device=x.device)[None, :, None, None]
    return padded[i, ch, rows[:, None, :, None], cols[:, None, None, :]]


def batch(layers: Layers, idx: torch.Tensor, d: Draws) -> torch.Tensor:
    """Training samples ``idx`` with this epoch's draws: the background moved, the object where it always is."""
    background = crop_flip(layers.background[idx], d.dx[idx], d.dy[idx], d.flip[idx])
    return composite(background, layers.objects, layers.which[idx])
