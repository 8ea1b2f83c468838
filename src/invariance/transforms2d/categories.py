"""The transformation categories of Transforms-2D: the ICLR paper's 8 and the later version's further 11.

A category is one ``Category(...)`` line in ``CATEGORIES`` below: a name, a family
(geometric, photometric or corruption, as the authors' later code groups them), a
parameter sampler, a batched function and a per-image torchvision reference. Which
registered categories the experiments draw from is the config's ``categories`` list.

Each category samples its per-sample parameters once (``sample``), so the batched fast
path (``apply_batch``) and the per-image torchvision reference (``apply_one``) can be
run on the very same parameters. Images are straight-alpha RGBA float tensors in
[0, 1] on a 32x32 canvas; colour operations touch RGB only. Parameter ranges and application
probabilities follow the authors' public code (docs/reproduction.md, "Details the paper leaves open").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

from invariance.lazy import lazy_module

# Only the per-image references (and elastic's field smoothing) use torchvision: importing it loads
# torchvision.models, torch._dynamo and sympy, seconds of start-up that a render job never needs.
TF = lazy_module("torchvision.transforms.v2.functional")

SCALE_RANGE = (0.4, 1.0)
BLUR_KERNEL = 7
BLUR_SIGMA = (0.1, 1.5)
SHARPNESS_FACTOR = 7.0
BRIGHTNESS, CONTRAST, HUE = 1.0, 1.0, 0.5
# The later (TMLR) version's categories, as the authors' public code defines them at 32 px
# (tillspeicher/representation-invariance-transfer, src/transforms_2d/transforms.py): ranges, and the
# probability with which a category that is in a dataset's list is applied to a sample (P_APPLY; the
# others always are).
SHEAR_DEG = 50.0  # RandomAffine(shear=(-50, 50, -50, 50)): x and y shear angles each uniform in (-50, 50)
FACTOR_RANGE = (0.0, 2.0)  # ColorJitter(brightness=1.0) and ColorJitter(contrast=1.0)
P_APPLY = 0.5  # RandomPosterize, RandomNoise, RandomPixelate, RandomApply(ElasticTransform), RandomErase
POSTERIZE_BITS = 1  # RandomPosterize(bits=1)
NOISE_STD = 1.0  # RandomNoise: N(0, 1) clipped to [0, 1] (so it only brightens) added to [0, 1] pixels
PIXELATE_SIDE = 9  # RandomPixelate(shrink_to=0.3): int(32 * 0.3) pixels a side, and back
ELASTIC_ALPHA, ELASTIC_SIGMA = 150.0, 5.0  # ElasticTransform(alpha=150.0), torchvision's default sigma
ERASE_SIDE = 14  # RandomErase(square_size=14): a square made transparent, the background shows through


@dataclass(frozen=True)
class Category:
    name: str
    family: str  # geometric | photometric | corruption
    n_params: int
    sample: Callable[[int, torch.Generator], torch.Tensor]
    apply_batch: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    apply_one: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _uniform(n: int, g: torch.Generator, lo: float, hi: float, k: int = 1) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, k, generator=g, dtype=torch.float64)


def _coin(n: int, g: torch.Generator, p: float = 0.5) -> torch.Tensor:
    return (torch.rand(n, 1, generator=g, dtype=torch.float64) < p).double()


def _seeds(n: int, g: torch.Generator) -> torch.Tensor:
    """Per-sample seeds for random fields (noise, displacements): exact in float64 below 2**53."""
    return torch.randint(0, 2**31, (n, 1), generator=g).double()


# --- geometry ----------------------------------------------------------------------


def _warp(x: torch.Tensor, inv: torch.Tensor) -> torch.Tensor:
    """Apply the (n, 2, 2) inverse map about the centre, in torchvision's y-down pixel frame.

    Matches torchvision's tensor ``affine``/``rotate`` (bilinear, zero fill,
    align_corners=False): each output pixel samples the input at the inverse map.
    """
    n, _, h, w = x.shape
    theta = torch.zeros(n, 2, 3, dtype=torch.float64, device=x.device)
    # The same map in normalised coordinates: off-diagonal terms pick up the aspect ratio.
    theta[:, 0, 0], theta[:, 0, 1] = inv[:, 0, 0], inv[:, 0, 1] * h / w
    theta[:, 1, 0], theta[:, 1, 1] = inv[:, 1, 0] * w / h, inv[:, 1, 1]
    grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _rotation_scale(angle_deg: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Inverse of scale * R(-angle) (counter-clockwise on screen)."""
    a = torch.deg2rad(angle_deg.double())
    cos, sin = torch.cos(a) / scale, torch.sin(a) / scale
    return torch.stack([torch.stack([cos, -sin], -1), torch.stack([sin, cos], -1)], -2)


def _rotate_batch(x, p):
    return _warp(x, _rotation_scale(p[:, 0], torch.ones(len(x), dtype=torch.float64, device=x.device)))


def _rotate_one(img, p):
    return TF.rotate(img, float(p[0]), interpolation=TF.InterpolationMode.BILINEAR)


def _scale_batch(x, p):
    return _warp(x, _rotation_scale(torch.zeros(len(x), dtype=torch.float64, device=x.device), p[:, 0]))


def _scale_one(img, p):
    return TF.affine(
        img,
        angle=0.0,
        translate=[0, 0],
        scale=float(p[0]),
        shear=[0.0, 0.0],
        interpolation=TF.InterpolationMode.BILINEAR,
    )


def _alpha_bbox(alpha: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(left, right, top, bottom) pixel bounds of alpha > 0 for a batch (N, H, W); full image if empty."""
    n, h, w = alpha.shape
    cols, rows = alpha.amax(1) > 0, alpha.amax(2) > 0
    xs = torch.arange(w, device=alpha.device).expand(n, w)
    ys = torch.arange(h, device=alpha.device).expand(n, h)
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
    ys = torch.arange(h, device=x.device)[None] - shift[:, 1:2]  # (n, h): source row of each output row
    xs = torch.arange(w, device=x.device)[None] - shift[:, 0:1]
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
    t = torch.linspace(-half, half, BLUR_KERNEL, dtype=torch.float64, device=x.device)
    k = torch.exp(-0.5 * (t[None] / p[:, :1]) ** 2)
    k = (k / k.sum(1, keepdim=True)).to(x.dtype)  # (n, 7)
    # One banded (w, w) matrix per sample with the reflect padding folded in, so the separable
    # blur is two batched matmuls: twice as fast on CPU as a grouped conv with n*c groups.
    j = torch.arange(w, device=x.device)
    src = (
        j[None] + torch.arange(BLUR_KERNEL, device=x.device)[:, None] - BLUR_KERNEL // 2
    ).abs()  # (7, w), reflected at 0
    src = torch.where(src > w - 1, 2 * (w - 1) - src, src)  # and at w - 1
    m = torch.zeros(n, w, w, dtype=x.dtype, device=x.device)  # out[..., j] = sum_i x[..., i] * m[i, j]
    m.index_put_(
        (torch.arange(n, device=x.device)[:, None, None], src[None], j.expand(1, *src.shape)),
        k[:, :, None].expand(n, BLUR_KERNEL, w),
        accumulate=True,
    )
    return m.transpose(1, 2)[:, None] @ (x @ m[:, None])  # rows, then columns


def _blur_one(img, p):
    s = float(p[0])
    return TF.gaussian_blur(img, [BLUR_KERNEL, BLUR_KERNEL], [s, s])


def _sharpen_batch(x, p):
    chosen = p[:, 0].bool()  # a coin per sample: only those are filtered
    rgb = x[chosen, :3]
    kernel = torch.ones(3, 3, dtype=x.dtype, device=x.device)
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
    n = torch.tensor([5.0, 3.0, 1.0], dtype=rgb.dtype, device=rgb.device).view(1, 3, 1, 1)
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
    return torch.cat(
        [
            _uniform(n, g, 1 - BRIGHTNESS, 1 + BRIGHTNESS),
            _uniform(n, g, 1 - CONTRAST, 1 + CONTRAST),
            _uniform(n, g, -HUE, HUE),
        ],
        1,
    )


# --- the later version's categories -------------------------------------------------


def _shear_matrix(p: torch.Tensor) -> torch.Tensor:
    """torchvision's inverse affine map for shear angles (x, y) in degrees, no rotation or scale."""
    tx, ty = torch.tan(torch.deg2rad(p[:, 0])), torch.tan(torch.deg2rad(p[:, 1]))
    return torch.stack([torch.stack([1 + tx * ty, tx], -1), torch.stack([ty, torch.ones_like(ty)], -1)], -2)


def _shear_batch(x, p):
    return _warp(x, _shear_matrix(p))


def _shear_one(img, p):
    return TF.affine(
        img,
        angle=0.0,
        translate=[0, 0],
        scale=1.0,
        shear=[float(p[0]), float(p[1])],
        interpolation=TF.InterpolationMode.BILINEAR,
    )


def _on_rgb(fn):
    """A per-image torchvision colour op applied to RGB, alpha kept."""

    def apply(img, p):
        return torch.cat([fn(img[:3], p), img[3:]], 0)

    return apply


def _hue_batch(x, p):
    return torch.cat([_shift_hue(x[:, :3], p[:, 0].to(x.dtype)), x[:, 3:]], 1)


_hue_one = _on_rgb(lambda rgb, p: TF.adjust_hue(rgb, float(p[0])))


def _brightness_batch(x, p):
    return torch.cat([(x[:, :3] * p[:, :1, None, None].to(x.dtype)).clamp(0, 1), x[:, 3:]], 1)


_brightness_one = _on_rgb(lambda rgb, p: TF.adjust_brightness(rgb, float(p[0])))


def _gray(rgb: torch.Tensor) -> torch.Tensor:
    return (0.2989 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2])[:, None]


def _grayscale_batch(x, p):
    chosen = p[:, 0].bool()[:, None, None, None]
    return torch.cat([torch.where(chosen, _gray(x[:, :3]).expand(-1, 3, -1, -1), x[:, :3]), x[:, 3:]], 1)


_grayscale_one = _on_rgb(lambda rgb, p: TF.rgb_to_grayscale(rgb, 3) if p[0] else rgb)


def _sample_posterize(n, g):
    """Bits kept per channel where applied; 8 (the image as it is) where not."""
    return torch.where(_coin(n, g, P_APPLY).bool(), float(POSTERIZE_BITS), 8.0)


def _posterize_batch(x, p):
    levels = (2 ** p[:, 0]).to(x.dtype)[:, None, None, None]
    # As torchvision on floats (and PIL on bytes): keep the top bits, so white becomes 1 - 1/levels.
    kept = (x[:, :3] * levels).floor().clamp(max=levels - 1) / levels
    return torch.cat([torch.where(levels < 256, kept, x[:, :3]), x[:, 3:]], 1)


_posterize_one = _on_rgb(lambda rgb, p: TF.posterize(rgb, int(p[0])) if p[0] < 8 else rgb)


def _invert_batch(x, p):
    chosen = p[:, 0].bool()[:, None, None, None]
    return torch.cat([torch.where(chosen, 1 - x[:, :3], x[:, :3]), x[:, 3:]], 1)


_invert_one = _on_rgb(lambda rgb, p: TF.invert(rgb) if p[0] else rgb)


def _contrast_batch(x, p):
    c = p[:, :1, None, None].to(x.dtype)
    mean = _gray(x[:, :3]).mean((1, 2, 3))[:, None, None, None]
    return torch.cat([(c * x[:, :3] + (1 - c) * mean).clamp(0, 1), x[:, 3:]], 1)


_contrast_one = _on_rgb(lambda rgb, p: TF.adjust_contrast(rgb, float(p[0])))


def _sample_noise(n, g):
    return torch.cat([_coin(n, g, P_APPLY) * NOISE_STD, _seeds(n, g)], 1)


def _noise_field(seed: float, shape) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(int(seed)))


def _noise_batch(x, p):
    noise = torch.stack([_noise_field(s, (3, *x.shape[2:])) for s in p[:, 1].tolist()]).to(x.device)
    # The authors clip the noise itself to [0, 1] before adding it, so it only brightens.
    noise = (noise.to(x.dtype) * p[:, :1, None, None].to(x.dtype)).clamp(0, 1)
    return torch.cat([(x[:, :3] + noise).clamp(0, 1), x[:, 3:]], 1)


def _noise_one(img, p):
    with torch.random.fork_rng():  # the reference draws its noise from the global generator, seeded alike
        torch.manual_seed(int(p[1]))
        noise = (torch.randn(3, *img.shape[1:]) * float(p[0])).clamp(0, 1).to(img.dtype)
    return torch.cat([(img[:3] + noise).clamp(0, 1), img[3:]], 0)


def _sample_pixelate(n, g):
    return torch.where(_coin(n, g, P_APPLY).bool(), float(PIXELATE_SIDE), 0.0)  # 0: left as it is


def _pixelate_batch(x, p):
    out = torch.empty_like(x)
    sides = p[:, 0].long()
    out[sides == 0] = x[sides == 0]
    for side in sides[sides > 0].unique().tolist():  # one resample per distinct side
        sel = sides == side
        small = F.interpolate(x[sel], size=(side, side), mode="bilinear", antialias=True, align_corners=False)
        out[sel] = F.interpolate(small, size=x.shape[-2:], mode="nearest")
    return out


def _pixelate_one(img, p):
    side = int(p[0])
    if side == 0:
        return img
    small = TF.resize(img, [side, side], interpolation=TF.InterpolationMode.BILINEAR, antialias=True)
    return TF.resize(small, list(img.shape[-2:]), interpolation=TF.InterpolationMode.NEAREST)


def _sample_elastic(n, g):
    return torch.cat([_coin(n, g, P_APPLY) * ELASTIC_ALPHA, _seeds(n, g)], 1)  # alpha 0: no displacement


def _displacements(p: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """(n, h, w, 2) displacements as torchvision's ElasticTransform draws them, from each sample's seed."""
    k = int(8 * ELASTIC_SIGMA + 1) | 1
    fields = torch.stack(
        [torch.rand(2, 1, h, w, generator=torch.Generator().manual_seed(int(s))) * 2 - 1 for s in p[:, 1].tolist()]
    )  # (n, 2, 1, h, w): dx, dy
    fields = TF.gaussian_blur(fields.reshape(-1, 1, h, w), [k, k], [ELASTIC_SIGMA, ELASTIC_SIGMA]).reshape(-1, 2, h, w)
    scale = torch.tensor([1 / w, 1 / h]).view(1, 2, 1, 1) * p[:, :1, None, None].float()
    return (fields * scale).permute(0, 2, 3, 1)


def _elastic_batch(x, p):
    n, _, h, w = x.shape
    identity = F.affine_grid(
        torch.eye(2, 3, device=x.device).expand(n, 2, 3).to(x.dtype), list(x.shape), align_corners=False
    )
    # The fields are drawn by a CPU generator per sample, as the reference draws them.
    grid = identity + _displacements(p.cpu(), h, w).to(x.device, x.dtype)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _elastic_one(img, p):
    return TF.elastic_transform(img, _displacements(p[None], *img.shape[-2:]).to(img.dtype))


def _sample_erasing(n, g):
    side = _coin(n, g, P_APPLY) * ERASE_SIDE  # 0: nothing erased
    return torch.cat([side, side, _uniform(n, g, 0.0, 1.0, 2)], 1)


def _erase_box(p: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """(n, 4) integer (top, left, height, width) of each sample's square, its corner uniform in [0, side - size)."""
    bh, bw = p[:, 0].long(), p[:, 1].long()
    top = torch.floor(p[:, 2] * (h - bh)).long()
    left = torch.floor(p[:, 3] * (w - bw)).long()
    return torch.stack([top, left, bh, bw], 1)


_OCCLUDER = (0.0, 0.0, 0.0, 0.0)  # transparent: the authors erase the object, the background shows through


def _erasing_batch(x, p):
    n, _, h, w = x.shape
    top, left, bh, bw = _erase_box(p, h, w).unbind(1)
    ys, xs = torch.arange(h, device=x.device)[None], torch.arange(w, device=x.device)[None]
    rows = (ys >= top[:, None]) & (ys < (top + bh)[:, None])
    cols = (xs >= left[:, None]) & (xs < (left + bw)[:, None])
    inside = (rows[:, :, None] & cols[:, None, :])[:, None]
    return torch.where(inside, torch.tensor(_OCCLUDER, dtype=x.dtype, device=x.device).view(1, 4, 1, 1), x)


def _erasing_one(img, p):
    top, left, bh, bw = _erase_box(p[None], *img.shape[-2:])[0].tolist()
    return TF.erase(img, top, left, bh, bw, torch.tensor(_OCCLUDER, dtype=img.dtype).view(4, 1, 1))


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        # The ICLR paper's 8.
        Category(
            "translate", "geometric", 2, lambda n, g: _uniform(n, g, 0.0, 1.0, 2), _translate_batch, _translate_one
        ),
        Category("rotate", "geometric", 1, lambda n, g: _uniform(n, g, 0.0, 360.0), _rotate_batch, _rotate_one),
        Category("scale", "geometric", 1, lambda n, g: _uniform(n, g, *SCALE_RANGE), _scale_batch, _scale_one),
        Category("hflip", "geometric", 1, lambda n, g: _coin(n, g), _flip_batch(-1), _hflip_one),
        Category("vflip", "geometric", 1, lambda n, g: _coin(n, g), _flip_batch(-2), _vflip_one),
        Category("blur", "corruption", 1, lambda n, g: _uniform(n, g, *BLUR_SIGMA), _blur_batch, _blur_one),
        Category("sharpen", "photometric", 1, lambda n, g: _coin(n, g), _sharpen_batch, _sharpen_one),
        Category("color", "photometric", 3, _sample_color, _color_batch, _color_one),
        # The later (TMLR) version's further 11.
        Category(
            "shear", "geometric", 2, lambda n, g: _uniform(n, g, -SHEAR_DEG, SHEAR_DEG, 2), _shear_batch, _shear_one
        ),
        Category("hue", "photometric", 1, lambda n, g: _uniform(n, g, -HUE, HUE), _hue_batch, _hue_one),
        Category(
            "brightness",
            "photometric",
            1,
            lambda n, g: _uniform(n, g, *FACTOR_RANGE),
            _brightness_batch,
            _brightness_one,
        ),
        Category("grayscale", "photometric", 1, lambda n, g: _coin(n, g), _grayscale_batch, _grayscale_one),
        Category("posterize", "photometric", 1, _sample_posterize, _posterize_batch, _posterize_one),
        Category("invert", "photometric", 1, lambda n, g: _coin(n, g), _invert_batch, _invert_one),
        Category("noise", "corruption", 2, _sample_noise, _noise_batch, _noise_one),
        Category("pixelate", "corruption", 1, _sample_pixelate, _pixelate_batch, _pixelate_one),
        Category("elastic", "corruption", 2, _sample_elastic, _elastic_batch, _elastic_one),
        Category("erasing", "corruption", 4, _sample_erasing, _erasing_batch, _erasing_one),
        Category(
            "contrast", "corruption", 1, lambda n, g: _uniform(n, g, *FACTOR_RANGE), _contrast_batch, _contrast_one
        ),
    )
}
CATEGORY_NAMES = tuple(CATEGORIES)
FAMILIES = tuple(dict.fromkeys(c.family for c in CATEGORIES.values()))


def category(name: str) -> Category:
    try:
        return CATEGORIES[name]
    except KeyError:
        raise ValueError(f"unknown transformation {name!r}; allowed: {', '.join(CATEGORY_NAMES)}") from None
