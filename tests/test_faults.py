"""Fault injection through Snakemake at smoke scale: each fault's message, what is kept, and the fix that works.

Faults: the network is gone while the paper's assets are listed; a dataset file is damaged after it
was written; a node died while writing a checkpoint; a second run is started in the same directory;
the config is edited while a run goes on; results/ is read-only.
"""

import io
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import SNAKEMAKE, copy_workflow
from PIL import Image

from invariance.assets import BACKGROUND_POOL_SIZE

SMOKE = ("--config", "scale=smoke")
FIG2 = "results/figures/fig2.pdf"


def snakemake(wd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(wd / "src")}
    return subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args], cwd=wd, capture_output=True, text=True, timeout=1200, env=env
    )


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def fig2_run(tmp_path_factory) -> Path:
    wd = copy_workflow(tmp_path_factory.mktemp("faults"))
    ok(snakemake(wd, FIG2, *SMOKE))
    return wd


def _drop_downstream(wd: Path, *files: Path) -> None:
    """Remove files and what fig 2 derives from them: Snakemake does not rebuild a missing intermediate file
    while the target downstream of it is present and up to date."""
    for f in (*files, wd / "results/smoke/offline/tables/fig2_probes.parquet", wd / FIG2):
        f.unlink()


def _outputs(wd: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (wd / "results/smoke").rglob("*") if p.is_file()}


def test_a_damaged_dataset_is_named_and_rebuilt_by_the_stated_command(fig2_run):
    wd = fig2_run
    model = next((wd / "results/smoke/offline/models/seed0").glob("*/resnet18.pt"))
    probe = wd / "results/smoke/offline/probes/seed0" / model.parent.name / "resnet18.json"
    dataset = next(
        p for p in (wd / "results/smoke/offline/datasets/seed0").glob("t2d-*.npz") if p.stem != model.parent.name
    )  # a probe target, not the pretraining set
    stat = dataset.stat()
    dataset.write_bytes(dataset.read_bytes()[:1000])  # a partial copy that kept the file's time (rsync -t)
    os.utime(dataset, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _drop_downstream(wd, probe)  # so the job that reads the target runs again
    before = _outputs(wd)
    proc = snakemake(wd, FIG2, *SMOKE)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    rel = dataset.relative_to(wd)
    assert f"{rel} is damaged or unreadable" in out and "render_transforms2d / render_pasted" in out
    assert f"snakemake --cores 1 --force {rel}" in out
    kept = {p for p, t in before.items() if p.exists() and p.stat().st_mtime_ns == t}
    assert kept == set(before)  # nothing computed before was lost
    ok(snakemake(wd, "--force", str(rel), *SMOKE))  # the stated fix
    ok(snakemake(wd, FIG2, *SMOKE))
    assert probe.exists()


def test_a_damaged_checkpoint_is_set_aside_and_training_restarts(fig2_run):
    wd = fig2_run
    model = next((wd / "results/smoke/offline/models/seed0").glob("*/vgg11.pt"))
    ckpt = wd / "results/smoke/offline/checkpoints/seed0" / model.parent.name / "vgg11.ckpt"
    ckpt.parent.mkdir(parents=True, exist_ok=True)
    ckpt.write_bytes(b"\x00" * 100)  # what a lost node left mid-write
    _drop_downstream(wd, model, wd / "results/smoke/offline/probes/seed0" / model.parent.name / "vgg11.json")
    ok(snakemake(wd, FIG2, *SMOKE))
    log = wd / "results/logs/smoke/offline/pretrain/seed0" / model.parent.name / "vgg11.log"
    assert "is unreadable" in log.read_text() and "starts from scratch" in log.read_text()
    assert model.exists() and ckpt.with_name("vgg11.ckpt.unreadable").exists() and not ckpt.exists()


def _mirror(root: Path, classes: int = 61, backgrounds: int = BACKGROUND_POOL_SIZE) -> Path:
    """A local SI-Score mirror of tiny images, with the real counts (a wrong count is refused)."""
    rng = np.random.default_rng(0)
    for c in range(classes):
        img = np.zeros((20, 20, 4), np.uint8)
        img[4:16, 4:16] = (*rng.integers(0, 255, 3), 255)
        path = root / f"foregrounds/class{c:02d}/0000.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img).save(path)
    for b in range(backgrounds):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (24, 24, 3), dtype=np.uint8)).save(buf, format="JPEG")
        (root / "backgrounds").mkdir(parents=True, exist_ok=True)
        (root / f"backgrounds/{b}.jpg").write_bytes(buf.getvalue())
    return root


def test_no_network_names_the_url_and_a_local_mirror_fixes_it(tmp_path):
    wd = copy_workflow(tmp_path / "wd")
    with socket.socket() as s:  # a port nobody listens on: the network is "down"
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = wd / "config.yaml"
    text = config.read_text()
    url = "https://s3.us-east-1.amazonaws.com/si-score-dataset"
    assert url in text
    config.write_text(text.replace(url, f"http://127.0.0.1:{port}"))
    proc = snakemake(wd, "results/assets/paper/pool.npz", "--config", "assets=paper")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"cannot fetch http://127.0.0.1:{port}/?list-type=2" in out and "ConnectionRefusedError" in out
    assert "--config assets=offline" in out and "Air-gapped clusters" in out
    assert not (wd / "results/assets/paper/pool.npz").exists()
    config.write_text(text.replace(url, str(_mirror(tmp_path / "mirror"))))  # the stated fix
    ok(snakemake(wd, "results/assets/paper/pool.npz", "--config", "assets=paper"))
    assert (wd / "results/assets/paper/pool.npz").stat().st_size > 0


def _start(wd: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(wd / "src")}
    return subprocess.Popen(
        [SNAKEMAKE, "--cores", "1", *args],
        cwd=wd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, to pause it with its jobs
    )


def _wait_for_lock(wd: Path, proc: subprocess.Popen) -> None:
    locks = wd / ".snakemake/locks"
    for _ in range(600):
        if proc.poll() is None and locks.is_dir() and any(locks.iterdir()):
            return
        time.sleep(0.1)
    raise AssertionError("the first run never took its lock")


def test_a_second_run_in_the_same_directory_is_refused_while_the_first_finishes(fig2_run):
    wd = fig2_run
    (wd / FIG2).unlink()
    first = _start(wd, FIG2, *SMOKE)
    _wait_for_lock(wd, first)
    os.killpg(first.pid, signal.SIGSTOP)  # held while the second starts, however fast the first's job is
    try:
        second = snakemake(wd, FIG2, *SMOKE)
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    out = second.stdout + second.stderr
    assert second.returncode != 0 and "Directory cannot be locked" in out and "--unlock" in out
    assert first.wait(timeout=600) == 0, first.stdout.read()[-3000:]
    assert (wd / FIG2).exists()


def test_a_config_edited_during_a_run_is_used_by_the_next_run_only(fig2_run):
    wd = fig2_run
    config = wd / "config.yaml"
    text = config.read_text()
    (wd / FIG2).unlink()
    before = _outputs(wd)
    first = _start(wd, FIG2, *SMOKE)
    _wait_for_lock(wd, first)
    config.write_text(text.replace("palette: colorblind", "palette: deep"))
    try:
        assert first.wait(timeout=600) == 0, first.stdout.read()[-3000:]
        # The running workflow read its config when it started; the edit reruns what it touches, nothing else.
        plan = snakemake(wd, FIG2, *SMOKE, "-n").stdout
        assert re.findall(r"^(\w+)\s+\d+\s*$", plan.split("Job stats:")[1].split("total")[0], re.M) == ["fig2"]
        assert all(p.stat().st_mtime_ns == t for p, t in before.items())  # nothing computed was touched
    finally:
        config.write_text(text)


def test_a_read_only_results_directory_fails_before_any_job_and_loses_nothing(fig2_run):
    wd = fig2_run
    (wd / FIG2).unlink()
    before = _outputs(wd)
    results = wd / "results"
    mounted = not subprocess.run(["mount", "--bind", str(results), str(results)], capture_output=True).returncode
    if not mounted:
        pytest.skip("cannot bind-mount here (not root)")
    subprocess.run(["mount", "-o", "remount,ro,bind", str(results)], capture_output=True)
    if os.access(results, os.W_OK) and not subprocess.run(["touch", str(results / ".probe")]).returncode:
        subprocess.run(["umount", str(results)], check=True)
        pytest.skip("the bind mount did not become read-only here")
    try:
        proc = snakemake(wd, FIG2, *SMOKE)
    finally:
        subprocess.run(["umount", str(results)], check=True)
    out = proc.stdout + proc.stderr
    # Snakemake sees the outputs cannot be written while it builds the DAG, before any job starts.
    assert proc.returncode != 0 and "Write-protected output files for rule fig2" in out, out[-3000:]
    assert all(p.exists() and p.stat().st_mtime_ns == t for p, t in before.items())
    ok(snakemake(wd, FIG2, *SMOKE))  # writable again: the run completes
