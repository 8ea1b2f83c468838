"""Experiment designs: for each figure and seed, which datasets exist, which are pretrained on, which probed.

Everything here is a pure function of the config and the seed, evaluated when the DAG is
built; the same seed gives every architecture the same sets (paired comparison). A
dataset is a plain spec dict (``kind`` + the renderer's own fields); two figures that ask
for the same content get the same spec, hence the same file (see ``registry``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.assets.cifar10 import CLASS_NAMES
from invariance.pasted import PastedSpec
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import CATEGORY_NAMES
from invariance.transforms2d.render import Group, Transforms2DSpec


def nested_name(i: int) -> str:
    """Fig 8's name of the i-th nested category set."""
    return f"T{i}"


FIG3_DATASETS = ("X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O")
FIG6B_DATASETS = ("translate", "scale", "color")
FIG6B_MODELS = ("translate", "scale", "color", "none")  # and an untrained network


@dataclass(frozen=True)
class Design:
    datasets: dict[str, dict]  # name -> spec
    pretrain_on: tuple[str, ...]
    probe_on: tuple[str, ...]
    architectures: tuple[str, ...] = field(default=())


def _sizes(config: dict, scale: str) -> dict[str, int]:
    return {k: int(v) for k, v in config["scales"][scale]["sizes"].items()}


def transforms2d(groups: tuple[Group, ...], sizes: dict, seed: int) -> dict:
    # The render seed depends on the content, so equal content renders to equal bytes.
    content = [(g.objects, g.transforms) for g in groups]
    spec = Transforms2DSpec(groups, sizes, derive_seed("render", seed, content))
    return {"kind": "transforms2d", **spec.to_dict()}


def pasted(objects, present: float, tied: float, label: str, background: str, sizes: dict, seed: int) -> dict:
    spec = PastedSpec(tuple(int(o) for o in objects), float(present), float(tied) if present else 0.0, label,
                      background, sizes, seed)
    return {"kind": "pasted", **spec.to_dict()}


def _objects(seed: int, n: int) -> tuple[int, ...]:
    """The object set of the single-group experiments (figs 6, 8): the same n gives the same objects."""
    rng = np.random.default_rng(derive_seed("objects", seed))
    return tuple(sorted(int(o) for o in rng.permutation(FOREGROUND_POOL_SIZE)[:n]))


def _two_sets(config: dict, experiment: str, seed: int):
    """Disjoint object sets O1, O2 and disjoint category sets T1, T2, sized by the experiment's config."""
    p = config["experiments"][experiment]
    rng = np.random.default_rng(derive_seed(experiment, seed))
    n_o, n_t = p["objects_per_set"], p["transforms_per_set"]
    objects = rng.permutation(FOREGROUND_POOL_SIZE)[: 2 * n_o]
    cats = [CATEGORY_NAMES[i] for i in rng.permutation(len(CATEGORY_NAMES))[: 2 * n_t]]
    o1, o2 = tuple(sorted(int(o) for o in objects[:n_o])), tuple(sorted(int(o) for o in objects[n_o:]))
    return o1, o2, tuple(cats[:n_t]), tuple(cats[n_t:])


def fig2_design(config: dict, scale: str, seed: int) -> Design:
    """O1, O2 disjoint object sets; T1, T2 disjoint category sets; the 4 combinations."""
    sizes = _sizes(config, scale)
    o1, o2, t1, t2 = _two_sets(config, "fig2", seed)
    groups = {"all": (o1, t1), "transforms": (o2, t1), "objects": (o1, t2), "none": (o2, t2)}
    datasets = {k: transforms2d((Group(o, t),), sizes, seed) for k, (o, t) in groups.items()}
    return Design(datasets, pretrain_on=("all",), probe_on=tuple(datasets))


def _fig3_datasets(config: dict, scale: str, seed: int) -> dict[str, dict]:
    n = len(CLASS_NAMES)  # one object tied to each CIFAR class
    objects = np.random.default_rng(derive_seed("pasted-objects", seed)).permutation(FOREGROUND_POOL_SIZE)[:n]
    sizes = _sizes(config, scale)
    return {
        "X=C,Y=C": pasted(objects, 0, 0, "class", "cifar", sizes, seed),
        "X=C+O,Y=C": pasted(objects, 1, 0, "class", "cifar", sizes, seed),
        "X=C+O,Y=O": pasted(objects, 1, 0, "object", "cifar", sizes, seed),
        "X=O,Y=O": pasted(objects, 1, 0, "object", "black", sizes, seed),
    }


def fig3_design(config: dict, scale: str, seed: int) -> Design:
    datasets = _fig3_datasets(config, scale, seed)
    return Design(datasets, pretrain_on=FIG3_DATASETS, probe_on=FIG3_DATASETS)


def fig4_design(config: dict, scale: str, seed: int) -> Design:
    """Relevance D_alpha and availability D_beta, probed on fig 3's X=C+O targets; fig 3's models are references."""
    p = config["experiments"]["fig4"]
    ref = _fig3_datasets(config, scale, seed)
    objects, sizes = ref["X=C+O,Y=C"]["objects"], _sizes(config, scale)
    datasets = dict(ref)
    for a in p["alphas"]:
        datasets[f"alpha={a:g}"] = pasted(objects, 1, a, "class", "cifar", sizes, seed)
    for b in p["betas"]:
        datasets[f"beta={b:g}"] = pasted(objects, b, 0, "class", "cifar", sizes, seed)
    return Design(datasets, pretrain_on=tuple(datasets), probe_on=("X=C+O,Y=C", "X=C+O,Y=O"))


def fig5_design(config: dict, scale: str, seed: int) -> Design:
    sizes = _sizes(config, scale)
    o1, o2, t1, t2 = _two_sets(config, "fig5", seed)
    groups = {
        "T1": (Group(o1 + o2, t1),),
        "T2": (Group(o1 + o2, t2),),
        "T1+T2": (Group(o1, t1), Group(o2, t2)),
        "T1oT2": (Group(o1 + o2, t1 + t2),),
    }
    datasets = {k: transforms2d(g, sizes, seed) for k, g in groups.items()}
    return Design(datasets, pretrain_on=tuple(datasets), probe_on=tuple(datasets))


def fig6_design(config: dict, scale: str, seed: int) -> Design:
    """One dataset per category, plus untransformed objects ("none", a fig 6b reference)."""
    objects, sizes = _objects(seed, config["experiments"]["fig6"]["objects"]), _sizes(config, scale)
    datasets = {c: transforms2d((Group(objects, (c,)),), sizes, seed) for c in CATEGORY_NAMES}
    datasets["none"] = transforms2d((Group(objects, ()),), sizes, seed)
    return Design(datasets, pretrain_on=tuple(datasets), probe_on=CATEGORY_NAMES)


def fig8_design(config: dict, scale: str, seed: int) -> Design:
    """Nested sets T1 in T2 ... in Tn (every category) along a random order; T1 is a fig 6 dataset."""
    objects, sizes = _objects(seed, config["experiments"]["fig8"]["objects"]), _sizes(config, scale)
    rng = np.random.default_rng(derive_seed("fig8", seed))
    order = [CATEGORY_NAMES[i] for i in rng.permutation(len(CATEGORY_NAMES))]
    datasets = {nested_name(i): transforms2d((Group(objects, tuple(order[:i])),), sizes, seed)
                for i in range(1, len(order) + 1)}
    return Design(datasets, pretrain_on=tuple(datasets), probe_on=tuple(datasets))


DESIGNS = {"fig2": fig2_design, "fig3": fig3_design, "fig4": fig4_design, "fig5": fig5_design,
           "fig6": fig6_design, "fig8": fig8_design}
EXPERIMENTS = tuple(DESIGNS)


def design(config: dict, scale: str, experiment: str, seed: int) -> Design:
    if experiment not in DESIGNS:
        raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(EXPERIMENTS)}")
    d = DESIGNS[experiment](config, scale, int(seed))
    archs = tuple(config["experiments"][experiment]["architectures"])
    return Design(d.datasets, d.pretrain_on, d.probe_on, archs)


def seeds(config: dict, scale: str) -> list[int]:
    return list(range(config["scales"][scale]["seeds"]))
