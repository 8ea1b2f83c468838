"""End to end: the real Snakefile at smoke scale in a temporary copy of the workflow."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# src/ travels too, first on PYTHONPATH, so tests can edit the code a workflow sees.
WORKFLOW_FILES = ("Snakefile", "config.yaml", "environment.yml", "workflow", "profiles", "src")
# Targets first: `--config` takes every argument after it.
TARGETS = ("results/figures/fig1.pdf", "results/figures/fig2.pdf", "--config", "scale=smoke")


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(workdir / "src")}
    proc = subprocess.run([SNAKEMAKE, "--cores", "2", *args], cwd=workdir, capture_output=True, text=True,
                          timeout=1200, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    wd = tmp_path_factory.mktemp("workflow")
    for name in WORKFLOW_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, wd / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(src, wd / name)
    return wd


@pytest.fixture(scope="module")
def smoke_run(workdir) -> Path:
    snakemake(workdir, *TARGETS)
    return workdir


def test_both_figures_are_built(smoke_run):
    for fig in ("fig1", "fig2"):
        for ext in ("pdf", "png"):
            assert (smoke_run / f"results/figures/{fig}.{ext}").stat().st_size > 5000


def test_probe_table_holds_every_seed_architecture_and_target(smoke_run):
    df = pd.read_parquet(smoke_run / "results/smoke/offline/tables/fig2_probes.parquet")
    assert len(df) == 2 * 3 * 4
    assert set(df.target) == {"all", "transforms", "objects", "none"}
    assert set(df.architecture) == {"resnet18", "vgg11", "densenet121"}
    assert df.accuracy.between(0, 1).all()
    assert (df.scale == "smoke").all() and (df.assets == "offline").all()


def test_every_job_wrote_its_log(smoke_run):
    logs = list((smoke_run / "results/logs").rglob("*.log"))
    assert len(logs) >= 1 + 8 + 6 + 24 + 1 + 2
    assert any("pretrain" in str(p) and "epoch" in p.read_text() for p in logs)


def test_a_second_run_has_nothing_to_do(smoke_run):
    out = snakemake(smoke_run, "-n", *TARGETS)
    assert "Nothing to be done" in out.stdout + out.stderr


def test_checkpoints_are_gone_after_training(smoke_run):
    assert not list((smoke_run / "results").rglob("*.ckpt"))


@pytest.mark.parametrize("override,message", [
    ("scale=huge", "config key 'scale': 'huge' is not allowed; allowed values: smoke, quick, paper"),
    ("assets=internet", "config key 'assets': 'internet' is not allowed; allowed values: offline, paper"),
])
def test_a_bad_scale_or_asset_source_fails_before_any_job(workdir, override, message):
    proc = snakemake(workdir, "-n", "--config", override, check=False)
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr
    assert "Job stats" not in proc.stdout + proc.stderr


def planned_jobs(workdir: Path, *extra: str) -> dict[str, int]:
    """Job counts per rule of a dry run."""
    out = snakemake(workdir, "-n", *TARGETS, *extra).stdout
    if "Nothing to be done" in out:
        return {}
    table = out.split("Job stats:")[1].split("total")[0]
    return {m[0]: int(m[1]) for m in re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.M)}


@pytest.fixture
def edited(smoke_run):
    """Edit a file of the workflow copy for one test, restoring it afterwards."""
    saved = {}

    def edit(relpath: str, old: str, new: str):
        path = smoke_run / relpath
        saved.setdefault(path, path.read_text())
        text = path.read_text()
        assert old in text, f"{old!r} not in {relpath}"
        path.write_text(text.replace(old, new, 1))

    yield edit
    for path, text in saved.items():
        path.write_text(text)


def test_probe_settings_rerun_probes_tables_and_figure_only(smoke_run, edited):
    edited("config.yaml", "    probe_epochs: 3", "    probe_epochs: 4")
    assert planned_jobs(smoke_run) == {"probe": 24, "probe_table": 1, "fig2": 1}
    edited("config.yaml", "  lr: 0.001\n  batch_size: 512", "  lr: 0.002\n  batch_size: 512")
    assert planned_jobs(smoke_run) == {"probe": 24, "probe_table": 1, "fig2": 1}


def test_a_figure_style_reruns_that_figure_only(smoke_run, edited):
    edited("config.yaml", "palette: colorblind", "palette: deep")
    assert planned_jobs(smoke_run) == {"fig2": 1}


def test_a_third_seed_runs_only_the_new_seeds_jobs(smoke_run, edited):
    edited("config.yaml", "    seeds: 2\n    width: 0.125\n    pretrain_epochs: 2",
           "    seeds: 3\n    width: 0.125\n    pretrain_epochs: 2")
    out = snakemake(smoke_run, "-n", *TARGETS).stdout
    assert planned_jobs(smoke_run) == {"render_transforms2d": 4, "pretrain": 3, "probe": 12, "probe_table": 1,
                                       "fig2": 1}
    outputs = [line for line in out.splitlines() if line.strip().startswith("output:")]
    assert outputs and not any("seed0" in line or "seed1" in line for line in outputs)


def test_a_rendering_code_edit_reruns_rendering_and_downstream_not_assets(smoke_run, edited):
    edited("src/invariance/transforms2d/render.py", "OBJECT_SCALE = 0.7", "OBJECT_SCALE = 0.7  # an edit")
    assert planned_jobs(smoke_run) == {"render_transforms2d": 8, "pretrain": 6, "probe": 24, "probe_table": 1,
                                       "fig2": 1, "fig1": 1}


def test_a_plotting_code_edit_reruns_that_figure_only(smoke_run, edited):
    edited("src/invariance/figures/fig2.py", "TARGETS = {", "TARGETS = {  # an edit\n")
    assert planned_jobs(smoke_run) == {"fig2": 1}


def test_a_script_edit_reruns_that_rule_and_downstream(smoke_run, edited):
    edited("workflow/scripts/probe_table.py", "from invariance import tables", "from invariance import tables  # edit")
    assert planned_jobs(smoke_run) == {"probe_table": 1, "fig2": 1}


def test_the_asset_source_reruns_everything_from_the_assets_down(smoke_run):
    jobs = planned_jobs(smoke_run, "assets=paper")
    assert jobs == {"assets_paper": 1, "render_transforms2d": 8, "pretrain": 6, "probe": 24, "probe_table": 1,
                    "fig2": 1, "fig1": 1}


def test_new_file_times_on_the_code_rerun_nothing(smoke_run):
    for path in [smoke_run / "Snakefile", *(smoke_run / "workflow").rglob("*"), *(smoke_run / "src").rglob("*.py")]:
        os.utime(path)
    assert planned_jobs(smoke_run) == {}


def test_a_malformed_config_file_fails_before_any_job(workdir, edited):
    edited("config.yaml", "scale: quick", "scale: [quick")
    proc = snakemake(workdir, "-n", check=False)
    assert proc.returncode != 0
    assert "config.yaml is not valid YAML at line" in proc.stdout + proc.stderr
    assert "Job stats" not in proc.stdout + proc.stderr


def test_an_unknown_architecture_fails_before_any_job(workdir):
    proc = snakemake(workdir, "-n", "--config", "architectures=[resnet18,alexnet]", check=False)
    assert proc.returncode != 0
    assert "'architectures.1': 'alexnet' is not allowed" in proc.stdout + proc.stderr


def _recorded_models(wd: Path) -> list[str]:
    """Models whose job Snakemake has recorded as complete (metadata files are named by base64 path)."""
    import base64

    meta = wd / ".snakemake/metadata"
    files = [p for p in meta.iterdir() if p.is_file()] if meta.exists() else []
    names = [base64.urlsafe_b64decode(p.name.encode()).decode() for p in files]
    return sorted(n for n in names if n.endswith(".pt"))


def test_an_interrupted_run_continues_without_redoing_finished_jobs(smoke_run, tmp_path_factory):
    wd = tmp_path_factory.mktemp("interrupted")
    for name in WORKFLOW_FILES:
        src = smoke_run / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, wd / name)
    env = {**os.environ, "PYTHONPATH": str(wd / "src")}
    target = ("results/figures/fig2.pdf", "--config", "scale=smoke")
    proc = subprocess.Popen([SNAKEMAKE, "--cores", "1", *target], cwd=wd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None and not _recorded_models(wd):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the node dies: snakemake and its running job
    proc.wait()
    finished = _recorded_models(wd)
    assert finished, "no model finished before the deadline"
    plan = snakemake(wd, "-n", *target).stdout
    outputs = " ".join(line for line in plan.splitlines() if line.strip().startswith("output:"))
    assert not any(str(p) in outputs for p in finished)  # finished work is kept
    assert "assets_offline" not in plan
    snakemake(wd, "--unlock", *target)  # a SIGKILLed snakemake cannot release its lock itself
    snakemake(wd, *target)
    assert (wd / "results/figures/fig2.pdf").exists()
