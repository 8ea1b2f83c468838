import numpy as np
import pytest
import yaml
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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
