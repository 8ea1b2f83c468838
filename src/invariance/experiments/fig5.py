"""Fig 5 (section 4.2): does invariance transfer between classes?

T1, T2 disjoint category sets over the objects O1 and O2: D_T1 and D_T2 apply one set to every object,
D_T1+T2 applies T1 to O1 and T2 to O2, D_T1oT2 their concatenation to every object.
"""

from __future__ import annotations

from invariance.claims import CLOSE, INF, ONE_MODEL, SAME_MODEL, SAME_SEED, WELL, Claim, acc, parts
from invariance.experiments.common import Design, ExperimentKind, sizes, transforms2d, two_sets
from invariance.transforms2d.render import Group

DATASETS = ("T1", "T2", "T1+T2", "T1oT2")


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    shape = sizes(config, scale, "transforms2d")
    o1, o2, t1, t2 = two_sets(config, experiment, seed)
    groups = (
        (Group(o1 + o2, t1),),
        (Group(o1 + o2, t2),),
        (Group(o1, t1), Group(o2, t2)),
        (Group(o1 + o2, t1 + t2),),
    )
    datasets = {k: transforms2d(g, shape, seed) for k, g in zip(DATASETS, groups, strict=True)}
    return Design(datasets, pretrain_on=DATASETS, probe_on=DATASETS)


# ---- claims --------------------------------------------------------------------------------------


def single_set_models_do_well_on_their_own(t):
    return parts({m: acc(t, m, m) for m in DATASETS[:2]})


def single_set_models_poor_elsewhere(t):
    return parts({f"{m} -> {x}": acc(t, m, m) - acc(t, m, x) for m in DATASETS[:2] for x in DATASETS if x != m})


def invariance_transfers_between_classes(t):
    return parts(
        {
            "on D_T1, vs the T2 model": acc(t, "T1+T2", "T1") - acc(t, "T2", "T1"),
            "on D_T2, vs the T1 model": acc(t, "T1+T2", "T2") - acc(t, "T1", "T2"),
        }
    )


def mixed_model_does_well_on_both(t):
    return parts({f"on D_{m}": acc(t, "T1+T2", m) for m in DATASETS[:2]})


def transfer_between_classes_is_not_perfect(t):
    return parts({f"on D_{m}": acc(t, m, m) - acc(t, "T1+T2", m) for m in DATASETS[:2]})


def only_the_concatenation_model_does_well_on_it(t):
    return parts({m: acc(t, "T1oT2", "T1oT2") - acc(t, m, "T1oT2") for m in DATASETS[:3]})


CLAIMS = (
    Claim(
        id="5a",
        kind="fig5",
        section="4.2",
        quote="Both models trained on D_T1 and D_T2 perform well on their respective datasets",
        quantity="acc(T1 -> T1), acc(T2 -> T2)",
        check=single_set_models_do_well_on_their_own,
        bounds=(WELL, INF),
        source="WELL",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="5b",
        kind="fig5",
        section="4.2",
        quote="but perform poorly on all other datasets",
        quantity="per other target: acc(own dataset) - acc(that target), T1 and T2 models",
        check=single_set_models_poor_elsewhere,
        bounds=(CLOSE, INF),
        source="CLOSE",
        pairing=SAME_MODEL,
    ),
    Claim(
        id="5c",
        kind="fig5",
        section="4.2",
        quote="The model trained on D_T1+T2, however, performs well on both D_T1 and D_T2, which shows that it is "
        "able to generalize its learned invariances from each set of objects O1 and O2 to the other",
        quantity="acc(T1+T2 -> T1) - acc(T2 -> T1); acc(T1+T2 -> T2) - acc(T1 -> T2)",
        check=invariance_transfers_between_classes,
        bounds=(0, INF),
        source="paper: 'able to generalize its learned invariances' (0), against the models without them",
        pairing=SAME_SEED,
    ),
    Claim(
        id="5c-well",
        kind="fig5",
        section="4.2",
        quote="The model trained on D_T1+T2, however, performs well on both D_T1 and D_T2 [a level]",
        quantity="acc(T1+T2 -> T1), acc(T1+T2 -> T2)",
        check=mixed_model_does_well_on_both,
        bounds=(WELL, INF),
        source="WELL",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="5d",
        kind="fig5",
        section="4.2",
        quote="Generalization is not perfect, however, and the model achieves slightly lower accuracy than the "
        '"native" models on D_T1 and D_T2',
        quantity="acc(T1 -> T1) - acc(T1+T2 -> T1); acc(T2 -> T2) - acc(T1+T2 -> T2)",
        check=transfer_between_classes_is_not_perfect,
        bounds=(0, CLOSE),
        source="paper: 'lower' (0); CLOSE: 'slightly'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="5e",
        kind="fig5",
        section="4.2",
        quote="all models other than the one trained on D_T1oT2 achieve poor accuracy on that dataset, especially "
        "also the one trained on D_T1+T2",
        quantity="per model: acc(T1oT2 -> T1oT2) - acc(model -> T1oT2), models T1, T2, T1+T2",
        check=only_the_concatenation_model_does_well_on_it,
        bounds=(CLOSE, INF),
        source="CLOSE",
        pairing=SAME_SEED,
    ),
)


KIND = ExperimentKind(
    "fig5",
    design,
    figures={"": "heatmap"},
    title="Transfer between datasets whose classes share T1, T2, both, or their concatenation",
)
