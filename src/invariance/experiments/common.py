"""What every experiment kind builds its design from: the Design and ExperimentKind types and the dataset builders.

Everything here is a pure function of the config and the seed, evaluated when the DAG is built; the
same seed gives every architecture the same sets (paired comparison). A dataset is a plain spec dict
(``kind``, a row of ``invariance.dataset_kinds``, and the renderer's own fields); two experiments that
ask for the same content get the same spec, hence the same file (see ``registry``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from invariance import dataset_kinds
from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.pasted import PastedSpec
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import CATEGORIES
from invariance.transforms2d.render import Group, Transforms2DSpec


@dataclass(frozen=True)
class Design:
    datasets: dict[str, dict]  # name -> spec
    pretrain_on: tuple[str, ...]  # in the order figures show them
    probe_on: tuple[str, ...]
    architectures: tuple[str, ...] = field(default=())
    # Numbers that define a dataset (fig 4's alpha, beta), as table columns pretrain_<key>/target_<key>.
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    # Fig 6b: l2 ratios of these models' representations on these datasets (name -> dataset name).
    l2_models: tuple[str, ...] = ()
    l2_datasets: tuple[str, ...] = ()
    # Fig 4's caption: how sensitive these models' representations are to the pasted objects (pool indices).
    sensitivity_models: tuple[str, ...] = ()
    sensitivity_objects: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExperimentKind:
    """An experiment kind: its name (the config's `kind`), its design, its figures and the title of its heatmap.

    Its claims are its module's ``CLAIMS``, collected apart (``experiments.CLAIMS``)."""

    name: str
    design: Callable[[dict, str, int, str], Design]  # (config, scale, seed, experiment) -> Design
    figures: dict[str, str]  # figure-name suffix -> the rule that draws it (fig 6: "a" -> heatmap, "b" -> fig6b)
    title: str | None = None  # its heatmap's title (a transfer matrix takes its own from its config block)


class DesignError(ValueError):
    pass


def pool(config: dict) -> tuple[str, ...]:
    """The transformation categories the experiments draw from (config.yaml's `categories`)."""
    return tuple(config["categories"])


def sizes(config: dict, scale: str, kind: str) -> dict[str, int]:
    """A scale's split sizes for a kind of dataset (``dataset_kinds``): CIFAR-based kinds may have their own
    (``cifar_sizes``: train + val come from CIFAR-10's training images, so the paper scale uses the
    authors' 45000/5000 split)."""
    return dataset_kinds.KINDS[kind].sizes(config["scales"][scale])


def transforms2d(groups: tuple[Group, ...], split_sizes: dict, seed: int) -> dict:
    # The render seed depends on the content, so equal content renders to equal bytes.
    content = [(g.objects, g.transforms) for g in groups]
    spec = Transforms2DSpec(groups, split_sizes, derive_seed("render", seed, content))
    return dataset_kinds.spec_dict(spec)


def pasted(object_ids, present: float, tied: float, label: str, background: str, split_sizes: dict, seed: int) -> dict:
    spec = PastedSpec(
        tuple(int(o) for o in object_ids),
        float(present),
        float(tied) if present else 0.0,
        label,
        background,
        split_sizes,
        seed,
    )
    return dataset_kinds.spec_dict(spec)


def objects(seed: int, n: int) -> tuple[int, ...]:
    """The object set of the single-group experiments (figs 6, 8): the same n gives the same objects."""
    rng = np.random.default_rng(derive_seed("objects", seed))
    return tuple(sorted(int(o) for o in rng.permutation(FOREGROUND_POOL_SIZE)[:n]))


def two_sets(config: dict, experiment: str, seed: int):
    """Disjoint object sets O1, O2 and disjoint category sets T1, T2, sized by the experiment's config."""
    p = config["experiments"][experiment]
    rng = np.random.default_rng(derive_seed(experiment, seed))
    n_o, n_t = p["objects_per_set"], p["transforms_per_set"]
    drawn = rng.permutation(FOREGROUND_POOL_SIZE)[: 2 * n_o]
    o1, o2 = tuple(sorted(int(o) for o in drawn[:n_o])), tuple(sorted(int(o) for o in drawn[n_o:]))
    categories = pool(config)
    if isinstance(n_t, dict):  # counts per family (the later version's "mixed" draw), T1 then T2, disjoint
        remaining = list(categories)
        t1, t2 = (draw_categories(k, n_t, remaining, rng) for k in ("T1", "T2"))
        return o1, o2, t1, t2
    cats = [categories[i] for i in rng.permutation(len(categories))[: 2 * n_t]]
    return o1, o2, tuple(cats[:n_t]), tuple(cats[n_t:])


def _draw(candidates: list[str], n: int, rng: np.random.Generator, what: str) -> list[str]:
    if n > len(candidates):
        raise DesignError(
            f"{what}: {n} wanted, but only {len(candidates)} of `categories` are left to draw from "
            f"({', '.join(candidates) or 'none'}); add categories or draw fewer"
        )
    return [candidates[i] for i in rng.permutation(len(candidates))[:n]]


def draw_categories(name: str, rule, categories: list[str], rng: np.random.Generator) -> tuple[str, ...]:
    """A category set: a list of names, a count from the pool, or counts per family.

    Draws remove their categories from ``categories``, so the sets of one design are disjoint.
    """
    if isinstance(rule, list):
        chosen = list(rule)
    elif isinstance(rule, int):
        chosen = _draw(categories, rule, rng, f"category set {name}")
    else:
        chosen = []
        for family, n in rule.items():
            candidates = [c for c in categories if CATEGORIES[c].family == family]
            chosen += _draw(candidates, n, rng, f"category set {name}, family {family}")
    for c in chosen:
        if c in categories:
            categories.remove(c)
    return tuple(chosen)
