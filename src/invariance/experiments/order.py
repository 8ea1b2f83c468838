"""Section 3.1's order finding, which the paper reports without a figure (the design is ours).

The objects O1 and categories T1, T2 of the experiment named by ``draws_from`` (fig 2): a model pretrained
on D(O1, T1) is probed on the same objects with T1 applied in the reverse order, and with the disjoint T2
as the reference for a large drop. D(O1, T1) is fig 2's D_all, so its models are fig 2's and nothing new
is trained.
"""

from __future__ import annotations

from invariance.claims import CLOSE, INF, SAME_MODEL, Claim, acc, one
from invariance.experiments.common import Design, ExperimentKind, sizes, transforms2d, two_sets
from invariance.transforms2d.render import Group

DATASETS = ("T1", "T1 reversed", "T2")


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    shape = sizes(config, scale, "transforms2d")
    o1, _, t1, t2 = two_sets(config, config["experiments"][experiment]["draws_from"], seed)
    sets = dict(zip(DATASETS, (t1, t1[::-1], t2), strict=True))
    datasets = {k: transforms2d((Group(o1, t),), shape, seed) for k, t in sets.items()}
    return Design(datasets, pretrain_on=DATASETS[:1], probe_on=DATASETS)


# ---- claims --------------------------------------------------------------------------------------

_T1, _REVERSED, _T2 = DATASETS


def order_has_a_small_effect(t):
    return one(acc(t, _T1, _T1) - acc(t, _T1, _REVERSED))


def order_matters_less_than_other_transforms(t):
    return one(acc(t, _T1, _REVERSED) - acc(t, _T1, _T2))


CLAIMS = (
    Claim(
        id="order-a",
        kind="order",
        section="3.1",
        quote="the order in which transformations are applied has only a small effect on model performance",
        quantity="acc(T1) - acc(T1 reversed), model pretrained on D(O1, T1)",
        check=order_has_a_small_effect,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="order-b",
        kind="order",
        section="3.1",
        quote="the order in which transformations are applied has only a small effect [smaller than a disjoint "
        "transformation set's, our reference]",
        quantity="acc(T1 reversed) - acc(T2), same objects",
        check=order_matters_less_than_other_transforms,
        bounds=(0, INF),
        source="paper: 'only a small effect' (0), against our reference design",
        pairing=SAME_MODEL,
    ),
)


KIND = ExperimentKind(
    "order",
    design,
    figures={"": "heatmap"},
    title="Transfer from D(O1, T1) to the same objects with T1 reversed, and with a disjoint T2",
)
