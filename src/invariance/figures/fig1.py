"""Figure 1: Transforms-2D examples, a row per transformation category and one for all of them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from invariance.figures.common import save, source_note
from invariance.seeding import derive_seed
from invariance.transforms2d.render import Group, Transforms2DSpec, render_split


def example_rows(prototypes: np.ndarray, backgrounds: np.ndarray, categories, samples: int, seed: int = 0) -> dict:
    """A row of samples per category of the pool (config.yaml's `categories`) and one with all of them."""
    rng = np.random.default_rng(derive_seed("fig1", seed))
    objects = tuple(int(o) for o in rng.choice(len(prototypes), size=samples, replace=False))
    rows = {}
    for name, transforms in [(c, (c,)) for c in categories] + [(f"all {len(categories)}", tuple(categories))]:
        spec = Transforms2DSpec(
            (Group(objects, tuple(transforms)),),
            {"train": samples, "val": 1, "test": 1},
            derive_seed("fig1", seed, name),
        )
        x, y = render_split(spec, "train", prototypes, backgrounds)
        rows[name] = x[np.argsort(y, kind="stable")]
    return rows


def plot(rows: dict, assets: str, out_pdf: str, backgrounds: int | None = None) -> None:
    n_rows, n_cols = len(rows), len(next(iter(rows.values())))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(0.9 * n_cols + 1.2, 0.9 * n_rows + 0.6), squeeze=False)
    for r, (name, images) in enumerate(rows.items()):
        for c in range(n_cols):
            ax = axes[r, c]
            ax.imshow(images[c], interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.suptitle("Transforms-2D examples: one object per column, one transformation category per row")
    fig.text(0.5, 0.0, source_note(assets, backgrounds=backgrounds), ha="center", va="top", fontsize=7)
    save(fig, out_pdf)
