"""Damaged datasets and models are named with their maker and the command that rebuilds them; writes are atomic."""

import numpy as np
import pytest
import torch
from conftest import dataset_file

from invariance.arrays import save_arrays
from invariance.artifacts import ArtifactError, read_table
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
        str(data),
        TrainConfig("vgg11", 0.125, 1, 32, 1e-3, 0),
        str(tmp_path / "m.pt"),
        str(tmp_path / "m.json"),
        str(tmp_path / "m.ckpt"),
        "job",
    )
    assert load_state(tmp_path / "m.pt")["sha256"]
    state = torch.load(tmp_path / "m.pt", weights_only=True)
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


class _Payload:
    """Unpickling this runs code: it touches a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_model_or_checkpoint_carrying_code_is_refused_and_the_code_never_runs(tmp_path, capsys):
    from invariance.training import load_checkpoint

    data = dataset_file(tmp_path / "d.npz")
    model, ckpt = tmp_path / "m.pt", tmp_path / "m.ckpt"
    pretrain_file(
        str(data), TrainConfig("vgg11", 0.125, 1, 32, 1e-3, 0), str(model), str(tmp_path / "m.json"), str(ckpt), "job"
    )
    marker = tmp_path / "payload-ran"
    # A model file (as a shared cache or a copied results tree could hold it) with valid weights and digest.
    state = load_state(model)
    torch.save({**state, "history": _Payload(marker)}, model)
    refused = r"m.pt is damaged or unreadable \(it holds objects other than weights .*GLOBAL io.open.*rule pretrain"
    with pytest.raises(ArtifactError, match=refused):
        load_state(model)
    # A checkpoint: set aside and training starts over, as for any unreadable checkpoint.
    torch.save({"epoch": 1, "history": _Payload(marker)}, ckpt)
    assert load_checkpoint(ckpt, "job") is None
    assert (tmp_path / "m.ckpt.unreadable").exists() and "is unreadable (UnpicklingError" in capsys.readouterr().err
    assert not marker.exists()


def test_a_cut_probe_result_or_table_names_the_file_its_rule_and_the_rebuild_command(tmp_path):
    import pandas as pd

    from invariance import tables

    result = tmp_path / "probe.json"
    result.write_text('{\n "width": 0.125,\n "targets": {"t2d-0": {"accuracy": 0.5')  # cut mid-write
    row = {"seed": 0, "pretrain_id": "t2d-1", "architecture": "resnet18", "target_id": "t2d-0"}
    with pytest.raises(ArtifactError) as e:
        tables.probe_table([row], {tables.model_key(0, "t2d-1", "resnet18"): str(result)}, {})
    assert f"{result} is damaged or unreadable (JSONDecodeError" in str(e.value)
    assert "made by the rule probe;" in str(e.value) and f"--force {result}" in str(e.value)
    table = tmp_path / "fig2_probes.parquet"
    tables.write(pd.DataFrame({"accuracy": [0.5, 0.6]}), table)
    table.write_bytes(table.read_bytes()[:-20])
    with pytest.raises(ArtifactError, match=r"fig2_probes.parquet is damaged or unreadable .*rule probe_table"):
        read_table(table)


def test_a_result_file_that_parses_but_lacks_a_field_is_named_and_a_writer_refuses_one(tmp_path):
    from invariance import records, tables

    probe = tmp_path / "probe.json"
    probe.write_text('{"width": 0.125, "pretrain_epochs": 4, "targets": {}}')  # probe_epochs lost
    row = {"seed": 0, "pretrain_id": "t2d-1", "architecture": "resnet18", "target_id": "t2d-0"}
    with pytest.raises(ArtifactError, match=r"probe.json is damaged .*field 'probe_epochs' is missing.*rule probe;"):
        tables.probe_table([row], {tables.model_key(0, "t2d-1", "resnet18"): str(probe)}, {})
    l2 = tmp_path / "l2.json"
    l2.write_text('{"model": "m"}')  # one record where a list of rows belongs
    with pytest.raises(ArtifactError, match=r"l2.json is damaged .*not a list of rows.*rule l2_ratios"):
        tables.l2_table([l2], {})
    with pytest.raises(ValueError, match=r"sensitivity result .*field 'd_image' is missing"):
        records.write(tmp_path / "s.json", "sensitivity result", [{"pretrain_id": "x", "d_object": 1.0}])
    assert not (tmp_path / "s.json").exists()
    rows = [{"pretrain_id": "x", "d_object": 1.0, "d_image": 2.0, "sensitivity": 0.5}]
    records.write(tmp_path / "s.json", "sensitivity result", rows)
    assert records.read(tmp_path / "s.json", "sensitivity result") == rows
