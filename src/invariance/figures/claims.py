"""The verdict at a glance: each claim and architecture, its mean and repeated interval against the paper's bounds."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from invariance.claims import VERDICTS
from invariance.figures.common import footnote, save

COLORS = dict(zip(VERDICTS, ("#1b9e77", "#d95f02", "#999999", "#7570b3")))


def inside(df: pd.DataFrame, column: str = "mean") -> pd.Series:
    """A mean's signed distance into the claimed interval (lower, upper): > 0 inside, < 0 outside."""
    lo = (df[column] - df["lower"]).where(np.isfinite(df["lower"]), math.inf)
    hi = (df["upper"] - df[column]).where(np.isfinite(df["upper"]), math.inf)
    return np.minimum(lo, hi)


def plot(df: pd.DataFrame, out_pdf: str, note: str = "") -> None:
    df = df.reset_index(drop=True)
    # Out of regime: no estimate; the mean over all seeds is drawn without an interval.
    out = df["verdict"] == "out of regime"
    x = inside(df).where(~out, inside(df, "mean_all_seeds"))
    half = ((df["ci_high"] - df["ci_low"]) / 2).where(~out, 0)
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(df) + 1.6))
    y = np.arange(len(df))[::-1]
    for verdict, color in COLORS.items():
        sel = df["verdict"] == verdict
        ax.errorbar(x[sel], y[sel], xerr=half[sel].fillna(0), fmt="o", ms=4, color=color, label=verdict, capsize=2)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(
        y,
        [f"{r.claim} {r.experiment} {r.architecture}" + (f" [{r.part}]" if r.part else "") for r in df.itertuples()],
        fontsize=6,
    )
    ax.set_xlabel(
        "mean over the seeds in regime, as distance inside (+) or outside (-) the claimed bounds; bar: the repeated "
        "interval at the deciding look (out of regime: mean over all seeds, no interval)",
        fontsize=7,
    )
    ax.set_title("Each claim of the paper: the tested quantity against the bounds its words imply", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    footnote(fig, note)
    save(fig, out_pdf)
