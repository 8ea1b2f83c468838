import hashlib

import numpy as np
import pytest
import torch

from invariance.arrays import load_arrays, save_arrays
from invariance.transforms2d.render import (
    Group,
    Transforms2DSpec,
    composite,
    object_canvas,
    render_dataset,
    render_split,
    render_split_reference,
)

SIZES = {"train": 96, "val": 16, "test": 32}


def spec(transforms, objects=(0, 5, 9), seed=7):
    return Transforms2DSpec((Group(tuple(objects), tuple(transforms)),), SIZES, seed)


def test_same_spec_gives_identical_file_bytes(pool, tmp_path):
    s = spec(("rotate", "color", "translate"))
    digests = []
    for i in range(2):
        save_arrays(tmp_path / f"d{i}.npz", render_dataset(s, pool["foregrounds"], pool["backgrounds"]))
        digests.append(hashlib.sha256((tmp_path / f"d{i}.npz").read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    other = render_dataset(spec(("rotate", "color", "translate"), seed=8), pool["foregrounds"], pool["backgrounds"])
    assert not np.array_equal(other["x_train"], load_arrays(tmp_path / "d0.npz")["x_train"])


def test_bytes_do_not_depend_on_chunk_size(pool):
    s = spec(("scale", "blur", "hflip"))
    a, _ = render_split(s, "train", pool["foregrounds"], pool["backgrounds"], chunk=7)
    b, _ = render_split(s, "train", pool["foregrounds"], pool["backgrounds"], chunk=4096)
    assert np.array_equal(a, b)


def test_batched_renderer_agrees_with_per_image_reference(pool):
    s = spec(("translate", "rotate", "scale", "hflip", "vflip", "blur", "sharpen", "color"))
    fast, y_fast = render_split(s, "test", pool["foregrounds"], pool["backgrounds"])
    ref, y_ref = render_split_reference(s, "test", pool["foregrounds"], pool["backgrounds"])
    assert np.array_equal(y_fast, y_ref)
    diff = np.abs(fast.astype(int) - ref.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05


def test_flip_only_dataset_is_the_mirror_image_of_the_prototype_paste(bar_prototype, pool):
    s = Transforms2DSpec((Group((0,), ("hflip",)),), {"train": 64, "val": 1, "test": 1}, 11)
    bgs = pool["backgrounds"][:1]  # one background, so only the flip varies
    x, _ = render_split(s, "train", bar_prototype, bgs)
    canvas = object_canvas(bar_prototype)
    bg = torch.from_numpy(bgs).permute(0, 3, 1, 2).float() / 255
    plain = composite(canvas, bg)[0].numpy()
    mirrored = composite(canvas.flip(-1), bg)[0].numpy()
    is_plain = [np.array_equal(img, plain) for img in x]
    is_mirror = [np.array_equal(img, mirrored) for img in x]
    assert all(p or m for p, m in zip(is_plain, is_mirror))
    assert 10 < sum(is_mirror) < 54  # p = 0.5


def test_labels_are_balanced_and_splits_are_independent_draws(pool):
    data = render_dataset(spec(("rotate",), objects=(1, 2, 3, 4)), pool["foregrounds"], pool["backgrounds"])
    assert np.bincount(data["y_train"]).tolist() == [24, 24, 24, 24]
    assert int(data["num_classes"]) == 4
    assert data["x_train"].shape == (96, 32, 32, 3) and data["x_train"].dtype == np.uint8
    assert not np.array_equal(data["x_train"][:16], data["x_val"])


def test_groups_get_their_own_transformations(bar_prototype, pool):
    protos = np.concatenate([bar_prototype, bar_prototype])
    s = Transforms2DSpec((Group((0,), ("vflip",)), Group((1,), ("hflip",))), {"train": 64, "val": 1, "test": 1}, 3)
    x, y = render_split(s, "train", protos, pool["backgrounds"][:1])
    canvas = object_canvas(bar_prototype)
    bg = torch.from_numpy(pool["backgrounds"][:1]).permute(0, 3, 1, 2).float() / 255
    v = composite(canvas.flip(-2), bg)[0].numpy()
    h = composite(canvas.flip(-1), bg)[0].numpy()
    assert not any(np.array_equal(img, h) for img in x[y == 0])
    assert not any(np.array_equal(img, v) for img in x[y == 1])


def test_spec_round_trips_and_rejects_unknown_transformations():
    s = spec(("blur", "color"))
    assert Transforms2DSpec.from_dict(s.to_dict()) == s
    bad = s.to_dict()
    bad["groups"][0]["transforms"] = ["blur", "swirl"]
    with pytest.raises(ValueError, match="unknown transformation 'swirl'"):
        Transforms2DSpec.from_dict(bad)
