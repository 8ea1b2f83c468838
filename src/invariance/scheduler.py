"""Snakemake's scheduler, kept from spinning: at most one pending re-evaluation timer, as a daemon.

In Snakemake 9.27.1 every scheduling pass that could not start a job arms a
``threading.Timer`` for the ``--max-jobs-per-timespan`` timespan (default 1 s) that starts
another pass, and every finished job starts a pass of its own, so each finished job adds a
chain of passes: over a 400-job run the `snakemake` process itself spent a fifth of a core
scheduling. Coalescing the timers into one keeps a pass per timespan at most (plus one per
finished job); a daemon timer does not hold the process open after the last job.

The override is written against the one private method below and checks the version it
was written for: on any other Snakemake it warns and changes nothing.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import threading
import warnings

WRITTEN_FOR = "9.27.1"
# Set by bench/bench.py: the file the `snakemake` process writes its own CPU time to at exit.
CPU_LOG = "INVARIANCE_SCHEDULER_CPU_LOG"


def coalesce_reevaluations() -> bool:
    """Install the override; True if installed."""
    import snakemake
    from snakemake.scheduling import job_scheduler

    if snakemake.__version__ != WRITTEN_FOR or not hasattr(job_scheduler.JobScheduler, "_schedule_reevalutation"):
        warnings.warn(
            f"invariance.scheduler: written for Snakemake {WRITTEN_FOR}, found {snakemake.__version__}; "
            "the scheduler is left as it is (it may use more CPU and exit later)",
            stacklevel=2,
        )
        return False
    lock = threading.Lock()

    def schedule_reevaluation(self, delay) -> None:
        with lock:
            if getattr(self, "_invariance_timer_armed", False):
                return  # a pass is already due; one more would only spin
            self._invariance_timer_armed = True

        def fire():
            with lock:
                self._invariance_timer_armed = False
            self._open_jobs.release()

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        timer.start()

    job_scheduler.JobScheduler._schedule_reevalutation = schedule_reevaluation
    if os.environ.get(CPU_LOG):
        atexit.register(_write_own_cpu, os.environ[CPU_LOG])
    return True


def _write_own_cpu(path: str) -> None:
    """This process's CPU-seconds (jobs run in child processes and are not counted)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    with open(path, "a") as f:
        f.write(json.dumps({"scheduler_cpu_s": r.ru_utime + r.ru_stime}) + "\n")
