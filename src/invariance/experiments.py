"""Experiment designs: for each experiment and seed, which datasets exist, which are pretrained on, which probed.

Everything here is a pure function of the config and the seed, evaluated when the DAG is
built; the same seed gives every architecture the same sets (paired comparison). A
dataset is a plain spec dict (``kind``, a row of ``invariance.dataset_kinds``, and the renderer's
own fields); two experiments that ask for the same content get the same spec, hence the same file
(see ``registry``).

An experiment's kind is its ``kind`` key in config.yaml (default: its name). The paper's
kinds are the design functions in ``KINDS``; ``transfer_matrix`` builds a design from a
config block alone, so a new experiment of that kind needs no Python. A new kind is a
design function registered in ``KINDS`` (and its figures in ``invariance.catalog.KIND_FIGURES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from invariance import dataset_kinds
from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.assets.cifar10 import CLASS_NAMES
from invariance.pasted import PastedSpec
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import CATEGORIES
from invariance.transforms2d.render import Group, Transforms2DSpec

FIG3_DATASETS = ("X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O")
FIG6B_DATASETS = ("translate", "scale", "color")
FIG6B_MODELS = ("translate", "scale", "color", "none")  # and an untrained network:
UNTRAINED = "untrained"  # the model name of the randomly initialised reference network


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


def pool(config: dict) -> tuple[str, ...]:
    """The transformation categories the experiments draw from (config.yaml's `categories`)."""
    return tuple(config["categories"])


def _sizes(config: dict, scale: str, kind: str) -> dict[str, int]:
    """A scale's split sizes for a kind of dataset (``dataset_kinds``): CIFAR-based kinds may have their own
    (``cifar_sizes``: train + val come from CIFAR-10's training images, so the paper scale uses the
    authors' 45000/5000 split)."""
    return dataset_kinds.KINDS[kind].sizes(config["scales"][scale])


def transforms2d(groups: tuple[Group, ...], sizes: dict, seed: int) -> dict:
    # The render seed depends on the content, so equal content renders to equal bytes.
    content = [(g.objects, g.transforms) for g in groups]
    spec = Transforms2DSpec(groups, sizes, derive_seed("render", seed, content))
    return dataset_kinds.spec_dict(spec)


def pasted(objects, present: float, tied: float, label: str, background: str, sizes: dict, seed: int) -> dict:
    spec = PastedSpec(
        tuple(int(o) for o in objects), float(present), float(tied) if present else 0.0, label, background, sizes, seed
    )
    return dataset_kinds.spec_dict(spec)


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
    o1, o2 = tuple(sorted(int(o) for o in objects[:n_o])), tuple(sorted(int(o) for o in objects[n_o:]))
    categories = pool(config)
    if isinstance(n_t, dict):  # counts per family (the later version's "mixed" draw), T1 then T2, disjoint
        remaining = list(categories)
        t1, t2 = (_draw_categories(k, n_t, remaining, rng) for k in ("T1", "T2"))
        return o1, o2, t1, t2
    cats = [categories[i] for i in rng.permutation(len(categories))[: 2 * n_t]]
    return o1, o2, tuple(cats[:n_t]), tuple(cats[n_t:])


def fig2_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """O1, O2 disjoint object sets; T1, T2 disjoint category sets; the 4 combinations."""
    sizes = _sizes(config, scale, "transforms2d")
    o1, o2, t1, t2 = _two_sets(config, experiment, seed)
    groups = {"all": (o1, t1), "transforms": (o2, t1), "objects": (o1, t2), "none": (o2, t2)}
    datasets = {k: transforms2d((Group(o, t),), sizes, seed) for k, (o, t) in groups.items()}
    return Design(datasets, pretrain_on=("all",), probe_on=tuple(datasets))


def _fig3_datasets(config: dict, scale: str, seed: int) -> dict[str, dict]:
    n = len(CLASS_NAMES)  # one object tied to each CIFAR class
    objects = np.random.default_rng(derive_seed("pasted-objects", seed)).permutation(FOREGROUND_POOL_SIZE)[:n]
    sizes = _sizes(config, scale, "pasted")
    return {
        "X=C,Y=C": pasted(objects, 0, 0, "class", "cifar", sizes, seed),
        "X=C+O,Y=C": pasted(objects, 1, 0, "class", "cifar", sizes, seed),
        "X=C+O,Y=O": pasted(objects, 1, 0, "object", "cifar", sizes, seed),
        "X=O,Y=O": pasted(objects, 1, 0, "object", "black", sizes, seed),
    }


def fig3_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    datasets = _fig3_datasets(config, scale, seed)
    return Design(datasets, pretrain_on=FIG3_DATASETS, probe_on=FIG3_DATASETS)


def fig4_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """Relevance D_alpha and availability D_beta, probed on fig 3's X=C+O targets; fig 3's models are references."""
    p = config["experiments"][experiment]
    ref = _fig3_datasets(config, scale, seed)
    objects, sizes = ref["X=C+O,Y=C"]["objects"], _sizes(config, scale, "pasted")
    datasets, values = dict(ref), {}
    for a in p["alphas"]:
        datasets[f"alpha={a:g}"] = pasted(objects, 1, a, "class", "cifar", sizes, seed)
        values[f"alpha={a:g}"] = {"alpha": float(a)}
    for b in p["betas"]:
        datasets[f"beta={b:g}"] = pasted(objects, b, 0, "class", "cifar", sizes, seed)
        values[f"beta={b:g}"] = {"beta": float(b)}
    return Design(
        datasets,
        pretrain_on=tuple(datasets),
        probe_on=FIG3_DATASETS[1:3],
        values=values,
        sensitivity_models=tuple(datasets),
        sensitivity_objects=tuple(objects),
    )


def fig5_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    sizes = _sizes(config, scale, "transforms2d")
    o1, o2, t1, t2 = _two_sets(config, experiment, seed)
    groups = {
        "T1": (Group(o1 + o2, t1),),
        "T2": (Group(o1 + o2, t2),),
        "T1+T2": (Group(o1, t1), Group(o2, t2)),
        "T1oT2": (Group(o1 + o2, t1 + t2),),
    }
    datasets = {k: transforms2d(g, sizes, seed) for k, g in groups.items()}
    return Design(datasets, pretrain_on=tuple(datasets), probe_on=tuple(datasets))


def fig6_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """One dataset per category; untransformed objects ("none") train a fig 6b reference model."""
    objects, sizes = _objects(seed, config["experiments"][experiment]["objects"]), _sizes(config, scale, "transforms2d")
    categories = pool(config)
    datasets = {c: transforms2d((Group(objects, (c,)),), sizes, seed) for c in categories}
    datasets["none"] = transforms2d((Group(objects, ()),), sizes, seed)
    l2 = [c for c in FIG6B_DATASETS if c in categories]  # fig 6b needs its three categories in the pool
    return Design(
        datasets,
        pretrain_on=categories,
        probe_on=categories,
        l2_models=(*l2, "none") if l2 else (),
        l2_datasets=tuple(l2),
    )


def fig8_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """Nested sets T1 in T2 ... in Tn (every category of the pool) along a random order; T1 is a fig 6 dataset."""
    objects, sizes = _objects(seed, config["experiments"][experiment]["objects"]), _sizes(config, scale, "transforms2d")
    categories = pool(config)
    rng = np.random.default_rng(derive_seed(experiment, seed))
    order = [categories[i] for i in rng.permutation(len(categories))]
    names = [f"T{i}" for i in range(1, len(order) + 1)]
    datasets = {n: transforms2d((Group(objects, tuple(order[:i])),), sizes, seed) for i, n in enumerate(names, 1)}
    values = {n: {"set_size": i} for i, n in enumerate(names, 1)}
    return Design(datasets, pretrain_on=tuple(names), probe_on=tuple(names), values=values)


ORDER_DATASETS = ("T1", "T1 reversed", "T2")


def order_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """Section 3.1's order finding, which the paper reports without a figure (the design is ours).

    The objects O1 and categories T1, T2 of the experiment named by ``draws_from`` (fig 2): a
    model pretrained on D(O1, T1) is probed on the same objects with T1 applied in the reverse
    order, and with the disjoint T2 as the reference for a large drop. D(O1, T1) is fig 2's
    D_all, so its models are fig 2's and nothing new is trained.
    """
    sizes = _sizes(config, scale, "transforms2d")
    o1, _, t1, t2 = _two_sets(config, config["experiments"][experiment]["draws_from"], seed)
    sets = dict(zip(ORDER_DATASETS, (t1, t1[::-1], t2)))
    datasets = {k: transforms2d((Group(o1, t),), sizes, seed) for k, t in sets.items()}
    return Design(datasets, pretrain_on=ORDER_DATASETS[:1], probe_on=ORDER_DATASETS)


class DesignError(ValueError):
    pass


def _draw(candidates: list[str], n: int, rng: np.random.Generator, what: str) -> list[str]:
    if n > len(candidates):
        raise DesignError(
            f"{what}: {n} wanted, but only {len(candidates)} of `categories` are left to draw from "
            f"({', '.join(candidates) or 'none'}); add categories or draw fewer"
        )
    return [candidates[i] for i in rng.permutation(len(candidates))[:n]]


def _draw_categories(name: str, rule, categories: list[str], rng: np.random.Generator) -> tuple[str, ...]:
    """A category set of a transfer matrix: a list of names, a count from the pool, or counts per family.

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


def transfer_matrix_design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """A design written as a config block: object sets, category sets, datasets built from them, what to train."""
    p, sizes = config["experiments"][experiment], _sizes(config, scale, "transforms2d")
    rng = np.random.default_rng(derive_seed(experiment, seed))
    perm = iter(rng.permutation(FOREGROUND_POOL_SIZE).tolist())
    objects = {k: tuple(sorted(next(perm) for _ in range(n))) for k, n in p["object_sets"].items()}
    remaining = list(pool(config))
    sets = {k: _draw_categories(k, rule, remaining, rng) for k, rule in p["category_sets"].items()}
    datasets = {
        k: transforms2d((Group(objects[d["objects"]], sets[d["categories"]]),), sizes, seed)
        for k, d in p["datasets"].items()
    }
    return Design(datasets, pretrain_on=tuple(p["pretrain_on"]), probe_on=tuple(p["probe_on"]))


# Experiment kinds: design(config, scale, seed, experiment) -> Design; each reads its experiment's config block.
KINDS = {
    "fig2": fig2_design,
    "fig3": fig3_design,
    "fig4": fig4_design,
    "fig5": fig5_design,
    "fig6": fig6_design,
    "fig8": fig8_design,
    "order": order_design,
    "transfer_matrix": transfer_matrix_design,
}


def kind(config: dict, experiment: str) -> str:
    return config["experiments"][experiment].get("kind", experiment)


def experiments(config: dict) -> tuple[str, ...]:
    return tuple(config["experiments"])


def design(config: dict, scale: str, experiment: str, seed: int) -> Design:
    if experiment not in config["experiments"]:
        raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(experiments(config))}")
    d = KINDS[kind(config, experiment)](config, scale, int(seed), experiment)
    archs = tuple(config["experiments"][experiment]["architectures"])
    return replace(d, architectures=archs)


def scale_lineage(config: dict, scale: str) -> list[str]:
    """The scale, then its base, its base's base...: where per-scale settings are looked up in turn."""
    out = [scale]
    while "base" in config["scales"][out[-1]]:
        out.append(config["scales"][out[-1]]["base"])
    return out


def looks(config: dict, scale: str, experiment: str | None = None) -> tuple[int, ...]:
    """The planned looks, as seed counts: the experiment's own `seeds` for this scale or else the scale's.

    A count is one look; a list is a group-sequential plan (docs/verdict.md): seeds beyond a look are
    built only while the experiment has claims left undecided there.
    """
    if experiment is None:
        n = config["scales"][scale]["seeds"]
        return tuple(n) if isinstance(n, list) else (n,)
    block = config["experiments"][experiment]
    for name in scale_lineage(config, scale):  # a scale of your own built on quick takes quick's counts
        if name in block.get("seeds", {}):
            n = block["seeds"][name]
            return tuple(n) if isinstance(n, list) else (n,)
    if "draws_from" in block:  # the same draws, hence the same seeds: its models are shared
        return looks(config, scale, block["draws_from"])
    return looks(config, scale)


def seeds(config: dict, scale: str, experiment: str | None = None) -> list[int]:
    """Seeds 0..n-1 up to the last planned look: every seed the experiment may need."""
    return list(range(looks(config, scale, experiment)[-1]))
