"""Atomic writes: a file appears at its final path complete, or not at all.

A killed job, a full disk or a lost node never leaves a partial file that a later step (or a
later run) would trust: everything is written to a sibling temporary name and renamed into place.
A full disk or an exceeded quota names itself, whichever library was writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path
from typing import Iterator

NO_SPACE = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "the disk quota is exceeded"}
# torch.save reports a failed write as a RuntimeError of its zip writer, without the OS error.
TORCH_WRITE_FAILED = ("unexpected pos", "file write failed", "PytorchStreamWriter failed")
NEARLY_FULL = 16 * 2**20  # free bytes under which a writer's failure is the disk's


class DiskFullError(OSError):
    pass


def _no_space(e: BaseException, directory: Path) -> str | None:
    """Why a write failed, if for want of space: an OS error in the chain, or torch's writer on a full disk."""
    seen = e
    while seen is not None:
        for code, why in NO_SPACE.items():
            # pyarrow's OSError carries the code in its text only
            if isinstance(seen, OSError) and (seen.errno == code or os.strerror(code) in str(seen)):
                return why
        seen = seen.__cause__ or seen.__context__
    if isinstance(e, RuntimeError) and any(m in str(e) for m in TORCH_WRITE_FAILED):
        with contextlib.suppress(OSError):
            if shutil.disk_usage(directory).free < NEARLY_FULL:
                return NO_SPACE[errno.ENOSPC]
    return None


def _free(directory: Path) -> str:
    try:
        return f"{shutil.disk_usage(directory).free / 2**20:.1f} MiB free there now"
    except OSError:
        return "free space unknown"


def _disk_full(path: Path, why: str) -> DiskFullError:
    return DiskFullError(
        f"could not write {path}: {why} ({_free(path.parent)}). Nothing partial was "
        "kept and every file finished before is. Free space (or raise the quota), or put the outputs on a "
        "larger filesystem: run from a copy of the workflow there, or make results/ a link to it; a "
        "between-workflow cache goes where SNAKEMAKE_OUTPUT_CACHE points. Then rerun the same command: "
        "it continues from what is finished."
    )


def disk_full(e: BaseException, path: Path) -> DiskFullError | None:
    """The full-disk error for a write to ``path`` that failed with ``e``, if it failed for want of space."""
    why = _no_space(e, Path(path).parent)
    return _disk_full(Path(path), why) if why else None


@contextlib.contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary sibling of ``path`` (same suffix, so writers that go by it still work), renamed on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process: a job left running by a killed snakemake and the rerun's job never share one.
    tmp = path.with_name(f"{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    except (OSError, RuntimeError) as e:
        why = _no_space(e, path.parent)  # asked while the partial file still takes its space
        if why is None:
            raise
        tmp.unlink(missing_ok=True)
        raise _disk_full(path, why) from e
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | os.PathLike, text: str) -> None:
    with replacing(path) as tmp:
        tmp.write_text(text)
