"""The 8 transformation categories of Transforms-2D.

Each category samples its per-sample parameters once (``sample``), so the batched fast
path (``apply_batch``) and the per-image torchvision reference (``apply_one``) can be
run on the very same parameters. Images are straight-alpha RGBA float tensors in
[0, 1] on a 32x32 canvas; colour operations touch RGB only. Parameter ranges follow
the authors' public code (see SPEC.md, "Details the paper text leaves open").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
import torchvision.transforms.v2.functional as TF

SCALE_RANGE = (0.4, 1.0)
BLUR_KERNEL = 7
BLUR_SIGMA = (0.1, 1.5)
SHARPNESS_FACTOR = 7.0
BRIGHTNESS, CONTRAST, HUE = 1.0, 1.0, 0.5


@dataclass(frozen=True)
class Category:
    name: str
    n_params: int
    sample: Callable[[int, torch.Generator], torch.Tensor]
    apply_batch: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    apply_one: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _uniform(n: int, g: torch.Generator, lo: float, hi: float, k: int = 1) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, k, generator=g, dtype=torch.float64)


def _coin(n: int, g: torch.Generator) -> torch.Tensor:
    return (torch.rand(n, 1, generator=g, dtype=torch.float64) < 0.5).double()


# --- geometry ----------------------------------------------------------------------


def _warp(x: torch.Tensor, angle_deg: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Rotate (counter-clockwise) and scale about the centre.

    Matches torchvision's tensor ``affine``/``rotate`` (bilinear, zero fill,
    align_corners=False): each output pixel samples the input at the inverse map.
    """
    n, _, h, w = x.shape
    a = torch.deg2rad(angle_deg.double())
    cos, sin = torch.cos(a), torch.sin(a)
    inv = torch.zeros(n, 2, 3, dtype=torch.float64)
    # Inverse of [scale*R(-a)] in torchvision's y-down pixel frame, expressed in normalised coords.
    inv[:, 0, 0] = cos / scale
    inv[:, 0, 1] = -sin / scale * h / w
    inv[:, 1, 0] = sin / scale * w / h
    inv[:, 1, 1] = cos / scale
    grid = F.affine_grid(inv.to(x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _rotate_batch(x, p):
    return _warp(x, p[:, 0], torch.ones(len(x), dtype=torch.float64))


def _rotate_one(img, p):
    return TF.rotate(img, float(p[0]), interpolation=TF.InterpolationMode.BILINEAR)


def _scale_batch(x, p):
    return _warp(x, torch.zeros(len(x), dtype=torch.float64), p[:, 0])


def _scale_one(img, p):
    return TF.affine(img, angle=0.0, translate=[0, 0], scale=float(p[0]), shear=[0.0, 0.0],
                     interpolation=TF.InterpolationMode.BILINEAR)


def _alpha_bbox(alpha: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(left, right, top, bottom) pixel bounds of alpha > 0 for a batch (N, H, W); full image if empty."""
    n, h, w = alpha.shape
    cols, rows = alpha.amax(1) > 0, alpha.amax(2) > 0
    xs = torch.arange(w).expand(n, w)
    ys = torch.arange(h).expand(n, h)
    left = torch.where(cols, xs, w).amin(1).clamp(max=0 + w - 1)
    right = torch.where(cols, xs, -1).amax(1).clamp(min=0)
    top = torch.where(rows, ys, h).amin(1).clamp(max=h - 1)
    bottom = torch.where(rows, ys, -1).amax(1).clamp(min=0)
    empty = ~cols.any(1)
    left, top = torch.where(empty, 0, left), torch.where(empty, 0, top)
    right, bottom = torch.where(empty, w - 1, right), torch.where(empty, h - 1, bottom)
    return left, right, top, bottom


def _translation(alpha: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """Integer shift to a uniform position that keeps the object's bounding box inside the image."""
    _, h, w = alpha.shape
    left, right, top, bottom = _alpha_bbox(alpha)
    lo_x, hi_x = -left, (w - 1) - right
    lo_y, hi_y = -top, (h - 1) - bottom
    dx = lo_x + torch.floor(u[:, 0] * (hi_x - lo_x + 1)).long()
    dy = lo_y + torch.floor(u[:, 1] * (hi_y - lo_y + 1)).long()
    return torch.stack([dx, dy], 1)


def _translate_batch(x, p):
    # Whole-pixel shifts: bilinear sampling at integer offsets is a gather with zero fill, so no
    # grid_sample (the reference's torchvision affine gives the same pixels).
    n, c, h, w = x.shape
    shift = _translation(x[:, 3], p)
    ys = torch.arange(h)[None] - shift[:, 1:2]  # (n, h): source row of each output row
    xs = torch.arange(w)[None] - shift[:, 0:1]
    inside = ((ys >= 0) & (ys < h))[:, :, None] & ((xs >= 0) & (xs < w))[:, None, :]
    src = ys.clamp(0, h - 1)[:, :, None] * w + xs.clamp(0, w - 1)[:, None, :]
    out = x.reshape(n, c, h * w).gather(2, src.reshape(n, 1, h * w).expand(n, c, h * w)).reshape(n, c, h, w)
    return out * inside[:, None].to(x.dtype)


def _translate_one(img, p):
    dx, dy = _translation(img[3:4], p[None])[0].tolist()
    return TF.affine(img, angle=0.0, translate=[dx, dy], scale=1.0, shear=[0.0, 0.0])


def _flip_batch(dim: int):
    def apply(x, p):
        return torch.where(p[:, 0].bool()[:, None, None, None], x.flip(dim), x)

    return apply


def _hflip_one(img, p):
    return TF.horizontal_flip(img) if p[0] else img


def _vflip_one(img, p):
    return TF.vertical_flip(img) if p[0] else img


# --- filters -----------------------------------------------------------------------


def _blur_batch(x, p):
    n, c, h, w = x.shape
    assert h == w
    half = (BLUR_KERNEL - 1) / 2
    t = torch.linspace(-half, half, BLUR_KERNEL, dtype=torch.float64)
    k = torch.exp(-0.5 * (t[None] / p[:, :1]) ** 2)
    k = (k / k.sum(1, keepdim=True)).to(x.dtype)  # (n, 7)
    # One banded (w, w) matrix per sample with the reflect padding folded in, so the separable
    # blur is two batched matmuls: twice as fast on CPU as a grouped conv with n*c groups.
    j = torch.arange(w)
    src = (j[None] + torch.arange(BLUR_KERNEL)[:, None] - BLUR_KERNEL // 2).abs()  # (7, w), reflected at 0
    src = torch.where(src > w - 1, 2 * (w - 1) - src, src)  # and at w - 1
    m = torch.zeros(n, w, w, dtype=x.dtype)  # out[..., j] = sum_i x[..., i] * m[i, j]
    m.index_put_((torch.arange(n)[:, None, None], src[None], j.expand(1, *src.shape)),
                 k[:, :, None].expand(n, BLUR_KERNEL, w), accumulate=True)
    return m.transpose(1, 2)[:, None] @ (x @ m[:, None])  # rows, then columns


def _blur_one(img, p):
    s = float(p[0])
    return TF.gaussian_blur(img, [BLUR_KERNEL, BLUR_KERNEL], [s, s])


def _sharpen_batch(x, p):
    chosen = p[:, 0].bool()  # a coin per sample: only those are filtered
    rgb = x[chosen, :3]
    kernel = torch.ones(3, 3, dtype=x.dtype)
    kernel[1, 1] = 5.0
    kernel = (kernel / kernel.sum()).expand(3, 1, 3, 3)
    smooth = rgb.clone()
    smooth[:, :, 1:-1, 1:-1] = F.conv2d(rgb, kernel, groups=3)
    out = x.clone()
    out[chosen, :3] = (SHARPNESS_FACTOR * rgb + (1 - SHARPNESS_FACTOR) * smooth).clamp(0, 1)
    return out


def _sharpen_one(img, p):
    if not p[0]:
        return img
    return torch.cat([TF.adjust_sharpness(img[:3], SHARPNESS_FACTOR), img[3:]], 0)


# --- colour ------------------------------------------------------------------------


def _shift_hue(rgb: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """torchvision's adjust_hue (RGB -> HSV, rotate hue, HSV -> RGB) in one pass per pixel.

    With v = max and v*s = max - min = delta, the six-sector HSV -> RGB map is, per channel,
    v - delta * clamp(min(k, 4 - k), 0, 1) with k = (n_c + 6h) mod 6, n = (5, 3, 1) for (R, G, B);
    so saturation is never formed and hue stays in sextants: one division per pixel.
    """
    r, g, b = rgb.unbind(1)
    maxc = torch.maximum(torch.maximum(r, g), b)
    delta = maxc - torch.minimum(torch.minimum(r, g), b)
    # Ties go to red, then green, as torchvision; hue is continuous across sector borders anyway.
    red, green = maxc == r, maxc == g
    num = torch.where(red, g - b, torch.where(green, b - r, r - g))
    sector = torch.where(red, 0.0, torch.where(green, 2.0, 4.0))
    hue6 = num / torch.where(delta == 0, 1.0, delta) + sector + 6.0 * shift[:, None, None]  # grey: delta = 0
    n = torch.tensor([5.0, 3.0, 1.0], dtype=rgb.dtype).view(1, 3, 1, 1)
    k = torch.remainder(n + hue6[:, None], 6.0)
    return maxc[:, None] - delta[:, None] * torch.clamp(torch.minimum(k, 4.0 - k), 0.0, 1.0)


def _color_batch(x, p):
    rgb = x[:, :3]
    f = p.to(x.dtype)
    rgb = (rgb * f[:, 0, None, None, None]).clamp(0, 1)
    gray = (0.2989 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]).mean((1, 2))
    c = f[:, 1, None, None, None]
    rgb = (c * rgb + (1 - c) * gray[:, None, None, None]).clamp(0, 1)
    return torch.cat([_shift_hue(rgb, f[:, 2]), x[:, 3:]], 1)


def _color_one(img, p):
    rgb = TF.adjust_brightness(img[:3], float(p[0]))
    rgb = TF.adjust_contrast(rgb, float(p[1]))
    rgb = TF.adjust_hue(rgb, float(p[2]))
    return torch.cat([rgb, img[3:]], 0)


def _sample_color(n, g):
    return torch.cat([_uniform(n, g, 1 - BRIGHTNESS, 1 + BRIGHTNESS), _uniform(n, g, 1 - CONTRAST, 1 + CONTRAST),
                      _uniform(n, g, -HUE, HUE)], 1)


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category("translate", 2, lambda n, g: _uniform(n, g, 0.0, 1.0, 2), _translate_batch, _translate_one),
        Category("rotate", 1, lambda n, g: _uniform(n, g, 0.0, 360.0), _rotate_batch, _rotate_one),
        Category("scale", 1, lambda n, g: _uniform(n, g, *SCALE_RANGE), _scale_batch, _scale_one),
        Category("hflip", 1, lambda n, g: _coin(n, g), _flip_batch(-1), _hflip_one),
        Category("vflip", 1, lambda n, g: _coin(n, g), _flip_batch(-2), _vflip_one),
        Category("blur", 1, lambda n, g: _uniform(n, g, *BLUR_SIGMA), _blur_batch, _blur_one),
        Category("sharpen", 1, lambda n, g: _coin(n, g), _sharpen_batch, _sharpen_one),
        Category("color", 3, _sample_color, _color_batch, _color_one),
    )
}
CATEGORY_NAMES = tuple(CATEGORIES)


def category(name: str) -> Category:
    try:
        return CATEGORIES[name]
    except KeyError:
        raise ValueError(f"unknown transformation {name!r}; allowed: {', '.join(CATEGORY_NAMES)}") from None
