"""Byte-for-byte reproducible ``.npz`` files (numpy's own writer stamps the current time)."""

from __future__ import annotations

import io
import os
import zipfile

import numpy as np

from invariance.artifacts import reading
from invariance.atomic import replacing

_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed npz with fixed timestamps, atomically."""
    with replacing(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def load_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every member of an asset file (CRC-checked)."""
    with reading(path, "asset"), np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}
