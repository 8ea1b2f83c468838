"""Experiment designs: for each figure and seed, which datasets exist, which are pretrained on, which probed.

Everything here is a pure function of the config and the seed, evaluated when the DAG
is built; the same seed gives every architecture the same sets (paired comparison).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import CATEGORY_NAMES
from invariance.transforms2d.render import Group, Transforms2DSpec


@dataclass(frozen=True)
class Design:
    datasets: dict[str, tuple[Group, ...]]
    pretrain_on: tuple[str, ...]
    probe_on: tuple[str, ...]


def fig2_design(config: dict, seed: int) -> Design:
    """O1, O2 disjoint object sets; T1, T2 disjoint category sets; the 4 combinations."""
    p = config["experiments"]["fig2"]
    rng = np.random.default_rng(derive_seed("fig2", seed))
    n_o, n_t = p["objects_per_set"], p["transforms_per_set"]
    objects = rng.permutation(FOREGROUND_POOL_SIZE)[: 2 * n_o]
    cats = [CATEGORY_NAMES[i] for i in rng.permutation(len(CATEGORY_NAMES))[: 2 * n_t]]
    o1, o2 = tuple(sorted(int(o) for o in objects[:n_o])), tuple(sorted(int(o) for o in objects[n_o:]))
    t1, t2 = tuple(cats[:n_t]), tuple(cats[n_t:])
    datasets = {
        "all": (Group(o1, t1),),
        "transforms": (Group(o2, t1),),
        "objects": (Group(o1, t2),),
        "none": (Group(o2, t2),),
    }
    return Design(datasets, pretrain_on=("all",), probe_on=tuple(datasets))


DESIGNS = {"fig2": fig2_design}
EXPERIMENTS = tuple(DESIGNS)


def design(config: dict, experiment: str, seed: int) -> Design:
    if experiment not in DESIGNS:
        raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(EXPERIMENTS)}")
    return DESIGNS[experiment](config, int(seed))


def dataset_spec(config: dict, scale: str, experiment: str, seed: int, dataset: str) -> Transforms2DSpec:
    groups = design(config, experiment, seed).datasets[dataset]
    sizes = config["scales"][scale]["sizes"]
    # Datasets are named by their content per seed, so the seed of a split depends on the
    # groups themselves: two experiments asking for the same content get the same bytes.
    content = [(g.objects, g.transforms) for g in groups]
    return Transforms2DSpec(groups, dict(sizes), derive_seed("render", seed, content))


def seeds(config: dict, scale: str) -> list[int]:
    return list(range(config["scales"][scale]["seeds"]))
