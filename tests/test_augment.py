"""The authors' CIFAR augmentation on the device: the background moves, the pasted object does not."""

import numpy as np
import pytest
import torch
from conftest import assert_resumes_bit_identically
from torchvision.transforms.v2 import functional as TF

from invariance import augment
from invariance.arrays import save_arrays
from invariance.compositing import PASTE_AT, composite
from invariance.data import load_splits
from invariance.pasted import PastedSpec, render_dataset, small_objects
from invariance.training import TrainConfig, train

SIZES = {"train": 96, "val": 16, "test": 16}


@pytest.fixture(scope="module")
def cifar():
    """A CIFAR-shaped source of random pixels, so any shift of a background shows."""
    rng = np.random.default_rng(0)
    out = {"class_names": np.array([f"c{i}" for i in range(10)])}
    for split, n in (("train", 300), ("test", 100)):
        out[f"x_{split}"] = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
        out[f"y_{split}"] = rng.integers(10, size=n)
    return out


@pytest.fixture(scope="module")
def protos():
    """Opaque squares of distinct colours: a pasted object's pixels are its own, whatever lies below."""
    p = np.zeros((10, 32, 32, 4), np.uint8)
    for i in range(10):
        p[i, :, :] = (255 - 20 * i, 10 * i, 128, 255)
    return p


def test_crop_flip_matches_torchvisions_pad_crop_and_flip_per_image():
    x = torch.randint(0, 256, (20, 3, 32, 32), dtype=torch.uint8)
    d = augment.draws(20, seed=5, epoch=0)
    out = augment.crop_flip(x, d.dx, d.dy, d.flip)
    for i in range(20):
        ref = TF.crop(TF.pad(x[i], [augment.PAD]), int(d.dy[i]), int(d.dx[i]), 32, 32)
        ref = TF.horizontal_flip(ref) if d.flip[i] else ref
        assert torch.equal(out[i], ref), i
    centre = torch.full((20,), augment.PAD)
    assert torch.equal(augment.crop_flip(x, centre, centre, torch.zeros(20, dtype=torch.bool)), x)


def test_each_epoch_draws_its_own_crops_and_the_same_ones_again_for_the_same_seed():
    a, b, again = augment.draws(500, 1, 0), augment.draws(500, 1, 1), augment.draws(500, 1, 0)
    assert all(torch.equal(getattr(a, k), getattr(again, k)) for k in ("dx", "dy", "flip"))
    assert not torch.equal(a.dx, b.dx) and not torch.equal(a.flip, b.flip)
    assert set(a.dx.tolist()) == set(range(2 * augment.PAD + 1)) and 0.4 < a.flip.float().mean() < 0.6


def test_the_object_stays_where_it_is_while_the_background_moves(cifar, protos, tmp_path):
    spec = PastedSpec(tuple(range(10)), 1.0, 0.0, "class", "cifar", SIZES, 0)
    data = render_dataset(spec, cifar, protos)
    save_arrays(tmp_path / "d.npz", data)
    save_arrays(tmp_path / "cifar.npz", cifar)
    layers = augment.layers_file(str(tmp_path / "d.npz"), str(tmp_path / "cifar.npz"))
    stored = load_splits(tmp_path / "d.npz", "train")[0]["train"].x
    assert torch.equal(composite(layers.background, layers.objects, layers.which), stored)  # the render's own layers
    idx = torch.arange(SIZES["train"])
    first, second = (augment.batch(layers, idx, augment.draws(len(idx), 0, e)) for e in (0, 1))
    side = small_objects(protos[:1]).shape[-1]
    x0, y0 = PASTE_AT
    obj = (slice(None), slice(None), slice(y0, y0 + side), slice(x0, min(x0 + side, 32)))
    assert torch.equal(first[obj], stored[obj]) and torch.equal(second[obj], stored[obj])
    rest = (slice(None), slice(None), slice(16, 32), slice(0, 16))  # the lower-left quadrant: background only
    moved = (first[rest] != second[rest]).flatten(1).any(1)
    assert moved.float().mean() > 0.9  # nearly every sample got another crop or flip in the second epoch


def test_augmented_pretraining_is_deterministic_and_differs_from_plain(cifar, protos, tmp_path):
    spec = PastedSpec(tuple(range(10)), 1.0, 1.0, "class", "cifar", SIZES, 0)
    save_arrays(tmp_path / "d.npz", render_dataset(spec, cifar, protos))
    save_arrays(tmp_path / "cifar.npz", cifar)
    splits, k = load_splits(tmp_path / "d.npz", "train", "val")
    layers = augment.layers_file(str(tmp_path / "d.npz"), str(tmp_path / "cifar.npz"))
    cfg = TrainConfig("resnet18", 0.125, epochs=2, batch_size=32, lr=1e-3, seed=0, augment=True)
    runs = [train(cfg, splits["train"], splits["val"], k, tmp_path / f"ck{i}", layers=layers)[1] for i in range(2)]
    plain = train(TrainConfig(**{**cfg.__dict__, "augment": False}), splits["train"], splits["val"], k, tmp_path / "p")[
        1
    ]
    assert runs[0] == runs[1] and runs[0] != plain
    with pytest.raises(ValueError, match="augmentation needs the training split's layers"):
        train(cfg, splits["train"], splits["val"], k, tmp_path / "x")


def test_augmented_pretraining_stopped_mid_epoch_resumes_bit_identically(cifar, protos, tmp_path, sigterm_at_step):
    """A cluster's SIGTERM in the second epoch: the resumed epoch redraws the same order and the same crops."""
    spec = PastedSpec(tuple(range(10)), 1.0, 1.0, "class", "cifar", SIZES, 0)
    save_arrays(tmp_path / "d.npz", render_dataset(spec, cifar, protos))
    save_arrays(tmp_path / "cifar.npz", cifar)
    splits, k = load_splits(tmp_path / "d.npz", "train", "val")
    layers = augment.layers_file(str(tmp_path / "d.npz"), str(tmp_path / "cifar.npz"))
    cfg = TrainConfig("resnet18", 0.125, epochs=2, batch_size=32, lr=1e-3, seed=0, augment=True, lr_schedule="onecycle")
    once = lambda ckpt: train(cfg, splits["train"], splits["val"], k, ckpt, layers=layers)  # noqa: E731
    assert_resumes_bit_identically(once, tmp_path, sigterm_at_step, 5, at=(1, 2))  # step 5 of 6: epoch 2
