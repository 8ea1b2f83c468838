"""Reading the workflow's own files (datasets, models, JSON results, tables) with one clear error when one is damaged.

Dataset files are zip archives whose members carry a CRC-32 written with them and checked on
every read; model files carry a SHA-256 of their weights, checked on load. A damaged or
truncated file (a full disk, a partial copy, a bad cache restore) is named, with the rule that
makes it and the command that rebuilds just it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import torch


MADE_BY = {
    "asset": "assets_offline / assets_paper / cifar_offline / cifar_paper",
    "dataset": "render_transforms2d / render_pasted",
    "model": "pretrain",
    "training history": "pretrain",
    "probe result": "probe",
    "l2 result": "l2_ratios",
    "sensitivity result": "sensitivity",
    "run info": "run_info",
    "table": "probe_table / training_table / l2_table / sensitivity_table",
}


class ArtifactError(RuntimeError):
    pass


def _cache_entry(path) -> Path | None:
    """The between-workflow cache's entry a file was restored from (Snakemake links it there), if it was."""
    cache = os.environ.get("SNAKEMAKE_OUTPUT_CACHE")
    p = Path(path)
    if not cache or not p.is_symlink():
        return None
    target = p.resolve()
    return target if target.is_relative_to(Path(cache).resolve()) else None


def damaged(path, artifact: str, cause: str, proven: bool = True) -> ArtifactError:
    """The error for a damaged file. One restored from the between-workflow cache has its entry deleted where
    the damage is ``proven`` (Snakemake would otherwise restore it again on every --force), else named."""
    entry, via_cache = _cache_entry(path), ""
    if entry is not None:
        why = "it may be sound: the error may be this machine's (I/O, memory), and others may still use it"
        if proven:
            try:
                entry.unlink()
                why = ""
            except OSError as e:
                why = e.strerror
        via_cache = (
            f"It was restored from the between-workflow cache, whose damaged entry {entry} is now deleted. "
            if not why
            else f"It was restored from the between-workflow cache: if it is damaged, delete the entry first "
            f"(`rm {entry}`; {why}), or --force restores it again. "
        )
    return ArtifactError(
        f"{path} is damaged or unreadable ({cause}). {via_cache}This {artifact} file is made by the rule "
        f"{MADE_BY[artifact]}; rebuild just it with `snakemake --cores 1 --force {path}`, then rerun "
        "your target (everything else already computed is kept)."
    )


@contextlib.contextmanager
def reading(path, artifact: str):
    try:
        yield
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError, pickle.UnpicklingError, RuntimeError) as e:
        if isinstance(e, ArtifactError):
            raise
        raise damaged(path, artifact, _cause(e), proven=_proves_damage(e)) from None


def _proves_damage(e: BaseException) -> bool:
    """Whether an error reading a file shows the file itself is bad (cut, corrupted), not the machine."""
    torch_zip = isinstance(e, RuntimeError) and "PytorchStreamReader" in str(e)
    return torch_zip or isinstance(e, (zipfile.BadZipFile, EOFError, pickle.UnpicklingError, json.JSONDecodeError))


def _cause(e: BaseException) -> str:
    """The reason in one line; torch's refusal of a non-weights pickle is long and advises loading it unsafely."""
    unsafe = re.search(r"Unsupported global: (GLOBAL [\w.]+)", str(e))
    if isinstance(e, pickle.UnpicklingError) and unsafe:
        return (
            f"it holds objects other than weights and plain values ({unsafe[1]}); refused without running "
            "them, as every workflow file is read with torch.load(weights_only=True)"
        )
    return f"{type(e).__name__}: {e}"


def read_json(path, artifact: str):
    """A JSON file one step wrote for another (probe results, histories, l2 and sensitivity results)."""
    with reading(path, artifact), open(path) as f:
        return json.load(f)


def read_table(path) -> pd.DataFrame:
    """A Parquet table of the workflow (pyarrow's errors are ValueErrors: a cut file names itself)."""
    with reading(path, "table"):
        return pd.read_parquet(path)


def weights_digest(state_dict: dict[str, torch.Tensor]) -> str:
    import torch  # here: the table and figure jobs read files through this module and need no torch

    h = hashlib.sha256()
    for k in sorted(state_dict):
        h.update(k.encode() + b"\0")
        h.update(state_dict[k].detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()
