"""Transforms-2D training images drawn afresh every epoch, on the device, from layers the render keeps."""

import numpy as np
import pytest
import torch
from conftest import assert_resumes_bit_identically

from invariance.arrays import save_arrays
from invariance.data import load_splits
from invariance.training import TrainConfig, pretrain_file, train
from invariance.transforms2d import fresh
from invariance.transforms2d.categories import CATEGORIES, category
from invariance.transforms2d.render import Group, Transforms2DSpec, composite, plan_split, render_dataset

SIZES = {"train": 96, "val": 16, "test": 16}
# Two groups with their own categories, as fig 5's D_T1+T2: a batch mixes them.
GROUPS = (Group((0, 5, 9), ("rotate", "scale", "color")), Group((2, 4), ("translate", "blur", "hflip")))


def spec(fresh_draws=True, seed=7):
    return Transforms2DSpec(GROUPS, SIZES, seed, fresh_draws)


@pytest.fixture
def dataset(pool, tmp_path):
    path = tmp_path / "d.npz"
    save_arrays(path, render_dataset(spec(), pool["foregrounds"], pool["backgrounds"]))
    return path


def test_the_layers_render_the_stored_training_split_on_its_own_draws(pool, dataset):
    """The training loop's batched render is the render rule's: on the parameters the stored split was
    drawn with, it gives the stored bytes (which tests/test_render.py checks against torchvision)."""
    layers, s = fresh.layers_file(str(dataset)), spec()
    plan, n = plan_split(s, "train", len(pool["backgrounds"])), SIZES["train"]
    params = []
    for gi, group in enumerate(s.groups):
        row = []
        for ti in range(len(group.transforms)):
            own = plan.params[(gi, ti)]
            full = own[torch.arange(n) % len(own)].clone()  # valid draws for the other group's samples
            full[plan.members[gi]] = own
            row.append(full)
        params.append(tuple(row))
    stored = load_splits(dataset, "train")[0]["train"].x
    assert torch.equal(layers.batch(torch.arange(n), fresh.Draws(tuple(params))), stored)
    assert torch.equal(layers.labels, torch.from_numpy(np.load(dataset)["y_train"]))


def test_an_epochs_batch_matches_the_per_image_torchvision_reference_on_its_draws(dataset):
    layers = fresh.layers_file(str(dataset))
    d = layers.draws(seed=3, epoch=2)
    idx = torch.randperm(SIZES["train"], generator=torch.Generator().manual_seed(0))[:40]
    fast = layers.batch(idx, d)
    for j, i in enumerate(idx.tolist()):
        gi = int(layers.group[i])
        x = layers.canvases[layers.labels[i]]
        for name, p in zip(layers.spec.groups[gi].transforms, d.params[gi], strict=True):
            x = category(name).apply_one(x, p[i])
        ref = composite(x[None], layers.backgrounds[layers.background[i]][None])[0].permute(2, 0, 1)
        diff = (fast[j].int() - ref.int()).abs()
        assert diff.max() <= 2 and diff.float().mean() < 0.05, i


def test_each_epoch_draws_anew_the_same_seed_draws_the_same_and_class_and_background_stay(dataset):
    layers = fresh.layers_file(str(dataset))
    idx = torch.arange(SIZES["train"])
    first, second = (layers.batch(idx, layers.draws(seed=3, epoch=e)) for e in (0, 1))
    assert torch.equal(first, layers.batch(idx, layers.draws(seed=3, epoch=0)))
    assert not torch.equal(first, layers.batch(idx, layers.draws(seed=4, epoch=0)))
    changed = (first != second).flatten(1).any(1)
    assert changed.float().mean() > 0.9  # nearly every image is another draw in the next epoch
    # What stays: a sample's class and background (the layers are fixed per index).
    again = fresh.layers_file(str(dataset))
    assert torch.equal(again.labels, layers.labels) and torch.equal(again.background, layers.background)


def test_a_file_rendered_without_fresh_draws_is_refused_naming_the_fix(pool, tmp_path):
    save_arrays(tmp_path / "d.npz", render_dataset(spec(fresh_draws=False), pool["foregrounds"], pool["backgrounds"]))
    with pytest.raises(ValueError, match="rendered without fresh_draws. Delete it and rerun"):
        fresh.layers_file(str(tmp_path / "d.npz"))
    assert "fresh_draws" not in spec(fresh_draws=False).to_dict()  # the ids of datasets from before stay
    assert Transforms2DSpec.from_dict(spec().to_dict()) == spec()


def test_fresh_pretraining_is_deterministic_and_differs_from_one_stored_draw(dataset, tmp_path, one_thread):
    cfg = TrainConfig("resnet18", 0.125, epochs=2, batch_size=32, lr=1e-3, seed=0, fresh_draws=True)
    files = lambda name: [str(tmp_path / f"{name}.{ext}") for ext in ("pt", "json", "ckpt")]  # noqa: E731
    runs = [pretrain_file(str(dataset), cfg, *files(f"r{i}"), "fresh") for i in range(2)]
    fixed = pretrain_file(str(dataset), TrainConfig(**{**cfg.__dict__, "fresh_draws": False}), *files("f"), "fixed")
    assert runs[0] == runs[1] and runs[0] != fixed
    splits, k = load_splits(dataset, "train", "val")
    with pytest.raises(ValueError, match="drawing afresh needs the training split's layers"):
        train(cfg, splits["train"], splits["val"], k, tmp_path / "x")


def test_fresh_pretraining_stopped_mid_epoch_resumes_bit_identically(dataset, tmp_path, sigterm_at_step, one_thread):
    """A cluster's SIGTERM in the second epoch: the resumed epoch renders the same images again."""
    splits, k = load_splits(dataset, "train", "val")
    layers = fresh.layers_file(str(dataset))
    cfg = TrainConfig("resnet18", 0.125, 2, 32, 1e-3, 0, "onecycle", fresh_draws=True)
    once = lambda ckpt: train(cfg, splits["train"], splits["val"], k, ckpt, layers=layers)  # noqa: E731
    assert_resumes_bit_identically(once, tmp_path, sigterm_at_step, 5, at=(1, 2))  # step 5 of 6: epoch 2


# Data-dependent shapes (a boolean mask, a per-sample CPU generator) have no meta kernel; these four make no
# tensor of their own on a fixed device (read in categories.py).
DATA_DEPENDENT = {"sharpen", "pixelate", "noise", "elastic"}


@pytest.mark.parametrize("name", sorted(set(CATEGORIES) - DATA_DEPENDENT))
def test_a_category_renders_on_the_device_its_images_are_on(name):
    """On the meta device a tensor made on the CPU inside apply_batch raises, as it would beside a GPU's."""
    g = torch.Generator().manual_seed(0)
    x, p = torch.rand(6, 4, 32, 32, device="meta"), CATEGORIES[name].sample(6, g).to("meta")
    out = CATEGORIES[name].apply_batch(x, p)
    assert out.device.type == "meta" and out.shape == x.shape
