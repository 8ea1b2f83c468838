import pytest
import torch

from invariance.transforms2d.categories import CATEGORIES, CATEGORY_NAMES, FAMILIES, category
from invariance.transforms2d.render import object_canvas


@pytest.fixture
def canvases(pool):
    return object_canvas(pool["foregrounds"][:12])


def test_the_registry_holds_the_papers_eight_and_the_later_versions_eighteen():
    assert CATEGORY_NAMES[:8] == ("translate", "rotate", "scale", "hflip", "vflip", "blur", "sharpen", "color")
    later = [c for c in CATEGORIES.values() if c.name != "color"]  # the ICLR colour jitter is not one of the 18
    assert len(later) == 18
    assert {f: sum(c.family == f for c in later) for f in FAMILIES} == dict.fromkeys(FAMILIES, 6)


@pytest.mark.parametrize("name", CATEGORY_NAMES)
def test_batched_path_matches_torchvision_reference_on_same_parameters(name, canvases):
    c = CATEGORIES[name]
    params = c.sample(len(canvases), torch.Generator().manual_seed(1))
    batched = c.apply_batch(canvases, params)
    reference = torch.stack([c.apply_one(canvases[i], params[i]) for i in range(len(canvases))])
    assert batched.shape == canvases.shape
    assert torch.allclose(batched, reference, atol=1e-4), float((batched - reference).abs().max())
    assert not torch.equal(batched, canvases)  # the category did something


def _centroid(alpha):
    h, w = alpha.shape[-2:]
    ys, xs = torch.meshgrid(torch.arange(h).float(), torch.arange(w).float(), indexing="ij")
    m = alpha.sum((-2, -1))
    return (alpha * xs).sum((-2, -1)) / m, (alpha * ys).sum((-2, -1)) / m


def test_flips_mirror_the_canvas(canvases):
    ones = torch.ones(len(canvases), 1, dtype=torch.float64)
    assert torch.equal(category("hflip").apply_batch(canvases, ones), canvases.flip(-1))
    assert torch.equal(category("vflip").apply_batch(canvases, ones), canvases.flip(-2))
    assert torch.equal(category("hflip").apply_batch(canvases, 0 * ones), canvases)


def test_translation_moves_the_alpha_centroid_and_keeps_the_object_inside(canvases):
    c = category("translate")
    moved = c.apply_batch(canvases, c.sample(len(canvases), torch.Generator().manual_seed(3)))
    cx0, cy0 = _centroid(canvases[:, 3])
    cx1, cy1 = _centroid(moved[:, 3])
    assert ((cx1 - cx0).abs() + (cy1 - cy0).abs()).mean() > 1.0
    # Bounding box stays inside: the object's alpha mass is preserved exactly.
    assert torch.allclose(moved[:, 3].sum((1, 2)), canvases[:, 3].sum((1, 2)), rtol=1e-5)


def test_translation_extremes_touch_the_borders(bar_prototype):
    canvas = object_canvas(bar_prototype)
    c = category("translate")
    lo = c.apply_batch(canvas, torch.zeros(1, 2, dtype=torch.float64))[0, 3]
    hi = c.apply_batch(canvas, torch.full((1, 2), 0.999, dtype=torch.float64))[0, 3]
    assert lo[:, 0].max() > 0 and lo[0, :].max() > 0  # left and top edges reached
    assert hi[:, -1].max() > 0 and hi[-1, :].max() > 0  # right and bottom edges reached


def test_scale_shrinks_the_object(canvases):
    small = category("scale").apply_batch(canvases, torch.full((len(canvases), 1), 0.5, dtype=torch.float64))
    ratio = small[:, 3].sum((1, 2)) / canvases[:, 3].sum((1, 2))
    assert torch.allclose(ratio, torch.full_like(ratio, 0.25), atol=0.03)


def test_rotation_by_90_degrees_turns_an_l_shape(bar_prototype):
    canvas = object_canvas(bar_prototype)
    turned = category("rotate").apply_batch(canvas, torch.tensor([[90.0]], dtype=torch.float64))
    expected = torch.rot90(canvas, 1, dims=(-2, -1))  # counter-clockwise, as torchvision
    assert (turned - expected).abs().mean() < 0.02


def _high_freq_energy(x):
    return ((x[..., 1:, :] - x[..., :-1, :]) ** 2).sum() + ((x[..., :, 1:] - x[..., :, :-1]) ** 2).sum()


def test_blur_lowers_and_sharpen_raises_high_frequency_energy(canvases):
    n = len(canvases)
    blurred = category("blur").apply_batch(canvases, torch.full((n, 1), 1.5, dtype=torch.float64))
    sharpened = category("sharpen").apply_batch(canvases, torch.ones(n, 1, dtype=torch.float64))
    assert _high_freq_energy(blurred[:, :3]) < 0.7 * _high_freq_energy(canvases[:, :3])
    assert _high_freq_energy(sharpened[:, :3]) > 1.2 * _high_freq_energy(canvases[:, :3])


def test_color_jitter_changes_rgb_and_keeps_alpha(canvases):
    c = category("color")
    out = c.apply_batch(canvases, c.sample(len(canvases), torch.Generator().manual_seed(5)))
    assert torch.equal(out[:, 3], canvases[:, 3])
    assert (out[:, :3] - canvases[:, :3]).abs().mean() > 0.02


def test_parameter_ranges_follow_the_spec():
    g = torch.Generator().manual_seed(0)
    angle = category("rotate").sample(10000, g)
    assert angle.min() >= 0 and angle.max() < 360
    s = category("scale").sample(10000, g)
    assert s.min() >= 0.4 and s.max() <= 1.0
    sigma = category("blur").sample(10000, g)
    assert sigma.min() >= 0.1 and sigma.max() <= 1.5
    flips = category("hflip").sample(10000, g)
    assert 0.45 < flips.mean() < 0.55


def test_unknown_transformation_names_the_allowed_ones():
    with pytest.raises(ValueError, match=r"unknown transformation 'twirl'; allowed: translate, rotate"):
        category("twirl")
