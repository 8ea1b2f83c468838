"""Fig 2 (section 3.1): do shared transformations or shared objects decide transfer?

O1, O2 disjoint object sets and T1, T2 disjoint category sets; models pretrained on D_all = D(O1, T1) are
probed on the four combinations. Its figure is a bar chart per architecture (figures/fig2.py).
"""

from __future__ import annotations

from invariance.claims import CLOSE, INF, ONE_MODEL, POOR, SAME_MODEL, Claim, acc, one, parts
from invariance.experiments.common import Design, ExperimentKind, sizes, transforms2d, two_sets
from invariance.transforms2d.render import Group

# The four datasets, named by what they share with D_all: (objects, categories).
DATASETS = ("all", "transforms", "objects", "none")


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """O1, O2 disjoint object sets; T1, T2 disjoint category sets; the 4 combinations."""
    o1, o2, t1, t2 = two_sets(config, experiment, seed)
    groups = dict(zip(DATASETS, ((o1, t1), (o2, t1), (o1, t2), (o2, t2)), strict=True))
    shape = sizes(config, scale, "transforms2d")
    datasets = {k: transforms2d((Group(o, t),), shape, seed) for k, (o, t) in groups.items()}
    return Design(datasets, pretrain_on=DATASETS[:1], probe_on=DATASETS)


# ---- claims --------------------------------------------------------------------------------------


def _fig2(t):
    return {k: acc(t, "all", k) for k in DATASETS}


def transforms_beat_objects(t):
    a = _fig2(t)
    return one(a["transforms"] - a["objects"])


def transforms_close_to_all(t):
    a = _fig2(t)
    return one(a["all"] - a["transforms"])


def objects_as_low_as_none(t):
    a = _fig2(t)
    return one(a["objects"] - a["none"])


def without_shared_transforms_is_low(t):
    a = _fig2(t)
    return parts({"D_objects": a["objects"], "D_none": a["none"]})


def _main_effects(t):
    a = _fig2(t)
    transforms = (a["all"] + a["transforms"] - a["objects"] - a["none"]) / 2  # shared T1 vs not
    objects = (a["all"] + a["objects"] - a["transforms"] - a["none"]) / 2  # shared O1 vs not
    return transforms, objects


def transforms_are_the_determining_factor(t):
    return one(_main_effects(t)[0])


def objects_have_little_impact(t):
    return one(_main_effects(t)[1])


CLAIMS = (
    Claim(
        id="2a",
        kind="fig2",
        section="3.1",
        quote="models trained on data with the same transformations as the target task perform better on it, "
        "compared to models trained with the same objects but with different transformations",
        quantity="acc(D_transforms) - acc(D_objects)",
        check=transforms_beat_objects,
        bounds=(0, INF),
        source="paper: 'perform better'",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="2b",
        kind="fig2",
        section="3.1",
        quote="the performance when transferring to datasets with the same transformations is close to that on "
        "the training dataset",
        quantity="acc(D_all) - acc(D_transforms)",
        check=transforms_close_to_all,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="2c",
        kind="fig2",
        section="3.1",
        quote="transfer performance is similarly low both with and without training objects",
        quantity="acc(D_objects) - acc(D_none)",
        check=objects_as_low_as_none,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="2c-low",
        kind="fig2",
        section="3.1",
        quote="transfer performance is similarly low both with and without training objects [low]",
        quantity="acc(D_objects), acc(D_none)",
        check=without_shared_transforms_is_low,
        bounds=(-INF, POOR),
        source="POOR",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="2d",
        kind="fig2",
        section="3.1",
        quote="the absence or presence of shared transformations with the training data is the determining "
        "factor for transfer performance",
        quantity="main effect of sharing T1 over the 2x2 design: (acc(D_all) + acc(D_transforms) - acc(D_objects) - "
        "acc(D_none)) / 2",
        check=transforms_are_the_determining_factor,
        bounds=(CLOSE, INF),
        source="CLOSE ('the determining factor': more than a small effect; 2e bounds the objects' below it)",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="2e",
        kind="fig2",
        section="3.1",
        quote="whereas the degree of shared objects has little impact",
        quantity="main effect of sharing O1: (acc(D_all) + acc(D_objects) - acc(D_transforms) - acc(D_none)) / 2",
        check=objects_have_little_impact,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_MODEL,
    ),
)


KIND = ExperimentKind("fig2", design, figures={"": "fig2"})
