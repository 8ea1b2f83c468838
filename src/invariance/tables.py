"""Parquet tables: every probe result, pretraining curve and l2 ratio of an experiment, one row each.

<experiment>_probes.parquet (one row per probe):
  experiment      str    experiment name, e.g. "fig2" (config.yaml's `experiments`)
  scale           str    smoke | quick | paper
  assets          str    offline | paper (where objects, backgrounds and CIFAR-10 came from)
  backgrounds     int64  background images in the asset pool (the paper's SI-Score: 882)
  seed            int64  experiment seed
  architecture    str    a key of invariance.models.ARCHITECTURES, e.g. resnet18
  pretrain_dataset str   the experiment's name of the dataset the backbone was pretrained on
  target          str    the experiment's name of the dataset the linear head was trained and tested on
  pretrain_id, target_id str  content ids of those datasets (the file names under datasets/)
  pretrain_order, target_order int64  position of each in the design's pretrain_on / probe_on (plot order)
  pretrain_<v>, target_<v> float64  numbers that define a dataset, NaN where they do not apply:
                  alpha and beta (fig 4's relevance and availability), set_size (fig 8's |Ti|)
  pretrain_categories, target_categories list<str>  transformation categories of each dataset (this
                  seed's draw, e.g. fig 2's T1 and T2); empty for CIFAR-based datasets
  pretrain_objects, target_objects list<int64>  object (foreground pool) indices of each dataset
  solver          str    which probe `accuracy` reports: lbfgs (converged) | adam (the paper's protocol)
  accuracy        float64 probe accuracy on the target's test split (of `solver`)
  train_accuracy  float64 probe accuracy on the probe's training images (of `solver`)
  lbfgs_accuracy, lbfgs_train_accuracy float64  the converged logistic regression (L-BFGS)
  lbfgs_iterations int64, lbfgs_objective, lbfgs_train_loss, lbfgs_grad_max float64, lbfgs_converged bool
                  its convergence: iterations, final objective (cross-entropy + L2), cross-entropy, and the
                  largest gradient entry at the end (converged: <= probing.TOLERANCE, 1e-5)
  adam_accuracy, adam_train_accuracy, adam_train_loss float64  the paper's protocol (Adam, probe_epochs)
                  on the same features
  n_train, n_test int64  probe split sizes
  width           float64 channel multiplier of the model
  pretrain_epochs, probe_epochs int64

<experiment>_training.parquet (one row per pretraining epoch):
  experiment, scale, assets, backgrounds, seed, architecture, pretrain_dataset, pretrain_id, pretrain_order (-1: a
  model trained for the l2 ratios only), pretrain_categories, pretrain_objects, pretrain_<v>, epoch,
  train_loss, train_accuracy, val_accuracy,
  test_accuracy   the model's own-task accuracy on the test split of its pretraining dataset; val and test
                  every `eval_every` epochs of the scale and at the last (NaN in between)

<experiment>_l2.parquet (fig 6's: one row per model and dataset):
  experiment, scale, assets, backgrounds, seed, architecture, model, dataset, l2_ratio

<experiment>_sensitivity.parquet (fig 4's: one row per pretrained model; invariance.sensitivity):
  experiment, scale, assets, backgrounds, seed, architecture, pretrain_dataset, pretrain_id, pretrain_order,
  pretrain_categories, pretrain_objects, pretrain_<v>,
  d_object, d_image float64  mean l2 distance between representations of one CIFAR image with two
                  different objects, and of two CIFAR images with the same object
  sensitivity     float64 d_object / d_image
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from invariance import records
from invariance.arrays import load_arrays
from invariance.atomic import replacing

PROBE_KEY = ["experiment", "seed", "architecture", "pretrain_dataset", "target"]
CURVE_KEY = ["experiment", "seed", "architecture", "pretrain_dataset", "epoch"]
L2_KEY = ["experiment", "seed", "architecture", "model", "dataset"]
SENSITIVITY_KEY = ["experiment", "seed", "architecture", "pretrain_dataset"]


class TableError(ValueError):
    pass


def _check(df: pd.DataFrame, key: list[str], what: str) -> pd.DataFrame:
    if df.empty:
        raise TableError(f"{what}: no rows to aggregate")
    for col in ("scale", "assets"):
        if df[col].nunique() > 1:
            raise TableError(
                f"{what}: rows mix several values of '{col}' ({sorted(df[col].unique())}); "
                "aggregate one scale and asset source at a time"
            )
    dup = df[df.duplicated(key, keep=False)]
    if len(dup):
        raise TableError(f"{what}: duplicated rows for {dup[key].drop_duplicates().to_dict('records')}")
    return df.sort_values(key, kind="stable").reset_index(drop=True)


def model_key(seed, pretrain_id: str, architecture: str) -> str:
    """How the table rules index a model's result files (probe JSON, training history)."""
    return f"{seed}/{pretrain_id}/{architecture}"


def _read(path: str | Path, cache: dict, kind: str) -> dict:
    if path not in cache:
        cache[path] = records.read(path, kind)
    return cache[path]


def probe_table(rows: list[dict], files: dict[str, str], run: dict) -> pd.DataFrame:
    """Join the design's rows with the bundled probe results.

    rows: experiment, seed, architecture, pretrain_dataset, pretrain_id, target, target_id
    files: "seed/pretrain_id/architecture" -> that model's probe JSON
    run: scale and assets of the run
    """
    cache: dict = {}
    out = []
    for r in rows:
        result = _read(files[model_key(r["seed"], r["pretrain_id"], r["architecture"])], cache, "probe result")
        if r["target_id"] not in result["targets"]:
            raise TableError(
                f"probe table: {r['pretrain_id']} ({r['architecture']}, seed {r['seed']}) has no "
                f"result for target {r['target']} ({r['target_id']}); rerun its probe job"
            )
        out.append(
            {
                **r,
                **run,
                **result["targets"][r["target_id"]],
                **{k: result[k] for k in ("width", "pretrain_epochs", "probe_epochs")},
            }
        )
    return _check(pd.DataFrame(out), PROBE_KEY, "probe table")


def curve_table(rows: list[dict], files: dict[str, str], run: dict) -> pd.DataFrame:
    cache: dict = {}
    out = [
        {**r, **run, **epoch}
        for r in rows
        for epoch in _read(files[model_key(r["seed"], r["pretrain_id"], r["architecture"])], cache, "training history")[
            "history"
        ]
    ]
    return _check(pd.DataFrame(out), CURVE_KEY, "training table")


def l2_table(paths: list[str | Path], run: dict) -> pd.DataFrame:
    out = [{**run, **row} for p in paths for row in records.read(p, "l2 result")]
    return _check(pd.DataFrame(out), L2_KEY, "l2 table")


def sensitivity_table(jobs: list[dict], paths: list[str | Path], run: dict) -> pd.DataFrame:
    """jobs: per job file, the registry's models (pretrain id -> its rows: one per name it has in the design)."""
    out = [
        {**named, **run, **row}
        for job, p in zip(jobs, paths)
        for row in records.read(p, "sensitivity result")
        for named in job["models"][row["pretrain_id"]]
    ]
    return _check(pd.DataFrame(out), SENSITIVITY_KEY, "sensitivity table")


def pool_columns(pool: str | Path) -> dict:
    """What a run's tables record of the asset pool its datasets were drawn from: how many backgrounds."""
    return {"backgrounds": len(load_arrays(pool)["backgrounds"])}


def write(df: pd.DataFrame, path: str | Path) -> None:
    with replacing(path) as tmp:
        df.to_parquet(tmp, index=False)
