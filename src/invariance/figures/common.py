"""What every figure shares: saving, and saying where its data came from."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SOURCE_NOTE = {
    "offline": "offline assets: OpenMoji objects on scikit-image photo crops, not the paper's SI-Score data",
    "paper": "SI-Score assets, as in the paper",
}


def source_note(assets: str, scale: str | None = None) -> str:
    return SOURCE_NOTE[assets] + (f"; scale: {scale}" if scale else "")


def save(fig, pdf: str | Path) -> None:
    pdf = Path(pdf)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    # A fixed creation date keeps the PDF bytes stable between identical runs.
    fig.savefig(pdf, bbox_inches="tight", metadata={"CreationDate": None})
    fig.savefig(pdf.with_suffix(".png"), bbox_inches="tight", dpi=150)
    plt.close(fig)
