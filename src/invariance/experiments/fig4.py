"""Fig 4 (section 4.1): relevance (alpha) and availability (beta) of the pasted objects.

D_alpha ties the object to the class with probability alpha, D_beta shows it with probability beta; both
are probed on fig 3's X=C+O targets, and fig 3's models are the references. Its figures: the sweep
(figures/fig4.py) and the representations' sensitivity to the objects (figures/sensitivity.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from invariance.claims import (
    CLOSE,
    INDEX,
    INF,
    ONE_MODEL,
    PERFECT,
    SAME_SEED,
    STEP,
    Claim,
    one,
    parts,
    per_group,
    slope,
)
from invariance.experiments import fig3
from invariance.experiments.common import Design, ExperimentKind, pasted, sizes

_, _CO_C, _CO_O, _ = fig3.DATASETS


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """Relevance D_alpha and availability D_beta, probed on fig 3's X=C+O targets; fig 3's models are references."""
    p = config["experiments"][experiment]
    ref = fig3.datasets(config, scale, seed)
    objects, shape = ref[_CO_C]["objects"], sizes(config, scale, "pasted")
    datasets, values = dict(ref), {}
    for a in p["alphas"]:
        datasets[f"alpha={a:g}"] = pasted(objects, 1, a, "class", "cifar", shape, seed)
        values[f"alpha={a:g}"] = {"alpha": float(a)}
    for b in p["betas"]:
        datasets[f"beta={b:g}"] = pasted(objects, b, 0, "class", "cifar", shape, seed)
        values[f"beta={b:g}"] = {"beta": float(b)}
    return Design(
        datasets,
        pretrain_on=tuple(datasets),
        probe_on=(_CO_C, _CO_O),
        values=values,
        sensitivity_models=tuple(datasets),
        sensitivity_objects=tuple(objects),
    )


# ---- claims --------------------------------------------------------------------------------------


def _sweep(df: pd.DataFrame, variable: str, target: str | None = None) -> pd.DataFrame:
    """The rows of fig 4's alpha (or beta) sweep (probed on target), the variable's value as column x."""
    s = df[df[f"pretrain_{variable}"].notna()]
    s = s if target is None else s[s.target == target]
    return s.assign(x=s[f"pretrain_{variable}"])


def _at(s: pd.DataFrame, x: float, column: str = "accuracy") -> pd.Series:
    return s[np.isclose(s.x, x)].set_index(INDEX)[column]


def _fitted_change(s: pd.DataFrame, column: str = "accuracy") -> pd.Series:
    """Per seed: the least-squares slope times the span of x: the change a straight line puts across the sweep.

    Its expectation does not grow with per-point noise or with the number of points (a range would).
    """
    span = s.x.max() - s.x.min()
    return per_group(s, lambda g: slope(g, "x", column) * span)


def class_accuracy_constant_below_alpha_one(t):
    s = _sweep(t["probes"], "alpha", _CO_C)
    return one(_fitted_change(s[s.x < 1]))


def object_accuracy_increases_steadily(t):
    s = _sweep(t["probes"], "alpha", _CO_O)
    xs = sorted(s.x.unique())
    return parts({f"alpha {a:g} -> {b:g}": _at(s, b) - _at(s, a) for a, b in zip(xs, xs[1:])})


def object_accuracy_rises_before_alpha_one(t):
    """Steadily, not in one jump at alpha = 1: the rise from alpha 0 to the largest alpha below 1."""
    s = _sweep(t["probes"], "alpha", _CO_O)
    below = sorted(x for x in s.x.unique() if x < 1)
    return one(_at(s, below[-1]) - _at(s, below[0]))


def class_accuracy_drops_only_at_alpha_one(t):
    s = _sweep(t["probes"], "alpha", _CO_C)
    below = max(x for x in s.x.unique() if x < 1)
    return one(_at(s, below) - _at(s, 1.0))


def object_accuracy_reaches_100(t):
    return one(_at(_sweep(t["probes"], "alpha", _CO_O), 1.0))


def class_accuracy_independent_of_beta(t):
    return one(_fitted_change(_sweep(t["probes"], "beta", _CO_C)))


def object_accuracy_drops_once_beta_positive(t):
    s = _sweep(t["probes"], "beta", _CO_O)
    first = min(x for x in s.x.unique() if x > 0)
    return one(_at(s, 0.0) - _at(s, first))


def relevance_matters_more_than_availability(t):
    """How much object accuracy changes across the relevance sweep against across the availability sweep.

    Each is the fitted change across its whole sweep (not two end points: alpha = 0 and beta = 1 are one
    model, so end points would only compare the alpha = 1 model with the CIFAR-only one)."""
    relevance = _fitted_change(_sweep(t["probes"], "alpha", _CO_O)).abs()
    availability = _fitted_change(_sweep(t["probes"], "beta", _CO_O)).abs()
    return one(relevance - availability)


def relevance_and_availability_both_play_a_role(t):
    """Object accuracy rises across the relevance sweep and falls across the availability sweep (fitted changes)."""
    return parts(
        {
            "relevance: change across alpha": _fitted_change(_sweep(t["probes"], "alpha", _CO_O)),
            "availability: minus the change across beta": -_fitted_change(_sweep(t["probes"], "beta", _CO_O)),
        }
    )


def sensitivity_grows_with_relevance(t):
    return one(_fitted_change(_sweep(t["sensitivity"], "alpha"), "sensitivity"))


CLAIMS = (
    Claim(
        id="4a",
        kind="fig4",
        section="4.1",
        quote="As the correlation of the pasted object categories with the CIFAR-10 classes increases, CIFAR-10 "
        "transfer accuracy mostly remains constant",
        quantity="CIFAR-class accuracy: least-squares slope x span over alpha < 1",
        check=class_accuracy_constant_below_alpha_one,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4b",
        kind="fig4",
        section="4.1",
        quote="whereas object category accuracy increases steadily",
        quantity="object accuracy: each step between adjacent alphas",
        check=object_accuracy_increases_steadily,
        bounds=(-STEP, INF),
        source="STEP",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4b-rise",
        kind="fig4",
        section="4.1",
        quote="whereas object category accuracy increases steadily [before alpha = 1, not in one jump at the end]",
        quantity="object accuracy at the largest alpha below 1 - at alpha 0",
        check=object_accuracy_rises_before_alpha_one,
        bounds=(CLOSE, INF),
        source="CLOSE",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4c",
        kind="fig4",
        section="4.1",
        quote="Only when pasted objects and CIFAR labels become perfectly correlated, CIFAR-10 accuracy drops",
        quantity="CIFAR-class accuracy at the largest alpha below 1 - at alpha = 1",
        check=class_accuracy_drops_only_at_alpha_one,
        bounds=(0, INF),
        source="paper: 'drops'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4d",
        kind="fig4",
        section="4.1",
        quote="and object detection accuracy reaches 100%",
        quantity="object accuracy at alpha = 1",
        check=object_accuracy_reaches_100,
        bounds=(PERFECT, INF),
        source="PERFECT",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="4e",
        kind="fig4",
        section="4.1",
        quote="The CIFAR performance does not depend on the availability of the pasted objects",
        quantity="CIFAR-class accuracy: least-squares slope x span over beta",
        check=class_accuracy_independent_of_beta,
        bounds=(-CLOSE, CLOSE),
        source="CLOSE",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4f",
        kind="fig4",
        section="4.1",
        quote="Object category prediction performance on the other hand quickly drops as soon as the model has "
        "access to the irrelevant object features",
        quantity="object accuracy at beta = 0 - at the smallest beta > 0",
        check=object_accuracy_drops_once_beta_positive,
        bounds=(0, INF),
        source="paper: 'drops as soon as'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4g",
        kind="fig4",
        section="4.1",
        quote="relevance and availability both play a role in determining which invariances a model learns, but "
        "relevance seems to be the more important property",
        quantity="abs(fitted change of object accuracy across alpha) - abs(across beta)",
        check=relevance_matters_more_than_availability,
        bounds=(0, INF),
        source="paper: 'more important'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4g-both",
        kind="fig4",
        section="4.1",
        quote="relevance and availability both play a role in determining which invariances a model learns",
        quantity="object accuracy: fitted change across alpha, and minus the fitted change across beta",
        check=relevance_and_availability_both_play_a_role,
        bounds=(0, INF),
        source="paper: 'both play a role' (each changes object accuracy in the direction the section reports)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="4h",
        kind="fig4",
        section="4.1 (fig 4 caption)",
        quote="As the correlation resp. relevance of the pasted objects for the target task increases, models "
        "[...] their representations become more sensitive to their presence",
        quantity="sensitivity d(object)/d(image): least-squares slope x span over alpha",
        check=sensitivity_grows_with_relevance,
        bounds=(0, INF),
        source="paper: 'more sensitive'",
        pairing=SAME_SEED,
        tables=("sensitivity",),
    ),
)


KIND = ExperimentKind("fig4", design, figures={"": "fig4", "_sensitivity": "sensitivity_figure"})
