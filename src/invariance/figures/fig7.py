"""Figure 7: CIFAR-based examples, rows X=C, X=C+O and X=O."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from invariance.figures.common import footnote, save, source_note
from invariance.pasted import PastedSpec, render_split

ROWS = {"X=C": (0, "cifar"), "X=C+O": (1, "cifar"), "X=O": (1, "black")}


def example_rows(cifar: dict, prototypes: np.ndarray, samples: int, seed: int = 0) -> tuple[dict, np.ndarray]:
    """The same CIFAR images in every row; returns the rows and their CIFAR classes."""
    objects = tuple(int(o) for o in np.random.default_rng(seed).permutation(len(prototypes))[:10])
    idx = np.arange(samples)
    sizes = {"train": samples, "val": 1, "test": 1}
    rows = {}
    for row, (present, background) in ROWS.items():
        spec = PastedSpec(objects, float(present), 0.0, "class", background, sizes, seed)
        rows[row], labels, _ = render_split(spec, "train", cifar, prototypes, idx)
    return rows, labels


def plot(rows: dict, class_names, labels, assets: str, out_pdf: str) -> None:
    n_cols = len(next(iter(rows.values())))
    fig, axes = plt.subplots(len(rows), n_cols, figsize=(0.9 * n_cols + 1.2, 0.95 * len(rows) + 0.8), squeeze=False)
    for r, (name, images) in enumerate(rows.items()):
        for c in range(n_cols):
            axes[r, c].imshow(images[c], interpolation="nearest")
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
            if r == 0:
                axes[r, c].set_title(str(class_names[labels[c]]), fontsize=7)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.suptitle("CIFAR-based datasets: plain (X=C), with a pasted object (X=C+O), object only (X=O)", fontsize=9)
    footnote(fig, source_note(assets, cifar=True))
    save(fig, out_pdf)
