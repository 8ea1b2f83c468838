"""End to end: the real Snakefile at smoke scale in a temporary copy of the workflow."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SNAKEMAKE, copy_workflow
from PIL import Image

# Targets first: `--config` takes every argument after it.
TARGETS = ("all", "--config", "scale=smoke")
FIGURES = ("fig1", "fig2", "order", "fig3", "fig4", "fig4_sensitivity", "fig5", "fig6a", "fig6b", "fig7", "fig8")
TRAINING = ("fig2", "fig3", "fig4", "fig5", "fig6", "fig8")  # the experiments that pretrain models of their own
CURVES = tuple(f"{e}_curves" for e in TRAINING)
RUN = "results/smoke/offline"
# What depends on the probe tables: their figures, the claims, run.json and the `all` target.
PROBE_TABLES = 7  # one per experiment
PROBE_FIGURES = {
    "fig2": 1,
    "fig4": 1,
    "heatmap": 5,
    "experiment_claims": PROBE_TABLES,
    "claims": 1,
    "run_info": 1,
    "all": 1,
}
# What states the scale's recipe but reads no probe table: two figures' footnotes and the run's run.json.
RECIPE_FIGURES = {"fig6b": 1, "sensitivity_figure": 1, "curves": len(CURVES), "run_info": 1}


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(workdir / "src")}
    proc = subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args], cwd=workdir, capture_output=True, text=True, timeout=1200, env=env
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return copy_workflow(tmp_path_factory.mktemp("workflow"))


@pytest.fixture(scope="module")
def smoke_run(workdir) -> Path:
    snakemake(workdir, *TARGETS)
    return workdir


def test_every_figure_is_built(smoke_run):
    for fig in FIGURES + CURVES:
        for ext in ("pdf", "png"):
            assert (smoke_run / f"results/figures/{fig}.{ext}").stat().st_size > 5000, fig


def test_probe_tables_hold_every_seed_architecture_and_target(smoke_run):
    tables = smoke_run / "results/smoke/offline/tables"
    df = pd.read_parquet(tables / "fig2_probes.parquet")
    assert len(df) == 1 * 3 * 4
    assert set(df.target) == {"all", "transforms", "objects", "none"}
    assert set(df.architecture) == {"resnet18", "vgg11", "densenet121"}
    assert df.accuracy.between(0, 1).all()
    assert (df.scale == "smoke").all() and (df.assets == "offline").all()
    expected = {"fig3": 16, "fig4": 2 * (4 + 9 + 6), "fig5": 16, "fig6": 8 * 8, "fig8": 64}
    for name, n in expected.items():
        df = pd.read_parquet(tables / f"{name}_probes.parquet")
        assert len(df) == n and df.accuracy.between(0, 1).all(), name
    fig4 = pd.read_parquet(tables / "fig4_probes.parquet").set_index(["pretrain_dataset", "target"])
    # D_alpha=0 and D_beta=1 are one dataset, hence one model and one probe result.
    assert fig4.loc[("alpha=0", "X=C+O,Y=O"), "accuracy"] == fig4.loc[("beta=1", "X=C+O,Y=O"), "accuracy"]
    assert fig4.loc[("alpha=0", "X=C+O,Y=O"), ["pretrain_alpha", "pretrain_beta"]].isna().tolist() == [False, True]
    assert fig4.loc[("alpha=0", "X=C+O,Y=O"), "pretrain_id"] == fig4.loc[("X=C+O,Y=C", "X=C+O,Y=O"), "pretrain_id"]
    l2 = pd.read_parquet(tables / "fig6_l2.parquet")
    assert len(l2) == 5 * 3 and (l2.l2_ratio > 0).all()


def test_the_claims_table_has_every_claim(smoke_run):
    from invariance import experiments

    md = (smoke_run / "results/claims.md").read_text()
    df = pd.read_parquet(smoke_run / "results/claims.parquet")
    ids = {c.id for c in experiments.CLAIMS}
    per_arch = {c.id for c in experiments.CLAIMS if c.kind in ("fig2", "order")}  # run for 3 architectures
    assert set(df.claim) == ids and len(df) == len(ids) + 2 * len(per_arch)
    assert set(df.verdict) == {"out of regime"}  # smoke's models are at chance: no claim is testable there
    assert all(f"| {i} |" in md for i in ids) and "scale smoke" in md
    assert md.splitlines()[2].startswith(f"**0 holds, 0 does not hold, 0 undecided, {len(df)} out of regime**")
    assert {"quote", "section", "comparison", "source", "pairing", "presupposes", "look"} <= set(df.columns)
    assert df.ci_low.isna().all() and (df.presupposes.map(len) > 0).all()


def test_the_report_holds_every_figure_and_the_verdict(smoke_run):
    proc = snakemake(smoke_run, "--report", "report.html", *TARGETS)
    # Captions are reStructuredText: a stray `|Ti|` in a title is an undefined substitution (issue 22).
    # Docutils reports a caption it cannot read as (WARNING/2) or (ERROR/3), and renders it garbled.
    said = proc.stdout + proc.stderr
    assert not re.search(r"\((WARNING|ERROR|SEVERE)/\d\)", said), said[-3000:]
    html = (smoke_run / "report.html").read_text()
    for fig in FIGURES + CURVES:
        assert f"{fig}.png" in html, fig
    assert "claims.md" in html and "Figure 4: probe accuracy on X=C+O" in html
    # As a person sees it: the report opened in a real (headless) browser, its scripts run, every category
    # and subcategory shown and every result's view button clicked (tests/report_reader.js,
    # added to a copy of the page, reads what each showed into a <pre>).
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium (`make browser` installs Debian's)")
    page = smoke_run / "report_read.html"
    # Before the page's own </body>: the string also occurs inside the bundled libraries' sources.
    head, body_end, tail = html.rpartition("</body>")
    page.write_text(
        f"{head}<script>{(Path(__file__).parent / 'report_reader.js').read_text()}</script>{body_end}{tail}"
    )
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=120000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    found = re.search(r'<pre id="invariance-read">(.*?)</pre>', dom, flags=re.S)
    assert found, dom[-2000:]
    read = json.loads(unescape(found.group(1)))
    assert read["error"] is None, read["error"]
    listed: dict[str, list[str]] = {}
    for category, _, rows in read["views"]:
        listed.setdefault(category, []).extend(rows)
    assert {"Figures", "Verdict", "Training curves"} <= set(listed), list(listed)
    for category, figures in (("Figures", FIGURES), ("Training curves", CURVES), ("Verdict", ("claims",))):
        for fig in figures:
            assert any(f"{fig}.png" in row for row in listed[category]), (category, fig, listed[category])
    assert any("claims.md" in row for row in listed["Verdict"])
    # Every figure was opened and drawn at the width of its PNG file (the image decoded, not an icon).
    drawn = {Path(path).name: width for path, _, tag, width in read["images"] if tag == "img"}
    downloads = {Path(path).name: first_line for path, _, tag, first_line in read["images"] if tag == "download"}
    verdict_md = (smoke_run / "results/claims.md").read_text()
    assert downloads == {"claims.md": verdict_md.splitlines()[0]}  # the verdict's link holds the verdict
    for fig in (*FIGURES, *CURVES, "claims"):
        with Image.open(smoke_run / f"results/figures/{fig}.png") as png:
            assert drawn.get(f"{fig}.png") == png.width, (fig, drawn)


def test_jobs_run_in_the_order_of_all_so_the_first_experiments_verdict_comes_first(smoke_run, repo_config):
    from invariance import experiments, registry

    order = [e for f in repo_config["all"] if (e := experiments.figures(repo_config)[f].experiment)]
    first, last = order[0], order[-1]
    reg = registry.build(repo_config, "smoke")
    elsewhere = {r["pretrain_id"] for e in order[:-1] for r in reg.trained[e]}
    last_only = [
        smoke_run / RUN / f"models/seed{r['seed']}/{r['pretrain_id']}/{r['architecture']}.pt"
        for r in reg.trained[last]
        if r["pretrain_id"] not in elsewhere
    ]
    assert last_only, last
    verdict = smoke_run / f"results/{repo_config['verdict']}/{first}.md"
    assert verdict.stat().st_mtime < min(m.stat().st_mtime for m in last_only)
    assert f"experiments {first}" in verdict.read_text()


def test_every_job_wrote_its_log(smoke_run):
    logs = list((smoke_run / "results/logs").rglob("*.log"))
    jobs = planned_jobs(smoke_run, "--forceall")
    assert len(logs) == sum(jobs.values()) - jobs["all"]  # every job but `all`
    assert any("pretrain" in str(p) and "epoch" in p.read_text() for p in logs)
    # Progress a person can read: a probe job's bar over its targets and one short line per target.
    probe_log = next(p.read_text() for p in logs if "/probes/" in str(p))
    assert "probe targets: 100%" in probe_log and re.search(r"probe on \S+: accuracy 0\.\d{3} \(lbfgs", probe_log)


def test_a_second_run_has_nothing_to_do(smoke_run):
    out = snakemake(smoke_run, "-n", *TARGETS)
    assert "Nothing to be done" in out.stdout + out.stderr


def test_checkpoints_are_gone_after_training(smoke_run):
    assert not list((smoke_run / "results").rglob("*.ckpt"))


@pytest.mark.parametrize(
    "override,message",
    [
        ("scale=huge", "config key 'scale': 'huge' is not a scale of this config; defined: smoke, quick, paper"),
        ("assets=internet", "config key 'assets': 'internet' is not allowed; allowed values: offline, paper"),
    ],
)
def test_a_bad_scale_or_asset_source_fails_before_any_job(workdir, override, message):
    proc = snakemake(workdir, "-n", "--config", override, check=False)
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr
    assert "Job stats" not in proc.stdout + proc.stderr


def planned_jobs(workdir: Path, *extra: str) -> dict[str, int]:
    """Job counts per rule of a dry run."""
    return job_counts(snakemake(workdir, "-n", *TARGETS, *extra).stdout)


def job_counts(out: str) -> dict[str, int]:
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


def test_probe_settings_rerun_probes_tables_and_figures_only(smoke_run, edited):
    edited("config.yaml", "  lr: 0.001\n  batch_size: 512", "  lr: 0.002\n  batch_size: 512")
    assert planned_jobs(smoke_run) == {"probe": 38, "probe_table": PROBE_TABLES, **PROBE_FIGURES}
    # A scale's own settings are also stated in every results figure's footnote, fig 6b's too.
    edited("config.yaml", "    probe_epochs: 3", "    probe_epochs: 4")
    assert planned_jobs(smoke_run) == {"probe": 38, "probe_table": PROBE_TABLES, **PROBE_FIGURES, **RECIPE_FIGURES}


@pytest.mark.parametrize(
    "old,new",
    [
        ("  compile: false", "  compile: true"),
        ("  checkpoint_minutes: 10", "  checkpoint_minutes: 1"),
        ("  require_gpu: false", "  require_gpu: true"),
    ],
)
def test_speed_and_robustness_options_rerun_nothing(smoke_run, edited, old, new):
    edited("config.yaml", old, new)
    assert planned_jobs(smoke_run) == {}


def test_a_pretraining_recipe_change_reruns_training_and_downstream_only(smoke_run, edited):
    edited(
        "config.yaml",
        "    lr_schedule: onecycle\n    probe_solver: lbfgs\n    probe_train_size: 240",
        "    lr_schedule: constant\n    probe_solver: lbfgs\n    probe_train_size: 240",
    )
    jobs = planned_jobs(smoke_run)
    assert jobs["pretrain"] == 39 and "render_transforms2d" not in jobs and "render_pasted" not in jobs


def test_cifar_augmentation_reruns_the_cifar_based_models_only(smoke_run, edited):
    edited(
        "config.yaml", "    eval_every: 1\n    cifar_augment: false\n", "    eval_every: 1\n    cifar_augment: true\n"
    )
    jobs = planned_jobs(smoke_run)
    assert jobs["pretrain"] == 16 and not {"render_pasted", "render_transforms2d"} & set(jobs)


def test_fresh_draws_rerun_the_synthetic_renders_and_models_and_never_a_cifar_based_model(
    smoke_run, edited, repo_config
):
    """Turned off here (smoke draws afresh, as quick and paper do); turning them on reruns the same jobs: the
    synthetic datasets' spec, hence their id, changes either way."""
    from invariance import dataset_kinds, plan

    on = "    cifar_augment: false\n    fresh_draws: true"  # the smoke scale's
    edited("config.yaml", on, on.replace("fresh_draws: true", "fresh_draws: false"))
    jobs = planned_jobs(smoke_run)
    reg = plan.build({**repo_config, "scale": "smoke"}).registry
    synthetic = {key for key in reg.datasets if not reg.kind(*key).cifar_based}
    assert jobs["render_transforms2d"] == len(synthetic) and not {"render_pasted", "assets_offline"} & set(jobs)
    models = _planned_outputs(smoke_run, "pretrain")
    assert len(models) == jobs["pretrain"] == sum((s, d) in synthetic for s, d, _ in reg.models)
    prefix = dataset_kinds.KINDS["transforms2d"].prefix
    assert all(f"/{prefix}-" in m for m in models), models


def test_the_probe_solver_reruns_probes_only(smoke_run, edited):
    edited(
        "config.yaml",
        "    probe_solver: lbfgs\n    probe_train_size: 240",
        "    probe_solver: adam\n    probe_train_size: 240",
    )
    assert planned_jobs(smoke_run) == {"probe": 38, "probe_table": PROBE_TABLES, **PROBE_FIGURES, **RECIPE_FIGURES}


def test_a_figure_style_reruns_that_figure_only(smoke_run, edited):
    edited("config.yaml", "palette: colorblind", "palette: deep")
    assert planned_jobs(smoke_run) == {"fig2": 1, "all": 1}


def test_a_second_seed_runs_only_the_new_seeds_jobs(smoke_run, edited):
    edited(
        "config.yaml",
        "    seeds: 1\n    width: 0.125\n    pretrain_epochs: 2",
        "    seeds: 2\n    width: 0.125\n    pretrain_epochs: 2",
    )
    out = snakemake(smoke_run, "-n", *TARGETS).stdout
    jobs = planned_jobs(smoke_run)
    assert {k: jobs[k] for k in ("render_pasted", "render_transforms2d", "pretrain", "probe", "l2_ratios")} == {
        "render_pasted": 16,
        "render_transforms2d": 25,
        "pretrain": 39,
        "probe": 38,
        "l2_ratios": 1,
    }
    assert "assets_offline" not in jobs and "cifar_offline" not in jobs
    outputs = [line for line in out.splitlines() if line.strip().startswith("output:")]
    assert outputs and not any("seed0" in line for line in outputs)


def test_a_pasting_code_edit_reruns_the_cifar_branch_only(smoke_run, edited):
    edited("src/invariance/pasted.py", "PASTE_SCALE = 0.55", "PASTE_SCALE = 0.5")
    assert planned_jobs(smoke_run) == {
        "render_pasted": 16,
        "pretrain": 16,
        "probe": 16,
        "probe_table": 2,
        "training_table": 2,
        "curves": 2,
        "fig4": 1,
        "heatmap": 1,
        "fig7": 1,
        "sensitivity": 1,
        "sensitivity_table": 1,
        "sensitivity_figure": 1,
        "experiment_claims": 2,
        "claims": 1,
        "run_info": 1,
        "all": 1,
    }


def test_a_rendering_code_edit_reruns_the_renders_and_everything_after_them(smoke_run, edited):
    edited("src/invariance/transforms2d/render.py", "OBJECT_SCALE = 0.7", "OBJECT_SCALE = 0.65")
    jobs = planned_jobs(smoke_run)
    assert "assets_offline" not in jobs
    assert (jobs["render_transforms2d"], jobs["render_pasted"], jobs["pretrain"], jobs["probe"]) == (25, 16, 39, 38)


def test_an_edit_to_drawing_afresh_reruns_the_synthetic_models_and_not_the_renders(smoke_run, edited):
    draws = 'derive_seed(seed, "fresh_draws", epoch)'  # each epoch's draws: other seeds, other images
    edited("src/invariance/transforms2d/fresh.py", draws, draws.replace('"fresh_draws", ', ""))
    jobs = planned_jobs(smoke_run)
    assert jobs["pretrain"] == 39 - 16 and not {"render_transforms2d", "render_pasted", "assets_offline"} & set(jobs)


def test_an_edit_that_changes_no_output_reruns_nothing(smoke_run, edited):
    """docs/reruns.md: comments, docstrings, log lines, messages and unused code."""
    for path in sorted((smoke_run / "src" / "invariance").rglob("*.py")):
        rel = str(path.relative_to(smoke_run))
        text = path.read_text()
        edited(rel, text, text + "\n\ndef _an_unused_helper(x):\n    return [x] * 2  # never called\n")
    edited("src/invariance/logs.py", '"log": str(path),', '"log": str(path),\n            "pid": os.getpid(),')
    edited("src/invariance/training.py", 'print(f"{job}: {row}"', 'print(f"{job} epoch: {row}"')
    edited("src/invariance/probing.py", "TOLERANCE = 1e-5", "TOLERANCE = 1e-5  # the gradient norm L-BFGS stops at")
    edited("src/invariance/models.py", "    def forward(self, x):", '    def forward(self, x):\n        """Forward."""')
    assert planned_jobs(smoke_run) == {}


def _planned_outputs(workdir: Path, rule: str) -> list[str]:
    """The outputs of the jobs of `rule` a dry run plans."""
    out = snakemake(workdir, "-n", *TARGETS).stdout
    jobs = re.findall(r"^rule (\w+):\n(?:    .*\n)*?    output: (.*)$", out, flags=re.M)
    return [o for r, o in jobs if r == rule]


def test_a_models_forward_pass_reruns_that_architecture_only(smoke_run, edited):
    edited(
        "src/invariance/models.py",
        "return torch.relu(out + self.shortcut(x))",  # the first: ResNet-18's BasicBlock
        "return torch.relu(out + 0.5 * self.shortcut(x))",
    )
    jobs = planned_jobs(smoke_run)
    assert not {"render_transforms2d", "render_pasted", "assets_offline"} & set(jobs)
    models = _planned_outputs(smoke_run, "pretrain")
    assert len(models) == jobs["pretrain"] > 0
    assert all("/resnet18." in m for m in models), models
    trained = pd.concat(pd.read_parquet(p) for p in (smoke_run / RUN / "tables").glob("*training.parquet"))
    assert (
        jobs["pretrain"]
        == trained.query("architecture == 'resnet18'")[["seed", "pretrain_id"]].drop_duplicates().shape[0]
    )


def test_a_probe_constant_reruns_the_probes_and_what_reads_them(smoke_run, edited):
    edited("src/invariance/probing.py", "TOLERANCE = 1e-5", "TOLERANCE = 1e-2")
    assert planned_jobs(smoke_run) == {"probe": 38, "probe_table": PROBE_TABLES, **PROBE_FIGURES}


def test_a_claims_change_reruns_the_verdicts_only(smoke_run, edited):
    edited("src/invariance/claims.py", '"CLOSE": Tolerance(\n        0.10,', '"CLOSE": Tolerance(\n        0.12,')
    jobs = planned_jobs(smoke_run)
    assert set(jobs) == {"experiment_claims", "claims", "all"} and jobs["claims"] == 1


def test_a_run_moved_to_another_folder_plans_nothing(smoke_run, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.copytree(smoke_run, moved, symlinks=True)
    assert planned_jobs(moved) == {}


def test_the_workflow_runs_and_versions_its_own_source(smoke_run, tmp_path):
    """Without PYTHONPATH a copy still plans by, and its jobs import, its own src/ (not the installed one)."""
    copy = tmp_path / "copy"
    shutil.copytree(smoke_run, copy, symlinks=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = lambda *a: subprocess.run(  # noqa: E731
        [SNAKEMAKE, "--cores", "1", *a], cwd=copy, capture_output=True, text=True, timeout=600, env=env
    )
    forced = run("-f", f"{RUN}/run.json", "--config", "scale=smoke")
    assert forced.returncode == 0, forced.stderr[-3000:]
    log = (copy / "results/logs/smoke/offline/run_info.log").read_text()
    assert log.startswith(f"code: {copy.resolve() / 'src' / 'invariance'}\n")
    render = copy / "src/invariance/transforms2d/render.py"
    render.write_text(render.read_text().replace("OBJECT_SCALE = 0.7", "OBJECT_SCALE = 0.65"))
    assert "render_transforms2d" in job_counts(run("-n", *TARGETS).stdout)


def test_a_plotting_code_edit_reruns_that_figure_only(smoke_run, edited):
    edited("src/invariance/figures/fig2.py", "figsize=(7, 4)", "figsize=(7, 5)")
    assert planned_jobs(smoke_run) == {"fig2": 1, "all": 1}


def test_a_script_edit_reruns_that_rule_and_downstream(smoke_run, edited):
    edited(
        "workflow/scripts/probe_table.py",
        "from invariance import tables",
        "from invariance import tables\n\nprint('edited')",
    )
    assert planned_jobs(smoke_run) == {"probe_table": PROBE_TABLES, **PROBE_FIGURES}


def test_the_asset_source_reruns_everything_from_the_assets_down(smoke_run):
    jobs = planned_jobs(smoke_run, "assets=paper")
    assert jobs["assets_paper"] == jobs["cifar_paper"] == 1
    assert (jobs["render_transforms2d"], jobs["render_pasted"], jobs["pretrain"], jobs["probe"]) == (25, 16, 39, 38)
    assert "assets_offline" not in jobs and "cifar_offline" not in jobs


def test_new_file_times_on_the_code_rerun_nothing(smoke_run):
    for path in [smoke_run / "Snakefile", *(smoke_run / "workflow").rglob("*"), *(smoke_run / "src").rglob("*.py")]:
        os.utime(path)
    assert planned_jobs(smoke_run) == {}


def test_no_two_jobs_produce_the_same_dataset_or_model(workdir):
    """Shared datasets (alpha=0 is beta=1 is fig 3's X=C+O,Y=C; fig 8's T1 is a fig 6 dataset) are one job."""
    from invariance import registry

    out = snakemake(workdir, "-n", "--forceall", *TARGETS).stdout
    outputs = [
        o.strip()
        for line in out.splitlines()
        if line.strip().startswith("output:")
        for o in line.split(":", 1)[1].split(",")
    ]
    assert len(outputs) == len(set(outputs))
    datasets = [o for o in outputs if "/datasets/" in o]
    models = [o for o in outputs if o.endswith(".pt")]
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    reg = registry.build(config, "smoke")
    uses = sum(len(rows) for rows in reg.trained.values())
    assert len(models) == len(reg.models) == 39 < uses
    assert len(datasets) == len(reg.datasets) == 41  # the order experiment adds one: T1 reversed


def test_a_malformed_config_file_fails_before_any_job(workdir, edited):
    edited("config.yaml", "scale: quick", "scale: [quick")
    proc = snakemake(workdir, "-n", check=False)
    assert proc.returncode != 0
    assert "config.yaml is not valid YAML at line" in proc.stdout + proc.stderr
    assert "Job stats" not in proc.stdout + proc.stderr


def test_a_config_that_asks_to_run_code_is_refused_before_it_is_read(workdir, edited, tmp_path):
    marker = tmp_path / "ran"
    template = f"__use_yte__: true\nnote: ?__import__('os').system('touch {marker}')\n"
    edited("config.yaml", "scale: quick", template + "scale: quick")
    proc = snakemake(workdir, "-n", check=False)
    assert proc.returncode != 0 and "sets __use_yte__" in proc.stdout + proc.stderr
    assert "nothing in it was run" in proc.stdout + proc.stderr and not marker.exists()


def test_an_unknown_architecture_fails_before_any_job(workdir, edited):
    edited("config.yaml", "    architectures: [resnet18]\n  fig4:", "    architectures: [resnet18, alexnet]\n  fig4:")
    proc = snakemake(workdir, "-n", check=False)
    assert proc.returncode != 0
    assert "'experiments.fig3.architectures.1': 'alexnet' is not allowed" in proc.stdout + proc.stderr


def _recorded_models(wd: Path) -> list[str]:
    """Models whose job Snakemake has recorded as complete (metadata files are named by base64 path)."""
    import base64

    meta = wd / ".snakemake/metadata"
    files = [p for p in meta.iterdir() if p.is_file()] if meta.exists() else []
    names = [base64.urlsafe_b64decode(p.name.encode()).decode() for p in files]
    return sorted(n for n in names if n.endswith(".pt"))


def test_an_interrupted_run_continues_without_redoing_finished_jobs(smoke_run, tmp_path_factory):
    wd = copy_workflow(tmp_path_factory.mktemp("interrupted"), source=smoke_run)
    env = {**os.environ, "PYTHONPATH": str(wd / "src")}
    target = ("results/figures/fig2.pdf", "--config", "scale=smoke")
    proc = subprocess.Popen(
        [SNAKEMAKE, "--cores", "1", *target],
        cwd=wd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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


def test_compare_reads_two_runs_and_finds_what_was_changed(smoke_run, tmp_path):
    from invariance import cli

    changed = tmp_path / "changed"
    shutil.copytree(smoke_run / RUN, changed, ignore=shutil.ignore_patterns("datasets", "models", "checkpoints"))
    probes = changed / "tables/fig3_probes.parquet"
    df = pd.read_parquet(probes)
    df.loc[0, "accuracy"] -= 0.5  # one cell of fig 3, one seed
    df.to_parquet(probes)
    assert cli.main(["compare", str(smoke_run / RUN), str(smoke_run / RUN), "--out", str(tmp_path / "same")]) == 0
    same = pd.read_parquet(tmp_path / "same/cells.parquet")
    assert len(same) > 100 and (same["difference"] == 0).all()
    assert not pd.read_parquet(tmp_path / "same/claims.parquet")["changed"].any()
    assert cli.main(["compare", str(smoke_run / RUN), str(changed), "--out", str(tmp_path / "diff")]) == 0
    cells = pd.read_parquet(tmp_path / "diff/cells.parquet")
    moved = cells[cells["difference"] != 0]
    row = df.loc[0]
    assert len(moved) == 1 and moved.iloc[0]["difference"] == pytest.approx(-0.5)
    assert tuple(moved.iloc[0][["pretrain_dataset", "target"]]) == (row["pretrain_dataset"], row["target"])
    text = (tmp_path / "diff/compare.md").read_text()
    assert "# Comparison: A = " in text and "## Claims:" in text and "| unknown |" in text
    assert "- nothing: same recipe, code and package versions" in text
    assert (tmp_path / "diff/compare.pdf").stat().st_size > 0
    assert cli.main(["compare", str(smoke_run / RUN), str(tmp_path)]) == 1  # not a run: named, no traceback, exit 1


def test_a_scale_of_your_own_runs_apart_from_the_built_in_ones(smoke_run, tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("scales:\n  smoke_w4: {base: smoke, width: 0.25}\n")
    out = snakemake(smoke_run, "-n", "all", "--configfile", str(sweep), "--config", "scale=smoke_w4").stdout
    jobs = job_counts(out)
    assert jobs["pretrain"] == 39 and "assets_offline" not in jobs  # new models, the same asset pool
    outputs = [line for line in out.splitlines() if line.strip().startswith("output:")]
    assert all("results/smoke/" not in line for line in outputs)  # nothing of the smoke run is touched
    assert any("results/smoke_w4/offline/models/" in line for line in outputs)
    assert planned_jobs(smoke_run) == {}  # and the smoke run is still complete


def test_a_look_builds_the_next_seeds_only_while_claims_are_undecided(smoke_run, edited):
    """fig2 (and order, which draws from it) planned with two looks at smoke: 1 seed, then 2."""
    edited("config.yaml", "seeds: {quick: [3, 6, 10]}", "seeds: {quick: [3, 6, 10], smoke: [1, 2]}")
    looks = smoke_run / RUN / "looks"
    # Tables already built are not revisited by a new plan (docs/verdict.md): ask for the looks themselves.
    snakemake(smoke_run, f"{RUN}/looks/fig2_look1.json", f"{RUN}/looks/order_look1.json", *TARGETS[1:])
    decision = json.loads((looks / "fig2_look1.json").read_text())
    assert decision["continue"] is False and decision["seeds"] == 1  # out of regime at smoke: more seeds cannot help
    assert json.loads((looks / "order_look1.json").read_text())["continue"] is False
    assert not (smoke_run / RUN / "models/seed1").exists()
    # Had the look found claims undecided, the next look's seeds would be built: fig 2's four datasets and
    # their models for its 3 architectures, probed, and the tables and figures after them.
    decision["continue"] = True
    (looks / "fig2_look1.json").write_text(json.dumps(decision))
    jobs = planned_jobs(smoke_run)
    # Fig 2's four datasets, and order's reversed T1: one probe job per model covers every target any
    # experiment probes it on, order's too (its own look stopped, so its table keeps seed 0 only).
    assert jobs["pretrain"] == 3 and jobs["probe"] == 3 and jobs["render_transforms2d"] == 5
    models = _planned_outputs(smoke_run, "pretrain")
    assert len(models) == 3 and all("/seed1/" in m and "/t2d-" in m for m in models)  # fig 2's, nothing else's
