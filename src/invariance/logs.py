"""Send a job's output and any traceback to its Snakemake log file."""

from __future__ import annotations

import contextlib
import traceback
from pathlib import Path


@contextlib.contextmanager
def logged(path: str):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", buffering=1) as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            yield
        except BaseException:
            traceback.print_exc(file=log)
            raise
