"""Two finished runs side by side, per claim and per probe cell, from their tables alone.

A run is a directory ``results/<scale>/<assets>`` (or a copy of one brought back from a cluster):
its ``tables/`` and ``run.json``. The claims are judged afresh from each run's tables (the verdict is
a pure function of them), so runs of different scales, asset sources, configs or code compare alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from invariance import claims, records
from invariance.artifacts import read_table
from invariance.experiments import CLAIMS

CELL = ["experiment", "architecture", "pretrain_dataset", "target"]  # one probe cell of a figure
CLAIM = ["claim", "experiment", "architecture"]
# |difference| above this many standard errors of the difference (Welch) is outside the seed spread.
SPREAD_Z = 1.96


class RunError(ValueError):
    pass


@dataclass(frozen=True)
class Run:
    path: Path
    info: dict  # run.json (runinfo.describe)
    tables: dict[str, dict[str, pd.DataFrame]]  # experiment -> table name -> table

    @property
    def name(self) -> str:
        return f"{self.info['scale']}/{self.info['assets']}"


def load(path: str | Path) -> Run:
    path = Path(path)
    info_file = path / "run.json"
    if not info_file.exists():
        raise RunError(
            f"{path} is not a finished run: it has no run.json. A run is a directory results/<scale>/<assets> "
            "(or a copy of one); build its verdict first (`snakemake --cores N all`)"
        )
    info = records.read(info_file, "run info")
    tables: dict[str, dict[str, pd.DataFrame]] = {}
    for experiment in info["kinds"]:
        for f in sorted((path / "tables").glob(f"{experiment}_*.parquet")):
            name = f.stem[len(experiment) + 1 :]
            if "_" not in name:  # fig4_sensitivity is fig4's; a longer name is another experiment's
                tables.setdefault(experiment, {})[name] = read_table(f)
    return Run(path, info, tables)


def claim_changes(a: Run, b: Run) -> pd.DataFrame:
    """Per claim, experiment and architecture: both verdicts, means and intervals, and whether the verdict changed."""
    cols = [*CLAIM, "quantity", "verdict", "mean", "ci_low", "ci_high", "n_used"]
    va = claims.evaluate(CLAIMS, a.tables, a.info["kinds"], a.info.get("looks"))[cols]
    vb = claims.evaluate(CLAIMS, b.tables, b.info["kinds"], b.info.get("looks"))[cols]
    df = va.merge(vb.drop(columns="quantity"), on=CLAIM, how="outer", suffixes=("_a", "_b"))
    df["changed"] = df["verdict_a"] != df["verdict_b"]
    return df


def cell_changes(a: Run, b: Run) -> pd.DataFrame:
    """Per probe cell (experiment x architecture x pretraining dataset x target): seed means and their difference."""

    def cells(run: Run) -> pd.DataFrame:
        probes = [t["probes"] for t in run.tables.values() if "probes" in t]
        if not probes:
            return pd.DataFrame(columns=[*CELL, "mean", "sd", "n"])
        g = pd.concat(probes).groupby(CELL)["accuracy"]
        return g.agg(mean="mean", sd="std", n="count").reset_index()

    df = cells(a).merge(cells(b), on=CELL, how="outer", suffixes=("_a", "_b"))
    df["difference"] = df["mean_b"] - df["mean_a"]
    se = np.sqrt(df["sd_a"] ** 2 / df["n_a"] + df["sd_b"] ** 2 / df["n_b"])
    df["outside_spread"] = pd.array(
        # unknown where a side has one seed; with no spread at all (every seed alike), any difference is outside
        [None if not math.isfinite(s) else bool(abs(d) > SPREAD_Z * s) for d, s in zip(df["difference"], se)],
        dtype="boolean",
    )
    return df


def _software(a: Run, b: Run) -> list[str]:
    lines = [f"- commit: {a.info['commit']} -> {b.info['commit']}"] if a.info["commit"] != b.info["commit"] else []
    va, vb = a.info["versions"], b.info["versions"]
    lines += [f"- {p}: {va.get(p)} -> {vb.get(p)}" for p in sorted({*va, *vb}) if va.get(p) != vb.get(p)]
    ra, rb = a.info["recipe"], b.info["recipe"]
    lines += [f"- recipe `{k}`: {ra.get(k)} -> {rb.get(k)}" for k in sorted({*ra, *rb}) if ra.get(k) != rb.get(k)]
    return lines or ["- nothing: same recipe, code and package versions"]


def _f(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:+.3f}" if abs(x) < 1 else f"{x:.3f}"


def to_markdown(a: Run, b: Run, cl: pd.DataFrame, cells: pd.DataFrame) -> str:
    changed = cl[cl["changed"]]
    outside = cells[cells["outside_spread"].fillna(False)]
    lines = [
        f"# Comparison: A = {a.path} ({a.name}), B = {b.path} ({b.name})",
        "",
        "## What differs between the runs",
        "",
        *_software(a, b),
        "",
        f"## Claims: {len(changed)} of {len(cl)} verdicts changed",
        "",
        "| claim | experiment | architecture | verdict A | mean A [95% CI] | verdict B | mean B [95% CI] | changed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in cl.itertuples():
        lines.append(
            f"| {r.claim} | {r.experiment} | {r.architecture} | {r.verdict_a} | {_f(r.mean_a)} [{_f(r.ci_low_a)}, "
            f"{_f(r.ci_high_a)}] | {r.verdict_b} | {_f(r.mean_b)} [{_f(r.ci_low_b)}, {_f(r.ci_high_b)}] | "
            f"{'**yes**' if r.changed else 'no'} |"
        )
    lines += [
        "",
        f"## Probe cells: {len(outside)} of {len(cells)} differ by more than the seed spread "
        f"(|B - A| > {SPREAD_Z} standard errors; unknown where a side has one seed)",
        "",
        "| experiment | architecture | pretrained on | target | A (n) | B (n) | B - A | outside spread |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in cells.itertuples():
        flag = "unknown" if pd.isna(r.outside_spread) else ("**yes**" if r.outside_spread else "no")
        lines.append(
            f"| {r.experiment} | {r.architecture} | {r.pretrain_dataset} | {r.target} | {r.mean_a:.3f} ({r.n_a:.0f}) "
            f"| {r.mean_b:.3f} ({r.n_b:.0f}) | {_f(r.difference)} | {flag} |"
        )
    return "\n".join(lines) + "\n"


def compare(run_a: str | Path, run_b: str | Path, out: str | Path) -> str:
    """Writes ``out``/compare.md, claims.parquet, cells.parquet and compare.pdf; returns the markdown."""
    from invariance import tables
    from invariance.atomic import write_text
    from invariance.figures import compare as compare_figure

    a, b = load(run_a), load(run_b)
    cl, cells = claim_changes(a, b), cell_changes(a, b)
    out = Path(out)
    text = to_markdown(a, b, cl, cells)
    write_text(out / "compare.md", text)
    tables.write(cl, out / "claims.parquet")
    tables.write(cells, out / "cells.parquet")
    compare_figure.plot(cells, out / "compare.pdf", f"A = {a.path} ({a.name})", f"B = {b.path} ({b.name})")
    return text
