"""A transfer matrix written as a config block: object sets, category sets, datasets built from them, what
to train and probe. A new experiment of this kind needs no Python (docs/extending.md); it has no claims.
"""

from __future__ import annotations

import numpy as np

from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.experiments.common import Design, ExperimentKind, draw_categories, pool, sizes, transforms2d
from invariance.seeding import derive_seed
from invariance.transforms2d.render import Group


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    p, shape = config["experiments"][experiment], sizes(config, scale, "transforms2d")
    rng = np.random.default_rng(derive_seed(experiment, seed))
    perm = iter(rng.permutation(FOREGROUND_POOL_SIZE).tolist())
    objects = {k: tuple(sorted(next(perm) for _ in range(n))) for k, n in p["object_sets"].items()}
    remaining = list(pool(config))
    sets = {k: draw_categories(k, rule, remaining, rng) for k, rule in p["category_sets"].items()}
    datasets = {
        k: transforms2d((Group(objects[d["objects"]], sets[d["categories"]]),), shape, seed)
        for k, d in p["datasets"].items()
    }
    return Design(datasets, pretrain_on=tuple(p["pretrain_on"]), probe_on=tuple(p["probe_on"]))


KIND = ExperimentKind("transfer_matrix", design, figures={"": "heatmap"})  # its title is its config block's `title`
