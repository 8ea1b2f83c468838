"""Damaged datasets and models are named with their maker and the command that rebuilds them; writes are atomic."""

import numpy as np
import pytest
import torch
from conftest import dataset_file

from invariance.arrays import save_arrays
from invariance.artifacts import ArtifactError
from invariance.atomic import replacing, write_text
from invariance.data import load_splits
from invariance.training import TrainConfig, load_state, pretrain_file


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_dataset_names_the_file_its_rule_and_the_rebuild_command(tmp_path, damage):
    path = dataset_file(tmp_path / "t2d-0123456789ab.npz")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 3] ^= 0xFF  # one flipped byte inside the training images: the CRC-32 catches it
    path.write_bytes(bytes(data))
    with pytest.raises(ArtifactError) as e:
        load_splits(path, "train", "test")
    msg = str(e.value)
    assert str(path) in msg and "render_transforms2d / render_pasted" in msg
    assert f"snakemake --cores 1 --force {path}" in msg


def test_a_damaged_asset_file_names_its_rules(tmp_path):
    from invariance.arrays import load_arrays

    path = tmp_path / "pool.npz"
    save_arrays(path, {"foregrounds": np.zeros((4, 32, 32, 4), np.uint8)})
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(ArtifactError, match="pool.npz is damaged or unreadable.*assets_offline / assets_paper"):
        load_arrays(path)


def test_a_model_whose_weights_changed_is_refused(tmp_path):
    data = dataset_file(tmp_path / "d.npz")
    pretrain_file(
        str(data), TrainConfig("vgg11", 0.125, 1, 32, 1e-3, 0), str(tmp_path / "m.pt"), str(tmp_path / "m.ckpt"), "job"
    )
    assert load_state(tmp_path / "m.pt")["sha256"]
    state = torch.load(tmp_path / "m.pt", weights_only=False)
    state["state_dict"]["head.bias"][0] += 1  # a silent change the zip container would not notice
    torch.save(state, tmp_path / "m.pt")
    with pytest.raises(ArtifactError, match=r"m.pt is damaged .*do not match the SHA-256.*rule pretrain.*--force"):
        load_state(tmp_path / "m.pt")
    (tmp_path / "m.pt").write_bytes(b"not a model")
    with pytest.raises(ArtifactError, match="m.pt is damaged or unreadable"):
        load_state(tmp_path / "m.pt")


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path):
    path = tmp_path / "table.parquet"
    write_text(path, "complete")
    with pytest.raises(RuntimeError, match="disk full"):
        with replacing(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert path.read_text() == "complete" and list(tmp_path.iterdir()) == [path]
