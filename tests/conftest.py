import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# src/ travels too, first on PYTHONPATH, so tests can edit the code a workflow sees.
WORKFLOW_FILES = ("Snakefile", "config.yaml", "environment.yml", "workflow", "profiles", "src")


def copy_workflow(dest: Path, source: Path = REPO) -> Path:
    """A checkout of the workflow in ``dest``: what a user clones, without results."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def repo_config() -> dict:
    return yaml.safe_load((REPO / "config.yaml").read_text())


@pytest.fixture(scope="session")
def pool() -> dict:
    from invariance.assets.offline import build_pool

    return build_pool()


@pytest.fixture
def bar_prototype() -> np.ndarray:
    """An asymmetric opaque object: an L shape, so flips and rotations are visible."""
    p = np.zeros((1, 32, 32, 4), dtype=np.uint8)
    p[0, 4:28, 6:12] = (250, 40, 40, 255)
    p[0, 22:28, 6:26] = (40, 40, 250, 255)
    return p
