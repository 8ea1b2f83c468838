"""Figure 4: transfer accuracy against the relevance (alpha) and availability (beta) of pasted objects."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, pretrained, save, targets

VARIABLES = ("alpha", "beta")
PANEL_TITLES = ("(a) CIFAR-class accuracy", "(b) object accuracy")  # of the design's two targets, in order


def sweep(probes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Rows of the models of the alpha (or beta) sweep, the variable's value as column `variable`."""
    column = f"pretrain_{variable}"
    return probes[probes[column].notna()].assign(**{variable: lambda d: d[column]})


def plot(probes: pd.DataFrame, out_pdf: str, recipe: str = "") -> None:
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.5), sharey=True)
    # The reference models: fig 3's, the datasets outside both sweeps.
    is_ref = probes[[f"pretrain_{v}" for v in VARIABLES]].isna().all(axis=1)
    references = pretrained(probes[is_ref])
    palette = dict(zip(references, sns.color_palette("colorblind", len(references) + 1)[1:]))
    for r, (target, title) in enumerate(zip(targets(probes), PANEL_TITLES)):
        at = probes[probes.target == target]
        refs = at.groupby("pretrain_dataset")["accuracy"].mean().reindex(references)
        for c, variable in enumerate(VARIABLES):
            ax = axes[r, c]
            sns.lineplot(
                data=sweep(at, variable),
                x=variable,
                y="accuracy",
                errorbar="sd",
                marker="o",
                ax=ax,
                color=sns.color_palette("colorblind")[0],
                label=f"pretrained on D_{variable}",
            )
            for name, value in refs.items():
                ax.axhline(value, ls="--", lw=1, color=palette[name], label=f"reference: {name}")
            ax.set_ylim(0, 1.02)
            ax.set_title(
                f"{title} vs {'relevance' if variable == 'alpha' else 'availability'} ({variable})", fontsize=9
            )
            ax.set_ylabel(f"probe accuracy on {target}")
            ax.legend(fontsize=6, loc="best")
    fig.suptitle(
        "Probe accuracy of models pretrained with a class-tied object (alpha) or a random object (beta)", fontsize=10
    )
    relevance = (
        "alpha: P(the class's object); otherwise one of the 10 objects at random, the class's own included, "
        "so the class's object shows with P = alpha + (1 - alpha)/10"
    )
    footnote(fig, f"{relevance}. {describe_run(probes, cifar=True, recipe=recipe)}")
    save(fig, out_pdf)
