"""The scheduler override: one pending re-evaluation timer, a daemon, only on the Snakemake it was written for."""

import threading
import time

import pytest
import snakemake
from snakemake.scheduling import job_scheduler

from invariance import scheduler


@pytest.fixture
def restored():
    original = job_scheduler.JobScheduler._schedule_reevalutation
    yield
    job_scheduler.JobScheduler._schedule_reevalutation = original


class FakeScheduler:
    def __init__(self):
        self._open_jobs = threading.Semaphore(0)


def test_many_requests_arm_one_daemon_timer_that_fires_once(restored):
    assert scheduler.coalesce_reevaluations()
    s = FakeScheduler()
    before = threading.active_count()
    for _ in range(100):
        job_scheduler.JobScheduler._schedule_reevalutation(s, 0.2)
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    assert threading.active_count() - before == 1 and all(t.daemon for t in timers)
    assert s._open_jobs.acquire(timeout=2)  # the pass it was for
    time.sleep(0.3)
    assert not s._open_jobs.acquire(blocking=False)  # and only one
    job_scheduler.JobScheduler._schedule_reevalutation(s, 0.05)  # re-armed once fired
    assert s._open_jobs.acquire(timeout=2)


def test_another_snakemake_version_is_left_alone(restored, monkeypatch):
    monkeypatch.setattr(snakemake, "__version__", "0.0.1")
    original = job_scheduler.JobScheduler._schedule_reevalutation
    with pytest.warns(UserWarning, match=r"written for Snakemake 9\.27\.1, found 0\.0\.1"):
        assert not scheduler.coalesce_reevaluations()
    assert job_scheduler.JobScheduler._schedule_reevalutation is original
