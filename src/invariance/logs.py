"""Send a job's output and any traceback to its Snakemake log file, and account for its CPU time."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import resource
import time
import traceback
from pathlib import Path

# Set by bench/bench.py: a JSON-lines file each job appends its CPU-seconds to, split into start-up
# (interpreter, Snakemake's script preamble, imports: everything before the job's own work) and work.
CPU_LOG = "INVARIANCE_JOB_CPU_LOG"


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@contextlib.contextmanager
def job_log(smk):
    """``logged`` for a Snakemake script job (its log file, rule and wildcards), as the only writer of its
    outputs (invariance.exclusive: it changes no output, only refuses a second writer)."""
    from invariance.exclusive import only_writer

    # The lock first: a refused job must not touch the log of the job it defers to.
    with only_writer(smk.output), logged(smk.log[0], smk.rule, dict(smk.wildcards.items())):
        yield


@contextlib.contextmanager
def logged(path: str, rule: str = "", wildcards: dict | None = None):
    startup = _cpu()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", buffering=1) as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        print(f"code: {Path(__file__).resolve().parent}")  # which checkout's package this job runs
        print(f"started: {_now()}")
        try:
            yield
        except BaseException:
            traceback.print_exc(file=log)
            raise
        print(f"finished: {_now()}")
    if os.environ.get(CPU_LOG):
        record = {
            "rule": rule,
            **(wildcards or {}),  # seed, dataset, arch, experiment, figure: as columns
            "log": str(path),
            "startup_cpu_s": startup,
            "work_cpu_s": _cpu() - startup,
            "end": time.time(),
        }
        with open(os.environ[CPU_LOG], "a") as f:
            f.write(json.dumps(record) + "\n")
