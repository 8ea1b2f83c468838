import json

import pytest

from invariance import tables
from invariance.tables import PROBE_KEY, TableError, curve_table, l2_table, probe_table

RUN = {"experiment": "fig4", "scale": "smoke", "assets": "offline"}


def _row(pretrain="alpha=0", pid="cifar-a", target="X=C+O,Y=C", tid="cifar-t", seed=0, arch="resnet18"):
    return {
        "seed": seed,
        "architecture": arch,
        "pretrain_dataset": pretrain,
        "pretrain_id": pid,
        "target": target,
        "target_id": tid,
    }


@pytest.fixture
def probe_files(tmp_path):
    result = {
        "width": 0.125,
        "pretrain_epochs": 2,
        "probe_epochs": 3,
        "targets": {
            "cifar-t": {"accuracy": 0.7, "train_accuracy": 0.8, "n_train": 10, "n_test": 5},
            "cifar-u": {"accuracy": 0.2, "train_accuracy": 0.3, "n_train": 10, "n_test": 5},
        },
    }
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(result))
    return {"0/cifar-a/resnet18": str(path)}


def test_a_shared_model_appears_under_every_name_a_figure_gives_it(probe_files):
    rows = [_row("alpha=0"), _row("beta=1"), _row("beta=1", target="X=C+O,Y=O", tid="cifar-u")]
    df = probe_table(rows, probe_files, RUN)
    assert len(df) == 3 and set(PROBE_KEY) <= set(df.columns)
    assert df.set_index(["pretrain_dataset", "target"]).accuracy.to_dict() == {
        ("alpha=0", "X=C+O,Y=C"): 0.7,
        ("beta=1", "X=C+O,Y=C"): 0.7,
        ("beta=1", "X=C+O,Y=O"): 0.2,
    }
    assert (df.scale == "smoke").all() and (df.width == 0.125).all()


def test_a_missing_target_result_names_the_model_and_target(probe_files):
    with pytest.raises(TableError, match="has no result for target X=O,Y=O"):
        probe_table([_row(target="X=O,Y=O", tid="cifar-zz")], probe_files, RUN)


def test_duplicated_rows_are_named(probe_files):
    with pytest.raises(TableError, match="duplicated rows for .*'pretrain_dataset': 'alpha=0'"):
        probe_table([_row(), _row()], probe_files, RUN)


def test_l2_rows_are_keyed_by_seed_model_and_dataset(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(
        json.dumps([{"seed": 0, "architecture": "resnet18", "model": "scale", "dataset": "scale", "l2_ratio": 1.5}])
    )
    b.write_text(
        json.dumps([{"seed": 1, "architecture": "resnet18", "model": "scale", "dataset": "scale", "l2_ratio": 1.4}])
    )
    assert len(l2_table([a, b], RUN)) == 2
    with pytest.raises(TableError, match="duplicated rows"):
        l2_table([a, a], RUN)


def test_training_curves_have_one_row_per_epoch(tmp_path):
    hist = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.1 * e, "val_accuracy": 0.1 * e} for e in (1, 2)]
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"history": hist}))
    rows = [
        {"seed": 0, "architecture": "resnet18", "pretrain_dataset": n, "pretrain_id": "cifar-a"}
        for n in ("alpha=0", "beta=1")
    ]
    df = curve_table(rows, {"0/cifar-a/resnet18": str(path)}, RUN)
    assert len(df) == 4 and df.epoch.tolist() == [1, 2, 1, 2]


def test_a_figures_footnote_names_a_background_pool_of_another_size_than_the_papers(tmp_path):
    import numpy as np
    import pandas as pd

    from invariance.arrays import save_arrays
    from invariance.assets import BACKGROUND_POOL_SIZE
    from invariance.figures.common import describe_run

    save_arrays(tmp_path / "pool.npz", {"backgrounds": np.zeros((867, 32, 32, 3), np.uint8)})
    counted = tables.pool_columns(tmp_path / "pool.npz")
    assert counted == {"backgrounds": 867}
    df = pd.DataFrame([{"seed": 0, "scale": "paper", "assets": "paper", **counted}])
    assert f"867 background images (the paper: {BACKGROUND_POOL_SIZE})" in describe_run(df)
    same = df.assign(backgrounds=BACKGROUND_POOL_SIZE)
    assert "background images" not in describe_run(same) and "SI-Score assets, as in the paper" in describe_run(same)
