"""Training curves of an experiment's models: loss and own-task accuracy per epoch, one line per model and seed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from invariance.figures.common import footnote, pretrained, save, source_note
from invariance.regime import IN_REGIME, last_epochs

METRICS = {
    "train_loss": "training loss",
    "val_accuracy": "own-task val accuracy",
    "test_accuracy": "own-task test accuracy",
}


def below_regime(training: pd.DataFrame) -> pd.DataFrame:
    """The models whose last-epoch own-task test accuracy is under IN_REGIME."""
    last = last_epochs(training)
    return last[last["test_accuracy"] < IN_REGIME]


def plot(training: pd.DataFrame, out_pdf: str, recipe: str = "") -> None:
    """A row per architecture, a column per metric; colour: the pretraining dataset; dashed: below the regime."""
    archs = sorted(training["architecture"].unique())
    order = pretrained(training)
    weak = below_regime(training)
    weak_keys = set(zip(weak["architecture"], weak["pretrain_dataset"], weak["seed"]))
    df = training.copy()
    df["own task"] = [
        f"< {IN_REGIME:g} at the end" if k in weak_keys else f">= {IN_REGIME:g}"
        for k in zip(df["architecture"], df["pretrain_dataset"], df["seed"])
    ]
    fig, axes = plt.subplots(len(archs), len(METRICS), figsize=(4 * len(METRICS), 2.8 * len(archs)), squeeze=False)
    for row, arch in zip(axes, archs):
        d = df[df["architecture"] == arch]
        for ax, (metric, label) in zip(row, METRICS.items()):
            sns.lineplot(
                data=d,
                x="epoch",
                y=metric,
                hue="pretrain_dataset",
                hue_order=order,
                units="seed",
                estimator=None,
                style="own task",
                style_order=[f">= {IN_REGIME:g}", f"< {IN_REGIME:g} at the end"],
                palette="husl",
                lw=0.9,
                ax=ax,
                legend=ax is row[-1],
            )
            if metric != "train_loss":
                ax.axhline(IN_REGIME, color="0.5", lw=0.7, ls=":")
                ax.set_ylim(0, 1.02)
            ax.set(title=f"{arch}: {label}", ylabel=label)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        row[-1].legend(title="pretrained on", fontsize=6, title_fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    experiment = training["experiment"].iloc[0]
    fig.suptitle(f"{experiment}: training curves of every pretrained model, one line per model and seed", fontsize=10)
    listed = ", ".join(
        f"{r.pretrain_dataset} ({r.architecture}, seed {r.seed}) {r.test_accuracy:.2f}"
        for r in weak.sort_values("test_accuracy").head(8).itertuples()
    )
    note = (
        f"{len(weak)} of {len(df.groupby(['architecture', 'pretrain_dataset', 'seed']))} models end below the "
        f"own-task regime ({IN_REGIME:g}, dotted; dashed lines)" + (f": {listed}" if listed else "")
    )
    source = source_note(df["assets"].iloc[0], df["scale"].iloc[0], backgrounds=int(df["backgrounds"].iloc[0]))
    run = f"{training['seed'].nunique()} seed(s); {source}"
    footnote(fig, f"{note}. {run}" + (f"; {recipe}" if recipe else ""))
    save(fig, out_pdf)
