"""What every figure shares: saving, and saying where its data came from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

from invariance.assets import BACKGROUND_POOL_SIZE
from invariance.atomic import replacing

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SOURCE_NOTE = {
    "offline": "offline assets: OpenMoji objects on scikit-image photo crops, not the paper's SI-Score data",
    "paper": "SI-Score assets, as in the paper",
}


CIFAR_NOTE = {
    "offline": "images: an offline CIFAR-10 stand-in (OpenMoji emoji of the 10 class names on photos), NOT CIFAR-10",
    "paper": "images: CIFAR-10",
}


def source_note(assets: str, scale: str | None = None, cifar: bool = False, backgrounds: int | None = None) -> str:
    """Where a figure's images came from; a background pool of another size than the paper's is named."""
    note = ((CIFAR_NOTE[assets] + "; objects: ") if cifar else "") + SOURCE_NOTE[assets]
    if backgrounds is not None and backgrounds != BACKGROUND_POOL_SIZE:
        note += f"; {backgrounds} background images (the paper: {BACKGROUND_POOL_SIZE})"
    return note + (f"; scale: {scale}" if scale else "")


def describe_run(df, cifar: bool = False, recipe: str = "") -> str:
    """The footnote of a results figure: seeds, data source, scale and recipe, read from the table itself."""
    note = source_note(df["assets"].iloc[0], df["scale"].iloc[0], cifar, int(df["backgrounds"].iloc[0]))
    return f"mean and standard deviation over {df['seed'].nunique()} seed(s); {note}" + (
        f"; {recipe}" if recipe else ""
    )


def targets(df) -> list[str]:
    """The probe targets of a table, in the design's order (the `target_order` column)."""
    return list(df.drop_duplicates("target").sort_values(["target_order", "target"]).target)


def pretrained(df) -> list[str]:
    """The pretraining datasets of a table, in the design's order (the `pretrain_order` column)."""
    return list(
        df.drop_duplicates("pretrain_dataset").sort_values(["pretrain_order", "pretrain_dataset"]).pretrain_dataset
    )


def footnote(fig, text: str) -> None:
    """Seeds and data source under the figure, after the layout, so it never overlaps tick labels."""
    fig.tight_layout()
    fig.text(0.5, -0.01, textwrap.fill(text, 140), ha="center", va="top", fontsize=7)


def save(fig, pdf: str | Path) -> None:
    pdf = Path(pdf)
    # A fixed creation date keeps the PDF bytes stable between identical runs.
    with replacing(pdf) as tmp:
        fig.savefig(tmp, bbox_inches="tight", metadata={"CreationDate": None})
    with replacing(pdf.with_suffix(".png")) as tmp:
        fig.savefig(tmp, bbox_inches="tight", dpi=150)
    plt.close(fig)
