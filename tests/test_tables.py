import json

import pandas as pd
import pytest

from invariance.tables import PROBE_KEY, TableError, curve_table, probe_table


def _row(**kw):
    row = {"experiment": "fig2", "scale": "smoke", "assets": "offline", "seed": 0, "architecture": "vgg11",
           "pretrain_dataset": "all", "target": "all", "accuracy": 0.5, "train_accuracy": 0.6, "n_train": 10,
           "n_test": 5, "probe_epochs": 3}
    return {**row, **kw}


def _write(tmp_path, rows):
    paths = []
    for i, r in enumerate(rows):
        p = tmp_path / f"{i}.json"
        p.write_text(json.dumps(r))
        paths.append(p)
    return paths


def test_probe_rows_become_one_sorted_table(tmp_path):
    paths = _write(tmp_path, [_row(target="none", accuracy=0.1), _row(target="all", accuracy=0.9)])
    df = probe_table(paths, expected=2)
    assert df["target"].tolist() == ["all", "none"]
    assert set(PROBE_KEY) <= set(df.columns)


def test_duplicated_rows_are_named(tmp_path):
    with pytest.raises(TableError, match="duplicated rows for .*'target': 'all'"):
        probe_table(_write(tmp_path, [_row(), _row(accuracy=0.4)]))


def test_mixed_scales_are_refused(tmp_path):
    with pytest.raises(TableError, match="mix several values of 'scale'"):
        probe_table(_write(tmp_path, [_row(), _row(scale="quick", target="none")]))


def test_missing_rows_are_refused(tmp_path):
    with pytest.raises(TableError, match="expected 3 probe results, got 2"):
        probe_table(_write(tmp_path, [_row(), _row(target="none")]), expected=3)


def test_training_curves_have_one_row_per_epoch():
    meta = {k: v for k, v in _row().items() if k in ("experiment", "scale", "assets", "seed", "architecture",
                                                      "pretrain_dataset")}
    hist = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.1 * e, "val_accuracy": 0.1 * e} for e in (1, 2)]
    df = curve_table([{**meta, "history": hist}, {**meta, "architecture": "resnet18", "history": hist}])
    assert len(df) == 4 and isinstance(df, pd.DataFrame)
