"""The official CIFAR-10 archive: checksummed download and reading of its pickled batches, which may
hold numpy arrays and nothing else (a crafted archive cannot run code here).

An asset file (``cifar10.npz``) holds ``x_train`` (50000, 32, 32, 3) uint8, ``y_train``,
``x_test`` (10000, 32, 32, 3), ``y_test`` and ``class_names``, whatever the source.
"""

from __future__ import annotations

import pickle
import tarfile
from pathlib import Path

import numpy as np

from invariance.assets.download import download

CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
ARCHIVE = "cifar-10-python.tar.gz"
PUBLISHED_MD5 = "c58f30108f718f92721af3b95e74349a"  # on https://www.cs.toronto.edu/~kriz/cifar.html
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
SPLIT_SIZES = {"train": 50000, "test": 10000}  # CIFAR-10's own splits (and the offline stand-in's)

LICENSE_TEXT = """CIFAR-10 (Krizhevsky, 2009), the official archive {url}, md5 {md5}.
See https://www.cs.toronto.edu/~kriz/cifar.html for its terms of use.
"""


class ArchiveError(RuntimeError):
    pass


# All a CIFAR-10 batch's pickle needs: its dict, byte strings and lists, and numpy's array rebuild.
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _ArraysOnly(pickle.Unpickler):
    """Reads a batch without running its code: any other global (os.system, ...) is refused by name."""

    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"refused to load {module}.{name}: a CIFAR-10 batch holds only arrays")
        return super().find_class(module, name)


def _batch(tar: tarfile.TarFile, name: str) -> tuple[np.ndarray, np.ndarray]:
    member = f"cifar-10-batches-py/{name}"
    try:
        raw = _ArraysOnly(tar.extractfile(member), encoding="bytes").load()
    except (KeyError, pickle.UnpicklingError, EOFError) as e:
        raise ArchiveError(f"{tar.name}: cannot read {member} ({e}); delete the file so it is downloaded again") from e
    x = np.asarray(raw[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(x), np.asarray(raw[b"labels"], dtype=np.int64)


def read_archive(path: str | Path) -> dict[str, np.ndarray]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            train = [_batch(tar, b) for b in TRAIN_BATCHES]
            x_test, y_test = _batch(tar, "test_batch")
    except (tarfile.TarError, OSError) as e:
        raise ArchiveError(
            f"{path} is not a readable CIFAR-10 archive ({e}); delete it so it is downloaded "
            "again, and check asset_sources.paper.cifar10_url"
        ) from e
    return {
        "x_train": np.concatenate([x for x, _ in train]),
        "y_train": np.concatenate([y for _, y in train]),
        "x_test": x_test,
        "y_test": y_test,
        "class_names": np.array(CLASS_NAMES),
    }


def build(url: str, md5: str, cache: str | Path) -> dict[str, np.ndarray]:
    """Download (or reuse a verified copy in ``cache``) and read the archive."""
    if md5 != PUBLISHED_MD5:  # a config from elsewhere cannot point the workflow at another archive
        raise ArchiveError(
            f"asset_sources.paper.cifar10_md5 is {md5}, not the MD5 CIFAR-10 publishes for {ARCHIVE} "
            f"({PUBLISHED_MD5}): a mirror must serve the official archive. Put back {PUBLISHED_MD5}."
        )
    return read_archive(download(url, Path(cache) / ARCHIVE, md5))
