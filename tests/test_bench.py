"""The benchmark script at smoke size: its outputs are complete and sane (speed is never asserted)."""

import math
import subprocess
import sys

import pandas as pd
from conftest import REPO

from invariance.transforms2d.categories import CATEGORY_NAMES


def test_bench_smoke_writes_every_row(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "bench/bench.py"), "--size", "smoke", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    df = pd.read_parquet(tmp_path / "bench_smoke.parquet")
    assert set(df.benchmark) == {
        "render",
        "category",
        "train",
        "probe",
        "inference batch",
        "augment gather",
        "fresh draws",
        "schedule",
        "footprint",
    }
    inference = df[(df.benchmark == "inference batch") & ~df.variant.str.contains("(reference)", regex=False)]
    assert len(inference) == 2 and inference.note.str.startswith("bit-identical: True;").all()
    categories = df[df.benchmark == "category"]
    assert list(categories.variant) == list(CATEGORY_NAMES) and (categories.max_difference < 1e-4).all()
    assert (df.value > 0).all() and df.value.map(math.isfinite).all()
    for bench in ("render", "train", "probe", "augment gather", "fresh draws"):
        ratios = df[df.benchmark == bench].ratio
        assert (ratios == 1.0).sum() == 1 and (ratios > 0).all()  # one reference row per comparison
    render = df[(df.benchmark == "render") & (df.variant == "batched")].iloc[0]
    assert render.max_difference <= 2 / 255  # fast path agrees with the reference
    assert df[df.benchmark == "schedule"].jobs.iloc[0] > 100  # paper scale: many jobs planned
    disk = df[df.benchmark == "footprint"].set_index("variant").value
    assert disk["estimate, scale=smoke"] < disk["estimate, scale=quick"] < disk["estimate, scale=paper"]


def test_a_workflows_cpu_is_split_by_category_and_by_experiment(repo_config):
    sys.path.insert(0, str(REPO / "bench"))
    import bench
    from invariance import registry

    reg = registry.build(repo_config, "smoke")
    fig2 = reg.rows["fig2"][0]  # fig 2's D_all: order's T1 too, so its pretraining is shared by both
    shared = fig2["pretrain_id"]
    jobs = pd.DataFrame(
        [
            {"rule": "render_transforms2d", "seed": 0, "dataset": shared, "startup_cpu_s": 1.0, "work_cpu_s": 3.0},
            {
                "rule": "pretrain",
                "seed": 0,
                "dataset": shared,
                "arch": "resnet18",
                "startup_cpu_s": 1.0,
                "work_cpu_s": 9.0,
            },
            {"rule": "sensitivity", "seed": 0, "experiment": "fig4", "startup_cpu_s": 1.0, "work_cpu_s": 1.0},
            {"rule": "claims", "startup_cpu_s": 2.0, "work_cpu_s": 2.0},
        ]
    )
    by = bench.cpu_by_category(jobs, scheduler_cpu_s=5.0, total_cpu_s=40.0)
    assert by["start-up"] == 5.0 and by["render"] == 3.0 and by["pretrain"] == 9.0 and by["probe"] == 1.0
    assert by["tables and figures"] == 2.0 and by["scheduler"] == 5.0 and sum(by.values()) == 40.0
    # Every rule has its step's category, read from the rule files; only the downloads count as other.
    categories = bench.rule_categories()
    assert {"curves", "experiment_claims", "look", "run_info", "l2_ratios"} <= set(categories)
    assert not {"assets_offline", "cifar_paper"} & set(categories)
    cost = bench.cost_by_experiment(jobs, reg).set_index("experiment").cpu_s
    assert cost.to_dict() == {"fig2": 7.0, "order": 7.0, "fig4": 2.0}  # the shared 14 CPU-s split in two


def test_verdict_times_list_each_experiments_verdict_in_the_order_written(tmp_path):
    import os

    sys.path.insert(0, str(REPO / "bench"))
    import bench

    for name, written in (("fig8", 1090.0), ("fig2", 1010.0), ("fig3", 1050.0)):
        (tmp_path / f"{name}.md").write_text(name)
        os.utime(tmp_path / f"{name}.md", (written, written))
    rows = bench.verdict_times(tmp_path, started=1000.0, total_s=100.0)
    assert [(r["variant"], r["value"], r["ratio"]) for r in rows] == [
        ("fig2", 10.0, 0.1),
        ("fig3", 50.0, 0.5),
        ("fig8", 90.0, 0.9),
    ]
