"""Parquet tables: every probe result, and every pretraining curve, one row each.

probes.parquet columns (one row per probe):
  experiment      str    experiment / figure id, e.g. "fig2"
  scale           str    smoke | quick | paper
  assets          str    offline | paper (where the foregrounds and backgrounds came from)
  seed            int64  experiment seed
  architecture    str    resnet18 | vgg11 | densenet121
  width           float64 channel multiplier of the model
  pretrain_dataset str   dataset the backbone was pretrained on
  target          str    dataset the linear head was trained and tested on
  accuracy        float64 test accuracy of the probe on the target's test split
  train_accuracy  float64 probe accuracy on the target's train split
  n_train, n_test int64  probe split sizes
  pretrain_epochs, probe_epochs int64

training.parquet columns (one row per pretraining epoch):
  experiment, scale, assets, seed, architecture, pretrain_dataset, epoch,
  train_loss, train_accuracy, val_accuracy
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

PROBE_KEY = ["experiment", "scale", "assets", "seed", "architecture", "pretrain_dataset", "target"]
CURVE_KEY = ["experiment", "scale", "assets", "seed", "architecture", "pretrain_dataset", "epoch"]


class TableError(ValueError):
    pass


def _check(df: pd.DataFrame, key: list[str], what: str) -> pd.DataFrame:
    for col in ("scale", "assets"):
        if df[col].nunique() > 1:
            raise TableError(f"{what}: rows mix several values of '{col}' ({sorted(df[col].unique())}); "
                             "aggregate one scale and asset source at a time")
    dup = df[df.duplicated(key, keep=False)]
    if len(dup):
        raise TableError(f"{what}: duplicated rows for {dup[key].drop_duplicates().to_dict('records')}")
    return df.sort_values(key, kind="stable").reset_index(drop=True)


def probe_table(paths: list[str | Path], expected: int | None = None) -> pd.DataFrame:
    rows = [json.loads(Path(p).read_text()) for p in paths]
    if expected is not None and len(rows) != expected:
        raise TableError(f"probe table: expected {expected} probe results, got {len(rows)}")
    if not rows:
        raise TableError("probe table: no probe results to aggregate")
    return _check(pd.DataFrame(rows), PROBE_KEY, "probe table")


def curve_table(model_metas: list[dict]) -> pd.DataFrame:
    rows = [{**{k: m[k] for k in CURVE_KEY[:-1]}, **epoch} for m in model_metas for epoch in m["history"]]
    return _check(pd.DataFrame(rows), CURVE_KEY, "training table")


def write(df: pd.DataFrame, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False)
