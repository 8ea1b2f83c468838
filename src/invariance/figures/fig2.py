"""Figure 2: transfer to targets sharing transformations and/or objects with the pretraining data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import save, source_note

TARGETS = {"all": "D_all", "transforms": "D_transforms", "objects": "D_objects", "none": "D_none"}


def summary(probes: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and seed count of probe accuracy per architecture and target."""
    df = probes[probes.experiment == "fig2"]
    out = df.groupby(["architecture", "target"], sort=False)["accuracy"].agg(["mean", "std", "count"])
    return out.reset_index()


def plot(probes: pd.DataFrame, palette: str, out_pdf: str) -> None:
    df = probes[probes.experiment == "fig2"].copy()
    df["target"] = df["target"].map(TARGETS)
    n_seeds = df["seed"].nunique()
    scale, assets = df["scale"].iloc[0], df["assets"].iloc[0]
    fig, ax = plt.subplots(figsize=(7, 4))
    order = list(TARGETS.values())
    sns.barplot(data=df, x="architecture", y="accuracy", hue="target", hue_order=order, errorbar="sd",
                palette=palette, ax=ax, capsize=0.1, err_kws={"linewidth": 1})
    # Seeds draw different sets, so the spread mixes easy and hard draws; the points show the pairing.
    sns.stripplot(data=df, x="architecture", y="accuracy", hue="target", hue_order=order, dodge=True,
                  palette="dark:black", size=3, alpha=0.6, ax=ax, legend=False)
    ax.set_ylim(0, 1)
    ax.set_ylabel("linear-probe test accuracy")
    ax.set_title("Invariance matters more than equivariance for transfer (pretrained on D_all)")
    ax.legend(title="target", loc="upper left", bbox_to_anchor=(1, 1))
    fig.text(0.5, -0.02, f"bars: mean and standard deviation over {n_seeds} seed(s), dots: single seeds; "
             f"{source_note(assets, scale)}",
             ha="center", va="top", fontsize=7)
    save(fig, out_pdf)
