"""Two runs' probe cells against each other: one point per cell (pretraining dataset x target x architecture)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from invariance.figures.common import footnote, save


def plot(cells, pdf, label_a: str, label_b: str) -> None:
    both = cells.dropna(subset=["mean_a", "mean_b"]).copy()
    both["seed spread"] = both["outside_spread"].map({True: "outside", False: "within"}).fillna("unknown (1 seed)")
    experiments = sorted(both["experiment"].unique()) or [""]
    fig, axes = plt.subplots(1, len(experiments), figsize=(3.2 * len(experiments), 3.4), squeeze=False)
    for ax, e in zip(axes[0], experiments):
        sns.scatterplot(
            data=both[both["experiment"] == e],
            x="mean_a",
            y="mean_b",
            hue="seed spread",
            style="architecture",
            hue_order=["within", "outside", "unknown (1 seed)"],
            ax=ax,
            s=18,
            legend=ax is axes[0][-1],
        )
        ax.plot([0, 1], [0, 1], color="0.6", lw=0.8, zorder=0)
        ax.set(xlim=(0, 1.02), ylim=(0, 1.02), title=e, xlabel="accuracy in A", ylabel="accuracy in B")
        ax.set_aspect("equal")
    if len(both):
        sns.move_legend(axes[0][-1], "upper left", bbox_to_anchor=(1.02, 1), fontsize=7, title_fontsize=7)
    fig.suptitle("Linear-probe accuracy per cell, run B against run A (mean over seeds)", fontsize=10)
    footnote(fig, f"{label_a}; {label_b}. A cell is outside the seed spread when |B - A| exceeds 1.96 standard errors.")
    save(fig, pdf)
