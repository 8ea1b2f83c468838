"""Figure 4: transfer accuracy against the relevance (alpha) and availability (beta) of pasted objects."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, save

PANELS = {"X=C+O,Y=C": "(a) CIFAR-class accuracy", "X=C+O,Y=O": "(b) object accuracy"}
REFERENCES = ("X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O")


def sweep(probes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Rows of the alpha or beta models with the variable's value as a number."""
    df = probes[probes.pretrain_dataset.str.startswith(f"{variable}=")].copy()
    df[variable] = df.pretrain_dataset.str.split("=").str[1].astype(float)
    return df


def plot(probes: pd.DataFrame, out_pdf: str, recipe: str = "") -> None:
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.5), sharey=True)
    palette = dict(zip(REFERENCES, sns.color_palette("colorblind", len(REFERENCES) + 1)[1:]))
    for r, (target, title) in enumerate(PANELS.items()):
        at = probes[probes.target == target]
        refs = at[at.pretrain_dataset.isin(REFERENCES)].groupby("pretrain_dataset")["accuracy"].mean()
        for c, variable in enumerate(("alpha", "beta")):
            ax = axes[r, c]
            sns.lineplot(data=sweep(at, variable), x=variable, y="accuracy", errorbar="sd", marker="o", ax=ax,
                         color=sns.color_palette("colorblind")[0], label=f"pretrained on D_{variable}")
            for name, value in refs.items():
                ax.axhline(value, ls="--", lw=1, color=palette[name], label=f"reference: {name}")
            ax.set_ylim(0, 1.02)
            ax.set_title(f"{title} vs {'relevance' if variable == 'alpha' else 'availability'} ({variable})",
                         fontsize=9)
            ax.set_ylabel(f"probe accuracy on {target}")
            ax.legend(fontsize=6, loc="best")
    fig.suptitle("Probe accuracy of models pretrained with a class-tied object (alpha) or a random object (beta)",
                 fontsize=10)
    footnote(fig, describe_run(probes, cifar=True, recipe=recipe))
    save(fig, out_pdf)
