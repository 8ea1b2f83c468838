"""Reading the workflow's own files (datasets, models) with one clear error when one is damaged.

Dataset files are zip archives whose members carry a CRC-32 written with them and checked on
every read; model files carry a SHA-256 of their weights, checked on load. A damaged or
truncated file (a full disk, a partial copy, a bad cache restore) is named, with the rule that
makes it and the command that rebuilds just it.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import zipfile

import torch

MADE_BY = {
    "asset": "assets_offline / assets_paper / cifar_offline / cifar_paper",
    "dataset": "render_transforms2d / render_pasted",
    "model": "pretrain",
}


class ArtifactError(RuntimeError):
    pass


def damaged(path, kind: str, cause: str) -> ArtifactError:
    return ArtifactError(
        f"{path} is damaged or unreadable ({cause}). This {kind} file is made by the rule "
        f"{MADE_BY[kind]}; rebuild just it with `snakemake --cores 1 --force {path}`, then rerun "
        "your target (everything else already computed is kept)."
    )


@contextlib.contextmanager
def reading(path, kind: str):
    try:
        yield
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError, pickle.UnpicklingError, RuntimeError) as e:
        if isinstance(e, ArtifactError):
            raise
        raise damaged(path, kind, f"{type(e).__name__}: {e}") from None


def weights_digest(state_dict: dict[str, torch.Tensor]) -> str:
    h = hashlib.sha256()
    for k in sorted(state_dict):
        h.update(k.encode() + b"\0")
        h.update(state_dict[k].detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()
