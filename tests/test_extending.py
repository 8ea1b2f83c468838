"""Extending the workflow the way a user would, each extension point touched in its one documented place.

The fast tests check that everything downstream of the category registry and the config's
`categories` follows them (no figure can drop a category). The slow one works in a copy of
the workflow: it runs the later version's config (configs/tmlr2024.yaml) at smoke scale,
then adds a category, an architecture and a config-only experiment and builds its figure.
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from test_workflow import job_counts, snakemake

from invariance import experiments as exp
from invariance import fingerprints, registry
from invariance.config import resolve, validate
from invariance.figures import fig1, heatmap
from invariance.transforms2d.categories import CATEGORIES, CATEGORY_NAMES


@pytest.fixture
def every_category(repo_config):
    cfg = copy.deepcopy(repo_config)
    cfg["categories"] = list(CATEGORY_NAMES)  # every registered category, in registry order
    return resolve(cfg)


def _probe_rows(cfg, experiment):
    """The probe table the workflow would write, accuracy filled with numbers."""
    rows = registry.build(cfg, "smoke").rows[experiment]
    return pd.DataFrame(rows).assign(accuracy=np.linspace(0, 1, len(rows)), seed=0, assets="offline", scale="smoke")


def test_every_category_of_the_pool_reaches_every_category_figure(every_category, pool):
    n = len(CATEGORY_NAMES)
    mean, _ = heatmap.matrix(_probe_rows(every_category, "fig6"))
    assert list(mean.index) == list(mean.columns) == list(CATEGORY_NAMES)  # fig 6a, in config order
    assert not mean.isna().any().any()
    mean8, _ = heatmap.matrix(_probe_rows(every_category, "fig8"))
    assert mean8.shape == (n, n)
    d8 = exp.design(every_category, "smoke", "fig8", 0)
    assert sorted(d8.datasets[d8.pretrain_on[-1]]["groups"][0]["transforms"]) == sorted(CATEGORY_NAMES)
    rows = fig1.example_rows(pool["foregrounds"], pool["backgrounds"], every_category["categories"], 2)
    assert list(rows) == [*CATEGORY_NAMES, f"all {n}"]


def test_the_paper_config_draws_from_its_eight_only(repo_config):
    d6 = exp.design(repo_config, "quick", "fig6", 0)
    assert d6.probe_on == tuple(repo_config["categories"]) and len(d6.probe_on) == 8


def test_the_later_design_is_a_fig2_experiment_with_per_family_draws(repo_config):
    later = yaml.safe_load((REPO / "configs/tmlr2024.yaml").read_text())
    cfg = resolve(
        {
            **copy.deepcopy(repo_config),
            "categories": later["categories"],
            "all": later["all"],
            "experiments": {**repo_config["experiments"], **later["experiments"]},
        }
    )
    assert exp.figures(cfg)["tmlr_fig2"] == exp.Figure("fig2", "tmlr_fig2")  # fig 2's plot and claims
    for seed in range(3):
        d = exp.design(cfg, "quick", "tmlr_fig2", seed)
        (o1, t1), (o2, t2) = ((g["objects"], g["transforms"]) for k in ("all", "none") for g in d.datasets[k]["groups"])
        assert not set(o1) & set(o2) and not set(t1) & set(t2) and "color" not in t1 + t2
        for t in (t1, t2):
            assert sorted(CATEGORIES[c].family for c in t) == ["corruption", "geometric", "photometric"]
        assert d.datasets["transforms"]["groups"][0]["transforms"] == t1
    bad = copy.deepcopy(cfg)
    bad["experiments"]["tmlr_fig2"]["transforms_per_set"] = {"geometric": 5}
    with pytest.raises(ValueError, match=r"tmlr_fig2.*category set T2, family geometric: 5 wanted, but only 1"):
        validate(bad)


def test_a_transfer_matrix_is_a_config_block(repo_config):
    cfg = copy.deepcopy(repo_config)
    cfg["experiments"]["matrix"] = yaml.safe_load(MATRIX)["matrix"]
    validate(cfg)
    assert exp.figures(cfg)["matrix"] == exp.Figure("heatmap", "matrix")
    for seed in range(3):
        d = exp.design(cfg, "quick", "matrix", seed)
        (o1, t1), (o2, t2) = ((g["objects"], g["transforms"]) for k in ("all", "none") for g in d.datasets[k]["groups"])
        assert not set(o1) & set(o2) and not set(t1) & set(t2)
        assert d.datasets["transforms"]["groups"][0]["transforms"] == t1
    bad = copy.deepcopy(cfg)
    bad["experiments"]["matrix"]["category_sets"]["T3"] = {"geometric": 5}
    with pytest.raises(ValueError, match=r"matrix.*category set T3, family geometric: 5 wanted, but only"):
        validate(bad)
    bad["experiments"]["matrix"]["datasets"]["all"]["objects"] = "O3"
    with pytest.raises(ValueError, match=r"'experiments.matrix.datasets.all.objects': 'O3' is not one of"):
        validate(bad)


MATRIX = """
matrix:
  kind: transfer_matrix
  object_sets: {O1: 30, O2: 30}
  category_sets: {T1: 2, T2: {geometric: 1}}
  datasets:
    all: {objects: O1, categories: T1}
    transforms: {objects: O2, categories: T1}
    none: {objects: O2, categories: T2}
  pretrain_on: [all]
  probe_on: [all, transforms, none]
  architectures: [resnet18]
"""


# A user's additions, each in its documented place (docs/extending.md).
CATEGORY_CODE = """
def _solarize_batch(x, p):
    t = p[:, :1, None, None].to(x.dtype)
    return torch.cat([torch.where(x[:, :3] >= t, 1 - x[:, :3], x[:, :3]), x[:, 3:]], 1)


_solarize_one = _on_rgb(lambda rgb, p: TF.solarize(rgb, float(p[0])))


"""
CATEGORY_LINE = """        Category("solarize", "photometric", 1, lambda n, g: _uniform(n, g, 0.3, 0.7),
                 _solarize_batch, _solarize_one),
"""
ARCH_CODE = """
def _tiny_body(width: float) -> tuple[nn.Module, int]:
    c = _ch(32, width)
    return nn.Sequential(nn.Conv2d(3, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten()), c


"""
ARCH_LINE = """    "tinynet": Architecture(_tiny_body, "TinyNet (one conv layer)", 50000),
"""
EXPERIMENT = """  my_study:
    kind: transfer_matrix
    title: "Linear-probe accuracy between solarized and rotated objects"
    object_sets: {A: 10, B: 10}
    category_sets: {S: [solarize], R: [rotate]}
    datasets:
      solarized: {objects: A, categories: S}
      rotated: {objects: A, categories: R}
      solarized_new_objects: {objects: B, categories: S}
    pretrain_on: [solarized, rotated]
    probe_on: [solarized, rotated, solarized_new_objects]
    architectures: [tinynet, resnet18]
"""


REFERENCE_CHECK = """
import torch
from invariance.transforms2d.categories import category
c, x = category("solarize"), torch.rand(6, 4, 32, 32)
p = c.sample(6, torch.Generator().manual_seed(0))
ref = torch.stack([c.apply_one(x[i], p[i]) for i in range(6)])
print(float((c.apply_batch(x, p) - ref).abs().max()))
"""


def _insert(path, before, text):
    src = path.read_text()
    assert before in src, f"{before!r} not in {path}"
    path.write_text(src.replace(before, text + before, 1))


def test_the_later_config_runs_and_a_user_extends_it(tmp_path):
    from conftest import copy_workflow

    wd = copy_workflow(tmp_path)
    later = ("--configfile", "configs/tmlr2024.yaml", "--config", "scale=smoke")
    snakemake(wd, "all", *later)
    assert (wd / "results/figures/tmlr_fig2.pdf").stat().st_size > 5000
    df = pd.read_parquet(wd / "results/smoke/offline/tables/tmlr_fig2_probes.parquet")
    assert set(df.architecture) == {"resnet18", "resnet50", "densenet121", "vgg11", "vit"}
    assert set(df.target) == {"all", "transforms", "objects", "none"} and df.accuracy.between(0, 1).all()
    assert not (wd / "results/figures/fig2.pdf").exists()  # the later config's `all` is its own figure
    verdict = pd.read_parquet(wd / "results/claims_tmlr2024.parquet")  # fig 2's claims, its own verdict file
    fig2_claims = {c.id for c in exp.CLAIMS if c.kind == "fig2"}
    assert set(verdict.claim) == fig2_claims and set(verdict.experiment) == {"tmlr_fig2"}
    assert len(verdict) == len(fig2_claims) * 5 and (wd / "results/figures/claims_tmlr2024.pdf").exists()

    # The three extension points, each one place.
    _insert(wd / "src/invariance/transforms2d/categories.py", "CATEGORIES: dict[str, Category] = {", CATEGORY_CODE)
    _insert(wd / "src/invariance/transforms2d/categories.py", "    )\n}\nCATEGORY_NAMES", CATEGORY_LINE)
    _insert(wd / "src/invariance/models.py", "ARCHITECTURES: dict[str, Architecture] = {", ARCH_CODE)
    _insert(wd / "src/invariance/models.py", "}\n\n\nclass Classifier", ARCH_LINE)
    # No dataset, model or probe built reruns: they use no new category and are of other architectures. Rules
    # that read the tables of categories or architectures (fig 2's labels: seconds) may run again.
    planned = job_counts(snakemake(wd, "-n", "all", *later).stdout)
    assert not {Path(s).stem for s in fingerprints.STAGES} & set(planned), planned
    assert set(planned) <= {"fig2", "experiment_claims", "claims", "all"}, planned
    _insert(wd / "configs/tmlr2024.yaml", "  tmlr_fig2:\n", EXPERIMENT)
    # The new category is checked like the registered ones: batched path against its torchvision reference.
    check = subprocess.run(
        [sys.executable, "-c", REFERENCE_CHECK],
        env={**os.environ, "PYTHONPATH": str(wd / "src")},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and float(check.stdout) < 1e-4, check.stderr
    snakemake(wd, "results/figures/my_study.pdf", *later)
    df = pd.read_parquet(wd / "results/smoke/offline/tables/my_study_probes.parquet")
    assert set(df.architecture) == {"tinynet", "resnet18"} and len(df) == 2 * 2 * 3
    assert set(map(tuple, df.pretrain_categories)) == {("solarize",), ("rotate",)}
    assert (wd / "results/figures/my_study.pdf").stat().st_size > 5000
