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
    assert set(df.benchmark) == {"render", "category", "train", "probe", "schedule", "footprint"}
    categories = df[df.benchmark == "category"]
    assert list(categories.variant) == list(CATEGORY_NAMES) and (categories.max_difference < 1e-4).all()
    assert (df.value > 0).all() and df.value.map(math.isfinite).all()
    for bench in ("render", "train", "probe"):
        ratios = df[df.benchmark == bench].ratio
        assert (ratios == 1.0).sum() == 1 and (ratios > 0).all()  # one reference row per comparison
    render = df[(df.benchmark == "render") & (df.variant == "batched")].iloc[0]
    assert render.max_difference <= 2 / 255  # fast path agrees with the reference
    assert df[df.benchmark == "schedule"].jobs.iloc[0] > 100  # paper scale: many jobs planned
    disk = df[df.benchmark == "footprint"].set_index("variant").value
    assert disk["estimate, scale=smoke"] < disk["estimate, scale=quick"] < disk["estimate, scale=paper"]
