"""Figures 3, 5, 6a and 8: accuracy of every pretrained model (rows) probed on every target (columns)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, save
from invariance.transforms2d.categories import CATEGORY_NAMES

HEATMAPS = {
    "fig3": {"title": "Transfer between CIFAR-10 with and without pasted objects, labelled by class (Y=C) "
                      "or object (Y=O)",
             "order": ("X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O"), "cifar": True},
    "fig5": {"title": "Transfer between datasets whose classes share T1, T2, both, or their concatenation",
             "order": ("T1", "T2", "T1+T2", "T1oT2"), "cifar": False},
    "fig6": {"title": "Transfer between single-transformation datasets",
             "order": CATEGORY_NAMES,
             "cifar": False},
    "fig8": {"title": "More invariances than needed: nested transformation sets T1 in ... in T8 (|Ti| = i)",
             "order": None, "cifar": False},  # by the size of each set, read from the table
}


def _order(probes: pd.DataFrame, experiment: str) -> list[str]:
    """Rows and columns: the experiment's fixed order, or (fig 8) the sets by size, read from the table."""
    fixed = HEATMAPS[experiment]["order"]
    if fixed is not None:
        return list(fixed)
    sizes = probes.drop_duplicates("pretrain_dataset").set_index("pretrain_dataset").pretrain_categories.map(len)
    return list(sizes.sort_values(kind="stable").index)


def matrix(probes: pd.DataFrame, experiment: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean and standard deviation over seeds: rows = pretraining dataset, columns = target."""
    order = _order(probes, experiment)
    df = probes[probes.pretrain_dataset.isin(order) & probes.target.isin(order)]
    g = df.groupby(["pretrain_dataset", "target"])["accuracy"]
    mean = g.mean().unstack().reindex(index=order, columns=order)
    std = g.std().unstack().reindex(index=order, columns=order)
    return mean, std


def plot(probes: pd.DataFrame, experiment: str, out_pdf: str, recipe: str = "") -> None:
    spec = HEATMAPS[experiment]
    n = len(_order(probes, experiment))
    fig, axes = plt.subplots(1, probes.architecture.nunique(), squeeze=False,
                             figsize=(2.5 + 0.9 * n * probes.architecture.nunique(), 1.5 + 0.7 * n))
    for ax, (arch, df) in zip(axes[0], probes.groupby("architecture", sort=True)):
        mean, std = matrix(df, experiment)
        labels = np.vectorize(lambda m, s: f"{m:.2f}" if np.isnan(s) else f"{m:.2f}\n±{s:.2f}")(mean, std)
        sns.heatmap(mean, annot=labels, fmt="", vmin=0, vmax=1, cmap="viridis", cbar=ax is axes[0][-1], ax=ax,
                    annot_kws={"fontsize": 7}, square=True)
        ax.set_xlabel("probe target")
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_ylabel("pretrained on")
        ax.set_title(arch)
    fig.suptitle(spec["title"], fontsize=10)
    footnote(fig, "linear-probe test accuracy; " + describe_run(probes, spec["cifar"], recipe))
    save(fig, out_pdf)
