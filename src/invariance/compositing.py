"""Pasting a small object onto an image at the fixed place of figs 3, 4 and 7, on any device.

Its own module so that augmented pretraining (invariance.augment) composites with exactly the
renderer's arithmetic without depending on the renderer: an edit to how datasets are drawn
(pasted.py) reruns the renders, and pretraining through its inputs, never through its code.
"""

from __future__ import annotations

import torch

# docs/reproduction.md, "Details the paper leaves open": the object's top-left corner at x=21, y=2.
PASTE_AT = (21, 2)


def composite(images: torch.Tensor, objects: torch.Tensor, which: torch.Tensor) -> torch.Tensor:
    """Alpha-composite RGBA ``objects[which[i]]`` (K, 4, s, s floats) onto uint8 image i (N, 3, H, W;
    which[i] < 0: none) at PASTE_AT, clipped at the border; uint8 out."""
    out = images.float() / 255
    x0, y0 = PASTE_AT
    side = objects.shape[-1]
    w, h = min(side, images.shape[-1] - x0), min(side, images.shape[-2] - y0)
    if objects.shape[0] == 0:  # nothing to paste (a shape, so no host sync)
        return images.clone()
    # Every image takes part, an absent object with alpha 0, so no step waits on the device to learn
    # which images have one (no nonzero): the same arithmetic per pasted image, and region * 1 + 0 for
    # the others, so the bytes are those of pasting only where which >= 0.
    obj = objects[which.clamp(min=0)][:, :, :h, :w]
    a = obj[:, 3:4] * (which >= 0).to(obj.dtype).view(-1, 1, 1, 1)
    region = out[:, :, y0 : y0 + h, x0 : x0 + w]
    out[:, :, y0 : y0 + h, x0 : x0 + w] = obj[:, :3] * a + region * (1 - a)
    return (out * 255).round().clamp(0, 255).to(torch.uint8)
