import numpy as np
import pytest
import torch

from invariance.compositing import PASTE_AT, composite
from invariance.pasted import PastedSpec, SpecError, cifar_indices, render_dataset, small_objects

SIZES = {"train": 200, "val": 40, "test": 100}


@pytest.fixture(scope="module")
def cifar():
    """A CIFAR-shaped source: grey images whose brightness is the class, so pasted pixels stand out."""
    rng = np.random.default_rng(0)
    out = {"class_names": np.array([f"c{i}" for i in range(10)])}
    for split, n in (("train", 600), ("test", 300)):
        y = rng.integers(10, size=n)
        out[f"x_{split}"] = np.broadcast_to((20 + 20 * y)[:, None, None, None], (n, 32, 32, 3)).astype(np.uint8).copy()
        out[f"y_{split}"] = y
    return out


@pytest.fixture(scope="module")
def protos():
    """Ten opaque squares of distinct colours."""
    p = np.zeros((12, 32, 32, 4), np.uint8)
    for i in range(12):
        p[i, 4:28, 4:28] = (255 - 20 * i, 10 * i, 128, 255)
    return p


def _spec(present=1.0, tied=0.0, label="class", background="cifar", seed=0):
    return PastedSpec(tuple(range(10)), present, tied, label, background, SIZES, seed)


OUTSIDE = (slice(None), slice(16, 32), slice(0, 16))  # lower-left quadrant: never touched by the paste


def test_sizes_the_cifar_pools_cannot_provide_are_refused_not_capped():
    with pytest.raises(SpecError, match=r"train 500 \+ val 200 and test 100 exceed CIFAR-10's 600 training"):
        cifar_indices(0, {"train": 500, "val": 200, "test": 100}, 600, 300)
    idx = cifar_indices(0, {"train": 500, "val": 100, "test": 300}, 600, 300)  # exactly the pools: allowed
    assert [len(idx[s]) for s in ("train", "val", "test")] == [500, 100, 300]


def test_no_object_leaves_the_cifar_images_untouched(cifar, protos):
    d = render_dataset(_spec(present=0.0), cifar, protos)
    idx = cifar_indices(0, SIZES, 600, 300)
    assert np.array_equal(d["x_train"], cifar["x_train"][idx["train"]])
    assert np.array_equal(d["y_train"], cifar["y_train"][idx["train"]])


def test_objects_land_in_the_upper_right_corner_only(cifar, protos):
    d = render_dataset(_spec(), cifar, protos)
    idx = cifar_indices(0, SIZES, 600, 300)
    base = cifar["x_train"][idx["train"]]
    changed = (d["x_train"] != base).any(axis=(0, 3))
    ys, xs = np.nonzero(changed)
    side = small_objects(protos).shape[-1]
    assert xs.min() >= PASTE_AT[0] and ys.min() >= PASTE_AT[1] and ys.max() < PASTE_AT[1] + side
    assert np.array_equal(d["x_train"][OUTSIDE], base[OUTSIDE])


def test_class_and_object_labels_share_the_images(cifar, protos):
    a, b = render_dataset(_spec(label="class"), cifar, protos), render_dataset(_spec(label="object"), cifar, protos)
    assert np.array_equal(a["x_test"], b["x_test"]) and not np.array_equal(a["y_test"], b["y_test"])


def test_alpha_one_ties_the_object_to_the_class(cifar, protos):
    d_class = render_dataset(_spec(tied=1.0, label="class"), cifar, protos)
    d_obj = render_dataset(_spec(tied=1.0, label="object"), cifar, protos)
    assert np.array_equal(d_class["y_train"], d_obj["y_train"])
    d_rand = render_dataset(_spec(tied=0.0, label="object"), cifar, protos)
    agree = (d_rand["y_train"] == render_dataset(_spec(tied=0.0), cifar, protos)["y_train"]).mean()
    assert 0.0 < agree < 0.3  # random objects match the class about 1 time in 10


def test_availability_is_the_fraction_of_images_with_an_object(cifar, protos):
    d = render_dataset(_spec(present=0.4), cifar, protos)
    base = cifar["x_train"][cifar_indices(0, SIZES, 600, 300)["train"]]
    with_object = (d["x_train"] != base).any(axis=(1, 2, 3)).mean()
    assert 0.25 < with_object < 0.55


def test_objects_on_black(cifar, protos):
    d = render_dataset(_spec(background="black", label="object"), cifar, protos)
    assert (d["x_val"][OUTSIDE] == 0).all() and d["x_val"].max() > 0


def test_splits_are_disjoint_and_rendering_is_deterministic(cifar, protos):
    idx = cifar_indices(0, SIZES, 600, 300)
    assert not set(idx["train"]) & set(idx["val"])
    a, b = render_dataset(_spec(), cifar, protos), render_dataset(_spec(), cifar, protos)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["x_train"], render_dataset(_spec(seed=1), cifar, protos)["x_train"])


def test_an_object_label_without_an_object_everywhere_is_refused():
    with pytest.raises(SpecError, match="present=1"):
        _spec(present=0.5, label="object")


def _composite_where_pasted(images, objects, which):
    """The straightforward paste: only the images with an object, found with nonzero (a host sync on a GPU)."""
    out = images.float() / 255
    x0, y0 = PASTE_AT
    side = objects.shape[-1]
    w, h = min(side, images.shape[-1] - x0), min(side, images.shape[-2] - y0)
    sel = torch.nonzero(which >= 0).flatten()
    obj = objects[which[sel]][:, :, :h, :w]
    a = obj[:, 3:4]
    out[sel, :, y0 : y0 + h, x0 : x0 + w] = obj[:, :3] * a + out[sel, :, y0 : y0 + h, x0 : x0 + w] * (1 - a)
    return (out * 255).round().clamp(0, 255).to(torch.uint8)


def test_compositing_gives_the_bytes_of_pasting_only_where_asked_and_traces_as_one_graph():
    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (64, 3, 32, 32), dtype=torch.uint8, generator=g)
    objects = torch.rand(5, 4, 16, 16, generator=g)
    which = torch.randint(-1, 5, (64,), generator=g)
    assert (which < 0).any() and (which >= 0).any()
    expected = _composite_where_pasted(images, objects, which)
    assert torch.equal(composite(images, objects, which), expected)
    # Nothing in it depends on the values (no nonzero, whose output shape would make a GPU step wait for
    # the host): it runs on the meta device, which has shapes and no data, and traces as one graph.
    meta = composite(images.to("meta"), objects.to("meta"), which.to("meta"))
    assert meta.shape == images.shape and meta.dtype == torch.uint8
    with pytest.raises(NotImplementedError):  # what the check catches
        _composite_where_pasted(images.to("meta"), objects.to("meta"), which.to("meta"))
    assert torch.equal(torch.compile(composite, backend="eager", fullgraph=True)(images, objects, which), expected)
    none = torch.full((64,), -1)
    assert torch.equal(composite(images, objects[:0], none), images)
