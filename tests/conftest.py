import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from invariance.arrays import save_arrays
from invariance.data import Split

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# src/ travels too, first on PYTHONPATH, so tests can edit the code a workflow sees.
WORKFLOW_FILES = ("Snakefile", "config.yaml", "configs", "environment.yml", "workflow", "profiles", "src")


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


def separable(n, classes=4, seed=0):
    """Images whose mean colour gives the class: learnable in a few epochs."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % classes
    x = torch.randint(0, 60, (n, 3, 32, 32), generator=g, dtype=torch.uint8)
    x[:, 0] += (y * 60).to(torch.uint8)[:, None, None]
    return Split(x, y)


def dataset_file(path, n=128):
    """A dataset file in the pipeline's format (train, val and test splits) of ``separable`` images."""
    tr, va = separable(n), separable(32, seed=1)
    nhwc = lambda s: s.x.permute(0, 2, 3, 1).numpy()  # noqa: E731
    save_arrays(
        path,
        {
            "x_train": nhwc(tr),
            "y_train": tr.y.numpy(),
            "x_val": nhwc(va),
            "y_val": va.y.numpy(),
            "x_test": nhwc(va),
            "y_test": va.y.numpy(),
            "num_classes": np.array(4),
        },
    )
    return path


@pytest.fixture(scope="session", autouse=True)
def code_version_cache(tmp_path_factory):
    """Stage fingerprints computed by the tests' workflows, kept apart from the user's cache."""
    from invariance.fingerprints import CACHE_ENV

    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("code-versions"))
    yield Path(os.environ[CACHE_ENV])
    if saved is None:
        os.environ.pop(CACHE_ENV)
    else:
        os.environ[CACHE_ENV] = saved


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


@pytest.fixture
def one_thread():
    # CPU results are bit-identical only for the same thread count (reduction order).
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def sigterm_at_step(monkeypatch):
    """``sigterm_at_step(n)``: the job sends itself SIGTERM right after its n-th optimiser step (a cluster's time
    limit, on cue rather than by timing); ``.restore()`` puts the plain step back."""
    import signal

    step = torch.optim.Adam.step

    def arm(n: int):
        steps = [0]

        def counted(self, *a, **kw):
            out = step(self, *a, **kw)
            steps[0] += 1
            if steps[0] == n:
                os.kill(os.getpid(), signal.SIGTERM)
            return out

        monkeypatch.setattr(torch.optim.Adam, "step", counted)

    arm.restore = lambda: monkeypatch.setattr(torch.optim.Adam, "step", step)
    return arm


def assert_resumes_bit_identically(train_once, tmp_path, sigterm_at_step, step: int, at: tuple[int, int]):
    """``train_once(checkpoint) -> (model, history)``, stopped by SIGTERM after optimiser step ``step``, which
    checkpoints where it was (``at``: 0-based epoch, step within it), and run again from there, ends with an
    uninterrupted run's history and bits."""
    from invariance.training import PreemptedError

    ref_model, ref = train_once(tmp_path / "ref")
    sigterm_at_step(step)
    ckpt = tmp_path / "run.ckpt"
    with pytest.raises(PreemptedError, match=f"at epoch {at[0] + 1}, step {at[1]}"):
        train_once(ckpt)
    sigterm_at_step.restore()
    state = torch.load(ckpt, weights_only=True)
    assert (state["epoch"], state["step"]) == at
    model, resumed = train_once(ckpt)
    assert resumed == ref
    a, b = ref_model.state_dict(), model.state_dict()
    assert all(torch.equal(a[n], b[n]) for n in a)
