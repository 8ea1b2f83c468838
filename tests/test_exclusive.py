"""A job left running by a killed snakemake and its rerun never write the same output at once."""

import subprocess
import sys

import pytest

from invariance.exclusive import BusyError, only_writer

HOLD = """
import sys, time
from invariance.exclusive import only_writer
with only_writer([sys.argv[1]]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_writer_is_refused_while_the_first_runs_and_admitted_after(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = subprocess.Popen([sys.executable, "-c", HOLD, "out.pt", "30"], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "held"
        with pytest.raises(BusyError, match=rf"out\.pt is still being written by pid {first.pid} on"):
            with only_writer(["out.pt"]):
                pass
    finally:
        first.kill()  # as SIGKILL ends an orphaned job: its lock goes with it
        first.wait()
    with only_writer(["out.pt", "other.json"]):
        assert (tmp_path / ".snakemake" / "invariance-locks").is_dir()


def test_a_job_log_takes_the_outputs_lock(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from invariance.logs import job_log

    monkeypatch.chdir(tmp_path)
    smk = SimpleNamespace(log=["job.log"], rule="r", wildcards={}, output=["a.json"])
    with job_log(smk):
        holder = subprocess.run([sys.executable, "-c", HOLD, "a.json", "0"], capture_output=True, text=True, timeout=60)
    assert holder.returncode != 0 and "BusyError" in holder.stderr
