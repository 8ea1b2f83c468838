"""Figure 6b: l2 ratios (between-class / within-class distances) of penultimate representations."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, save


def plot(l2: pd.DataFrame, datasets: list[str], models: list[str], out_pdf: str, recipe: str = "") -> None:
    """Bars per dataset (x, in the given order), one per model (hue, in the given order), a panel per architecture."""
    archs = sorted(l2.architecture.unique())
    fig, axes = plt.subplots(1, len(archs), figsize=(6.5 * len(archs), 4), squeeze=False, sharey=True)
    for ax, arch in zip(axes[0], archs):
        df = l2[l2.architecture == arch]
        sns.barplot(
            data=df,
            x="dataset",
            y="l2_ratio",
            hue="model",
            order=datasets,
            hue_order=models,
            errorbar="sd",
            palette="colorblind",
            capsize=0.1,
            err_kws={"linewidth": 1},
            ax=ax,
        )
        ax.axhline(1, color="grey", lw=0.8)
        # Ratios sit just above 1; a zero baseline would hide their differences.
        ax.set_ylim(min(0.95, float(df.l2_ratio.min()) - 0.05), None)
        ax.set_title(arch)
        ax.set_xlabel("dataset (transformation)")
        ax.set_ylabel("l2 ratio (between / within classes)")
        ax.legend(title="model trained on", fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle("Representation separation under each transformation", fontsize=10)
    footnote(fig, describe_run(l2, recipe=recipe))
    save(fig, out_pdf)
