"""What a run was made with, written beside its tables (``results/<scale>/<assets>/run.json``) after they are.

The experiments' kinds let a copy of the tables be judged again without the config (``invariance
compare``); the resolved recipe, the package versions and the git commit say how two runs differ.
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

# The packages whose versions can change a number; the rest of the environment is the lock file's.
PACKAGES = ("torch", "torchvision", "numpy", "pillow", "pandas", "pyarrow", "scipy", "scikit-image", "snakemake")


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


def commit(repo: str | Path = ".") -> str | None:
    """The checkout's git commit, with ``-dirty`` if tracked files differ from it; None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10)
        if head.returncode:
            return None
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=repo, capture_output=True, timeout=10)
        return head.stdout.strip() + ("-dirty" if dirty.returncode else "")
    except (OSError, subprocess.TimeoutExpired):
        return None


def describe(
    scale: str, assets: str, recipe: dict, kinds: dict[str, str], looks: dict[str, list[int]], repo: str | Path = "."
) -> dict:
    return {
        "scale": scale,
        "assets": assets,
        "recipe": recipe,
        "kinds": kinds,
        "looks": looks,  # each experiment's planned looks: its verdict is judged under them again
        "versions": versions(),
        "commit": commit(repo),
    }
