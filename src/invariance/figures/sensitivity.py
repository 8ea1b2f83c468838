"""Fig 4's caption, measured: how sensitive each model's representation is to the pasted object, by alpha and beta."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from invariance.figures.common import describe_run, footnote, save
from invariance.figures.fig4 import VARIABLES, sweep

NAMES = {"alpha": "relevance", "beta": "availability"}


def plot(df: pd.DataFrame, out_pdf: str, recipe: str = "") -> None:
    fig, axes = plt.subplots(1, len(VARIABLES), figsize=(9, 3.4), sharey=True)
    for ax, variable in zip(axes, VARIABLES):
        sns.lineplot(data=sweep(df, variable), x=variable, y="sensitivity", errorbar="sd", marker="o", ax=ax)
        ax.set_title(f"against {NAMES[variable]} ({variable})", fontsize=9)
        ax.set_ylabel("d(object) / d(image)")
        ax.set_ylim(bottom=0)
    fig.suptitle(
        "Representation distance between two objects on one CIFAR image, relative to two CIFAR images with one object",
        fontsize=9,
    )
    footnote(fig, describe_run(df, cifar=True, recipe=recipe))
    save(fig, out_pdf)
