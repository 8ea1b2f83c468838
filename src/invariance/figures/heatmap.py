"""Transfer matrices (figs 3, 5, 6a, 8 and every config-only experiment): accuracy of each pretrained
model (rows) probed on each target (columns).

Rows and columns follow the design's order, which the tables carry as ``pretrain_order`` and
``target_order``; every dataset in the table is shown, so a category added to the registry
and the config appears without touching this file.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, pretrained, save, targets


def matrix(probes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean and standard deviation over seeds: rows = pretraining dataset, columns = target, in design order."""
    g = probes.groupby(["pretrain_dataset", "target"])["accuracy"]
    rows, cols = pretrained(probes), targets(probes)
    return g.mean().unstack().reindex(index=rows, columns=cols), g.std().unstack().reindex(index=rows, columns=cols)


def plot(probes: pd.DataFrame, title: str, cifar: bool, out_pdf: str, recipe: str = "") -> None:
    n_rows, n_cols = probes.pretrain_dataset.nunique(), probes.target.nunique()
    n_archs = probes.architecture.nunique()
    fig, axes = plt.subplots(1, n_archs, squeeze=False, figsize=(2.5 + 0.9 * n_cols * n_archs, 2.6 + 0.7 * n_rows))
    for ax, (arch, df) in zip(axes[0], probes.groupby("architecture", sort=True)):
        mean, std = matrix(df)
        labels = np.vectorize(lambda m, s: f"{m:.2f}" if np.isnan(s) else f"{m:.2f}\n±{s:.2f}")(mean, std)
        sns.heatmap(
            mean,
            annot=labels,
            fmt="",
            vmin=0,
            vmax=1,
            cmap="viridis",
            cbar=ax is axes[0][-1],
            ax=ax,
            annot_kws={"fontsize": 7},
            square=True,
        )
        ax.set_xlabel("probe target")
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_ylabel("pretrained on")
        ax.set_title(arch)
    fig.suptitle(title, fontsize=10)
    footnote(fig, "linear-probe test accuracy; " + describe_run(probes, cifar, recipe))
    save(fig, out_pdf)
