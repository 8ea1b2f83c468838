"""One writer per output: a job holds a lock on each of its outputs while it runs.

A `snakemake` killed with SIGKILL leaves its local jobs running; the rerun would start a second
writer of the same files. Each job takes an exclusive lock (flock) per output, under
``.snakemake/invariance-locks`` of the working directory, before it writes anything; a job that
finds one held refuses at once, naming the process that holds it. The lock goes with the process
that held it, however it ends. It guards the writing, not the files: Snakemake itself deletes a job's
old outputs before it starts the job (and after it fails).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

LOCKS = Path(".snakemake") / "invariance-locks"


class BusyError(RuntimeError):
    pass


@contextlib.contextmanager
def only_writer(outputs: Iterable[str | os.PathLike]) -> Iterator[None]:
    LOCKS.mkdir(parents=True, exist_ok=True)
    held = []
    try:
        for out in sorted({os.path.abspath(o) for o in outputs}):
            f = open(LOCKS / hashlib.sha256(out.encode()).hexdigest()[:24], "a+")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if not isinstance(e, BlockingIOError):  # a filesystem without locks: run unguarded, and say so
                    f.close()
                    print(
                        f"WARNING: cannot lock {out} ({e.strerror}); a second writer would not be stopped",
                        file=sys.stderr,
                    )
                    continue
                f.seek(0)
                holder = f.read().strip() or "another process"
                f.close()
                raise BusyError(
                    f"{out} is still being written by {holder}, a job that an earlier snakemake (killed, or still "
                    "running elsewhere) started. Nothing was written. Wait for that process to end, or kill it, "
                    "then rerun the same command."
                ) from None
            f.seek(0)
            f.truncate()
            f.write(f"pid {os.getpid()} on {socket.gethostname()}")
            f.flush()
            held.append(f)
        yield
    finally:
        for f in held:
            f.close()  # releases the lock
