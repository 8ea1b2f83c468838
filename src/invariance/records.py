"""The JSON files one job writes for another: each format's fields, its one writer and its one checked reader.

A probe job's result, a pretraining job's history, an l2 job's and a sensitivity job's rows are
written here and read back here by the table rules, so a format is stated once. A file that is cut
short, is not JSON or lacks a field is named with the rule that makes it and the command that
rebuilds it (``artifacts.damaged``), never a raw ``JSONDecodeError`` or ``KeyError`` further on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from invariance.artifacts import damaged, read_json
from invariance.atomic import write_text


@dataclass(frozen=True)
class Format:
    fields: tuple[str, ...]  # what every record (or, for row lists, every row) holds
    rows: bool = False  # a list of records rather than one


FORMATS = {
    # targets: target dataset id -> that probe's numbers (probing.probe_targets)
    "probe result": Format(("width", "pretrain_epochs", "probe_epochs", "targets")),
    # how the model was pretrained (train_config.TrainConfig's fields) beside one row per epoch; the only copy of
    # the history (model files keep their epoch count)
    "training history": Format(("history",)),
    "l2 result": Format(("seed", "architecture", "model", "dataset", "l2_ratio"), rows=True),
    "sensitivity result": Format(("pretrain_id", "d_object", "d_image", "sensitivity"), rows=True),
    # beside a run's tables: what it was made with (runinfo.describe)
    "run info": Format(("scale", "assets", "recipe", "kinds", "versions", "commit")),  # and looks (since looks existed)
    # a planned look's decision (looks.decide): whether the experiment's next look's seeds are built
    "look": Format(("experiment", "seeds", "continue", "undecided")),
}


def _missing(record, fmt: Format) -> str | None:
    if fmt.rows and not isinstance(record, list):
        return "it is not a list of rows"
    for r in record if fmt.rows else [record]:
        if not isinstance(r, dict):
            return f"a record is {type(r).__name__}, not an object"
        lost = [f for f in fmt.fields if f not in r]
        if lost:
            return f"field {lost[0]!r} is missing"
    return None


def write(path, fmt: str, record) -> None:
    """Writes ``record`` atomically in the format named ``fmt``; a record that lacks a field is a bug, refused here."""
    problem = _missing(record, FORMATS[fmt])
    if problem:
        raise ValueError(f"{fmt} for {path}: {problem} (fields: {', '.join(FORMATS[fmt].fields)})")
    write_text(path, json.dumps(record, indent=1))


def read(path, fmt: str):
    record = read_json(path, fmt)
    problem = _missing(record, FORMATS[fmt])
    if problem:
        raise damaged(path, fmt, problem)
    return record
