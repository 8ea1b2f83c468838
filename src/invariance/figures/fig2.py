"""Figure 2: transfer to targets sharing transformations and/or objects with the pretraining data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, save, targets
from invariance.models import ARCHITECTURES


def summary(probes: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and seed count of probe accuracy per architecture and target."""
    out = probes.groupby(["architecture", "target"], sort=False)["accuracy"].agg(["mean", "std", "count"])
    return out.reset_index()


def plot(probes: pd.DataFrame, palette: str, out_pdf: str, recipe: str = "") -> None:
    # Targets in the design's order, labelled as in the paper (D_all, D_transforms, ...).
    order = ["D_" + t for t in targets(probes)]
    df = probes.assign(target="D_" + probes.target)
    archs = [a for a in ARCHITECTURES if a in set(df["architecture"])]
    fig, ax = plt.subplots(figsize=(7, 4))
    bars = {"data": df, "x": "architecture", "y": "accuracy", "hue": "target", "hue_order": order, "order": archs}
    sns.barplot(**bars, errorbar="sd", palette=palette, ax=ax, capsize=0.1, err_kws={"linewidth": 1})
    # Seeds draw different sets, so the spread mixes easy and hard draws; the points show the pairing.
    sns.stripplot(**bars, dodge=True, palette="dark:black", size=3, alpha=0.6, ax=ax, legend=False)
    ax.set_ylim(0, 1)
    ax.set_ylabel("linear-probe test accuracy")
    ax.set_title("Probe accuracy of models pretrained on D_all, per target dataset")
    ax.legend(title="target", loc="upper left", bbox_to_anchor=(1, 1))
    names = "; ".join(f"{a} = {ARCHITECTURES[a].label}" for a in archs)
    footnote(fig, f"bars: {describe_run(df, recipe=recipe)}; dots: single seeds; {names}")
    save(fig, out_pdf)
