"""The paper's claims, each checked against the computed Parquet tables, as the paper words them.

A claim belongs to an experiment *kind* (fig2, fig3, ...): every experiment of that kind in a
config gets its claims, whatever it is called. Its check is a pure function from that
experiment's tables to one number per seed, architecture and *part* (for example, probe
accuracy on D_transforms minus on D_objects). A claim about several things at once ("each of
colour, movement and rotation is an outlier", "every model") has one part per thing.

The paper's words say where each number must lie: ``bounds = (lo, hi)``. "Above" is (0, inf),
"close to" is (-inf, CLOSE), "similarly" and "little impact" are (-CLOSE, CLOSE), "100%" is a
level (PERFECT, inf). Where the words imply a margin or a level but give no number, the number
is this project's and named in ``TOLERANCES`` (the top of claims.md and the README say why).

Per part, over seeds: the mean and a 95% t-interval. A part *holds* when the whole interval lies
inside the bounds, *does not hold* when it lies wholly outside, and is *undecided* otherwise (or
with one seed). A claim holds when every part holds and does not hold when any part does not.
For an undecided claim, ``seeds_needed`` is the number of seeds at which the expected half-width
at the observed spread would be smaller than the mean's distance from the nearest bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from invariance.experiments import FIG3_DATASETS, FIG6B_DATASETS, FIG6B_MODELS, ORDER_DATASETS, UNTRAINED

Tables = dict[str, pd.DataFrame]  # one experiment's tables: "probes" | "l2" | "sensitivity" -> table
INF = math.inf


@dataclass(frozen=True)
class Tolerance:
    value: float
    words: str  # the paper's words it stands for
    why: str


# Numbers this project chose where the paper's words imply a margin or a level but state none.
TOLERANCES = {
    "CLOSE": Tolerance(
        0.10,
        '"close to", "similarly", "little impact", "small effect", "slightly", "very differently", '
        '"the determining factor", "poorly on all other", "does not negatively impact", '
        '"increases steadily" (the rise before alpha 1)',
        "an accuracy difference of 0.1 (10 points): twice the largest seed-to-seed spread the paper "
        "reports (std <= 0.05 over 10 seeds), so a gap inside it is within what seeds alone move",
    ),
    "PERFECT": Tolerance(
        0.95,
        '"100%", "close to 100%"',
        "a level: 0.95 allows the test-set noise of a 1000-image split and the few hard samples a "
        "model near 100% still misses",
    ),
    "WELL": Tolerance(
        0.80,
        '"perform well", "transfer quite well"',
        "a level: the paper calls its fig-3 and fig-6 transfers of about 0.8 and more good",
    ),
    "POOR": Tolerance(
        0.60,
        '"perform quite poorly"',
        "a level: the paper's fig-3 numbers it calls quite poor are 0.53 and below",
    ),
    "STEP": Tolerance(
        0.03,
        '"increases steadily"',
        "no step between adjacent alphas falls by more than 0.03, about the binomial noise of one "
        "accuracy on 1000 test images (0.016) times two",
    ),
    "CORRELATES": Tolerance(
        0.50,
        '"corresponds well"',
        "a Spearman rank correlation of 0.5 or more between l2 ratio and transfer accuracy",
    ),
}
CLOSE, PERFECT, WELL, POOR, STEP, CORRELATES = (TOLERANCES[k].value for k in TOLERANCES)

# How the per-seed numbers pair what they compare.
SAME_MODEL = "paired within seed: one model probed on both targets"
SAME_SEED = "paired within seed: models of the same seed (the same draws), one architecture"
ONE_MODEL = "one model per seed, against a level"


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str  # the experiment kind whose tables the check reads
    section: str
    quote: str  # the paper's own words
    quantity: str
    check: Callable[[Tables], pd.DataFrame]  # -> columns seed, architecture, part, value
    bounds: tuple[float, float]  # the value the paper's words imply lies in (lo, hi)
    source: str  # where the bounds come from: "paper: ..." or a TOLERANCES name
    pairing: str
    tables: tuple[str, ...] = ("probes",)


def comparison(lo: float, hi: float) -> str:
    if hi == INF:
        return f"> {lo:g}"
    if lo == -INF:
        return f"< {hi:g}"
    return f"in ({lo:g}, {hi:g})"


# ---- reading the tables -----------------------------------------------------------------------

INDEX = ["seed", "architecture"]


def _acc(t: Tables, pretrain: str, target: str) -> pd.Series:
    df = t["probes"]
    return df[(df.pretrain_dataset == pretrain) & (df.target == target)].set_index(INDEX)["accuracy"]


def _parts(parts: dict[str, pd.Series]) -> pd.DataFrame:
    """Per-seed values of named parts -> the long frame every check returns."""
    frames = [s.rename("value").reset_index().assign(part=name) for name, s in parts.items()]
    return pd.concat(frames, ignore_index=True)[["seed", "architecture", "part", "value"]]


def _one(values: pd.Series) -> pd.DataFrame:
    return _parts({"": values})


def _per_group(df: pd.DataFrame, fn: Callable[[pd.DataFrame], float], by=INDEX) -> pd.Series:
    return df.groupby(by).apply(fn, include_groups=False)


def _slope(df: pd.DataFrame, x: str, y: str) -> float:
    return float(np.polyfit(df[x], df[y], 1)[0])


# ---- fig 2 (section 3.1) ----------------------------------------------------------------------


def _fig2(t):
    return {k: _acc(t, "all", k) for k in ("all", "transforms", "objects", "none")}


def transforms_beat_objects(t):
    a = _fig2(t)
    return _one(a["transforms"] - a["objects"])


def transforms_close_to_all(t):
    a = _fig2(t)
    return _one(a["all"] - a["transforms"])


def objects_as_low_as_none(t):
    a = _fig2(t)
    return _one(a["objects"] - a["none"])


def without_shared_transforms_is_low(t):
    a = _fig2(t)
    return _parts({"D_objects": a["objects"], "D_none": a["none"]})


def _main_effects(t):
    a = _fig2(t)
    transforms = (a["all"] + a["transforms"] - a["objects"] - a["none"]) / 2  # shared T1 vs not
    objects = (a["all"] + a["objects"] - a["transforms"] - a["none"]) / 2  # shared O1 vs not
    return transforms, objects


def transforms_are_the_determining_factor(t):
    return _one(_main_effects(t)[0])


def objects_have_little_impact(t):
    return _one(_main_effects(t)[1])


# ---- order (section 3.1; our design) ----------------------------------------------------------

_T1, _REVERSED, _T2 = ORDER_DATASETS


def order_has_a_small_effect(t):
    return _one(_acc(t, _T1, _T1) - _acc(t, _T1, _REVERSED))


def order_matters_less_than_other_transforms(t):
    return _one(_acc(t, _T1, _REVERSED) - _acc(t, _T1, _T2))


# ---- fig 3 (section 3.2) and its reading in section 4.1 ---------------------------------------

_C, _CO_C, _CO_O, _O = FIG3_DATASETS


def label_change_is_poor(t):
    return _parts({"C+O,Y=C -> Y=O": _acc(t, _CO_C, _CO_O), "C+O,Y=O -> Y=C": _acc(t, _CO_O, _CO_C)})


def pasted_objects_hurt_object_transfer(t):
    return _one(_acc(t, _C, _CO_O) - _acc(t, _CO_C, _CO_O))


def cifar_background_hurts_class_transfer(t):
    return _one(_acc(t, _O, _CO_C) - _acc(t, _CO_O, _CO_C))


def relevance_decides_on_the_same_images(t):
    return _parts(
        {
            "Y=C target": _acc(t, _CO_C, _CO_C) - _acc(t, _CO_O, _CO_C),
            "Y=O target": _acc(t, _CO_O, _CO_O) - _acc(t, _CO_C, _CO_O),
        }
    )


# ---- fig 4 (section 4.1) ----------------------------------------------------------------------


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
    return _per_group(s, lambda g: _slope(g, "x", column) * span)


def class_accuracy_constant_below_alpha_one(t):
    s = _sweep(t["probes"], "alpha", _CO_C)
    return _one(_fitted_change(s[s.x < 1]))


def object_accuracy_increases_steadily(t):
    s = _sweep(t["probes"], "alpha", _CO_O)
    xs = sorted(s.x.unique())
    return _parts({f"alpha {a:g} -> {b:g}": _at(s, b) - _at(s, a) for a, b in zip(xs, xs[1:])})


def object_accuracy_rises_before_alpha_one(t):
    """Steadily, not in one jump at alpha = 1: the rise from alpha 0 to the largest alpha below 1."""
    s = _sweep(t["probes"], "alpha", _CO_O)
    below = sorted(x for x in s.x.unique() if x < 1)
    return _one(_at(s, below[-1]) - _at(s, below[0]))


def class_accuracy_drops_only_at_alpha_one(t):
    s = _sweep(t["probes"], "alpha", _CO_C)
    below = max(x for x in s.x.unique() if x < 1)
    return _one(_at(s, below) - _at(s, 1.0))


def object_accuracy_reaches_100(t):
    return _one(_at(_sweep(t["probes"], "alpha", _CO_O), 1.0))


def class_accuracy_independent_of_beta(t):
    return _one(_fitted_change(_sweep(t["probes"], "beta", _CO_C)))


def object_accuracy_drops_once_beta_positive(t):
    s = _sweep(t["probes"], "beta", _CO_O)
    first = min(x for x in s.x.unique() if x > 0)
    return _one(_at(s, 0.0) - _at(s, first))


def relevance_matters_more_than_availability(t):
    """How much object accuracy changes across the relevance sweep against across the availability sweep.

    Each is the fitted change across its whole sweep (not two end points: alpha = 0 and beta = 1 are one
    model, so end points would only compare the alpha = 1 model with the CIFAR-only one)."""
    relevance = _fitted_change(_sweep(t["probes"], "alpha", _CO_O)).abs()
    availability = _fitted_change(_sweep(t["probes"], "beta", _CO_O)).abs()
    return _one(relevance - availability)


def sensitivity_grows_with_relevance(t):
    return _one(_fitted_change(_sweep(t["sensitivity"], "alpha"), "sensitivity"))


# ---- fig 5 (section 4.2) ----------------------------------------------------------------------

_FIG5 = ("T1", "T2", "T1+T2", "T1oT2")


def single_set_models_do_well_on_their_own(t):
    return _parts({m: _acc(t, m, m) for m in _FIG5[:2]})


def single_set_models_poor_elsewhere(t):
    return _parts({f"{m} -> {x}": _acc(t, m, m) - _acc(t, m, x) for m in _FIG5[:2] for x in _FIG5 if x != m})


def invariance_transfers_between_classes(t):
    return _parts(
        {
            "on D_T1, vs the T2 model": _acc(t, "T1+T2", "T1") - _acc(t, "T2", "T1"),
            "on D_T2, vs the T1 model": _acc(t, "T1+T2", "T2") - _acc(t, "T1", "T2"),
        }
    )


def mixed_model_does_well_on_both(t):
    return _parts({f"on D_{m}": _acc(t, "T1+T2", m) for m in _FIG5[:2]})


def transfer_between_classes_is_not_perfect(t):
    return _parts({f"on D_{m}": _acc(t, m, m) - _acc(t, "T1+T2", m) for m in _FIG5[:2]})


def only_the_concatenation_model_does_well_on_it(t):
    return _parts({m: _acc(t, "T1oT2", "T1oT2") - _acc(t, m, "T1oT2") for m in _FIG5[:3]})


# ---- fig 6 (section 4.3) ----------------------------------------------------------------------

HARD = ("color", "translate", "rotate")  # the paper's three outliers


def _transfer_to(t) -> pd.DataFrame:
    """Mean transfer accuracy to each target from the other single-category models (off the diagonal)."""
    df = t["probes"]
    off = df[df.pretrain_dataset != df.target]
    return off.groupby([*INDEX, "target"])["accuracy"].mean().unstack("target")


def most_targets_are_easy(t):
    """Per pretrained model: the share of the other targets it transfers to above WELL."""
    df = t["probes"]
    off = df[df.pretrain_dataset != df.target].assign(well=lambda d: d.accuracy > WELL)
    share = off.groupby([*INDEX, "pretrain_dataset"])["well"].mean()
    return _parts({m: g.droplevel("pretrain_dataset") for m, g in share.groupby(level="pretrain_dataset")})


def every_model_transfers_well_to_scale(t):
    df = t["probes"]
    to = df[(df.target == "scale") & (df.pretrain_dataset != "scale")]
    return _parts({m: g.set_index(INDEX)["accuracy"] for m, g in to.groupby("pretrain_dataset")})


def each_hard_category_is_an_outlier(t):
    col = _transfer_to(t)
    easy = col[[c for c in col.columns if c not in HARD]].min(axis=1)
    return _parts({h: easy - col[h] for h in HARD if h in col})


def movement_and_rotation_transfer_to_each_other(t):
    parts = {}
    for a, b in (("translate", "rotate"), ("rotate", "translate")):
        parts[f"{a} model: {b} vs color"] = _acc(t, a, b) - _acc(t, a, "color")
        parts[f"to {b}: {a} model vs color model"] = _acc(t, a, b) - _acc(t, "color", b)
    return _parts(parts)


def _ratio(t, model: str, dataset: str) -> pd.Series:
    df = t["l2"]
    return df[(df.model == model) & (df.dataset == dataset)].set_index(INDEX)["l2_ratio"]


_L2_MODELS = (*FIG6B_MODELS, UNTRAINED)


def scale_ratio_high_under_every_model(t):
    return _parts(
        {
            f"{m}: scale vs {d}": _ratio(t, m, "scale") - _ratio(t, m, d)
            for m in _L2_MODELS
            for d in FIG6B_DATASETS
            if d not in ("scale", m)
        }
    )


def _high_only_under_its_model(t, dataset: str) -> pd.DataFrame:
    return _parts({f"vs {m}": _ratio(t, dataset, dataset) - _ratio(t, m, dataset) for m in _L2_MODELS if m != dataset})


def translate_ratio_high_only_under_its_model(t):
    return _high_only_under_its_model(t, "translate")


def color_ratio_high_only_under_its_model(t):
    return _high_only_under_its_model(t, "color")


def l2_ratio_corresponds_to_transfer(t):
    """Spearman correlation, per seed, between l2 ratio and probe accuracy over (model, dataset) cells both measure."""
    l2 = t["l2"].rename(columns={"model": "pretrain_dataset", "dataset": "target"})
    cells = l2.merge(t["probes"], on=[*INDEX, "pretrain_dataset", "target"])
    return _one(_per_group(cells, lambda g: g["l2_ratio"].rank().corr(g["accuracy"].rank())))


# ---- fig 8 (appendix C.1) ---------------------------------------------------------------------


def _nested(t) -> pd.DataFrame:
    df = t["probes"]
    return df.assign(i=df.pretrain_set_size, j=df.target_set_size)  # nested sets: the size orders them


def superset_models_reach_100(t):
    d = _nested(t)
    d = d[d.j <= d.i]
    return _parts({f"T{i} -> T{j}": g.set_index(INDEX)["accuracy"] for (i, j), g in d.groupby(["i", "j"])})


def all_transform_model_near_100_everywhere(t):
    d = _nested(t)
    d = d[d.i == d.i.max()]
    return _parts({f"-> T{j}": g.set_index(INDEX)["accuracy"] for j, g in d.groupby("j")})


def subset_models_considerably_lower(t):
    d = _nested(t)
    superset_models = d[d.j <= d.i].groupby(INDEX)["accuracy"].mean()  # the model saw all the target needs
    subset_models = d[d.j > d.i].groupby(INDEX)["accuracy"].mean()
    return _one(superset_models - subset_models)


def more_invariances_do_not_hurt(t):
    """On each target Tj, its own model against the models of larger sets (i > j), averaged over those cells."""
    d = _nested(t)
    own = d[d.i == d.j].set_index([*INDEX, "j"])["accuracy"]
    larger = d[d.i > d.j].set_index([*INDEX, "j"])["accuracy"]
    gap = (own.reindex(larger.index) - larger).groupby(INDEX).mean()
    return _one(gap)


def lower_the_smaller_the_subset(t):
    """Above the diagonal, the slope of accuracy against the share i/j of the target's categories a model saw."""
    d = _nested(t)
    d = d[d.j > d.i].assign(share=lambda x: x.i / x.j)
    return _one(_per_group(d, lambda g: _slope(g, "share", "accuracy")))


# ---- the claims -------------------------------------------------------------------------------

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
    Claim(
        id="3a",
        kind="fig3",
        section="3.2",
        quote="both models trained on the augmented CIFAR images (X = C + O) perform quite poorly on the same "
        "augmented dataset when the prediction task Y changes",
        quantity="acc(C+O,Y=C -> C+O,Y=O) and acc(C+O,Y=O -> C+O,Y=C)",
        check=label_change_is_poor,
        bounds=(-INF, POOR),
        source="POOR",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="3b",
        kind="fig3",
        section="3.2",
        quote="in fact considerably worse than their counterparts that were trained to predict the same Y, but "
        "not on the augmented CIFAR images [the Y=C model on Y=O]",
        quantity="acc(C,Y=C -> C+O,Y=O) - acc(C+O,Y=C -> C+O,Y=O)",
        check=pasted_objects_hurt_object_transfer,
        bounds=(0, INF),
        source="paper: 'worse' (0; 'considerably' is the paper's word for a 0.11 gap in fig 3)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="3c",
        kind="fig3",
        section="3.2",
        quote="in fact considerably worse than their counterparts that were trained to predict the same Y, but "
        "not on the augmented CIFAR images [the Y=O model on Y=C]",
        quantity="acc(O,Y=O -> C+O,Y=C) - acc(C+O,Y=O -> C+O,Y=C)",
        check=cifar_background_hurts_class_transfer,
        bounds=(0, INF),
        source="paper: 'worse' (0; 'considerably' is the paper's word for a 0.11 gap in fig 3)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="3d",
        kind="fig3",
        section="4.1",
        quote="the two models trained on CIFAR-10 images with objects pasted on them (X = C + O) perform very "
        "differently after fine-tuning at predicting CIFAR-10 classes (Y = C) and object categories (Y = O) "
        "respectively, depending on whether they were pre-trained to predict the CIFAR-10 classes or object categories",
        quantity="per target: acc(model trained on that Y) - acc(model trained on the other Y)",
        check=relevance_decides_on_the_same_images,
        bounds=(CLOSE, INF),
        source="CLOSE ('very differently')",
        pairing=SAME_SEED,
    ),
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
    Claim(
        id="6a",
        kind="fig6",
        section="4.3",
        quote="in general, all models transfer quite well to most of the transformations",
        quantity="per model: the share of the other targets it transfers to above WELL",
        check=most_targets_are_easy,
        bounds=(0.5, INF),
        source="paper: 'most' (more than half); WELL: 'quite well'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="6b",
        kind="fig6",
        section="4.3",
        quote="There are three prominent outliers, however, to which other types of invariances do not seem to "
        "transfer well — color jitter, movement/translation and rotation",
        quantity="per outlier: lowest mean transfer to any other target - mean transfer to it",
        check=each_hard_category_is_an_outlier,
        bounds=(0, INF),
        source="paper: 'outliers'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="6c",
        kind="fig6",
        section="4.3",
        quote="movement and rotation are qualitatively similar and transfer better to each other, but do not "
        "transfer as well to color jitter, and vice versa",
        quantity="translate/rotate models on each other vs on color; color model vs the other on them",
        check=movement_and_rotation_transfer_to_each_other,
        bounds=(0, INF),
        source="paper: 'transfer better'",
        pairing=SAME_SEED,
    ),
    Claim(
        id="6d",
        kind="fig6",
        section="4.3 (fig 6b)",
        quote="The scale transformation is one that all models consistently transfer well to and correspondingly, "
        "its l2-ratio is quite high for every model",
        quantity="under every model: ratio(scale) - ratio(translate), ratio(scale) - ratio(color) (where the model "
        "is not trained for that dataset)",
        check=scale_ratio_high_under_every_model,
        bounds=(0, INF),
        source="paper: 'high for every model', against the datasets called hard",
        pairing=SAME_SEED,
        tables=("l2",),
    ),
    Claim(
        id="6d-transfer",
        kind="fig6",
        section="4.3 (fig 6b)",
        quote="The scale transformation is one that all models consistently transfer well to",
        quantity="acc(model -> scale), every other single-category model",
        check=every_model_transfers_well_to_scale,
        bounds=(WELL, INF),
        source="WELL",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="6e",
        kind="fig6",
        section="4.3 (fig 6b)",
        quote="their l2 ratios are only high for the models specifically trained for them [movement]",
        quantity="ratio(translate) under the translate model - under every other model",
        check=translate_ratio_high_only_under_its_model,
        bounds=(0, INF),
        source="paper: 'only high for the models specifically trained for them'",
        pairing=SAME_SEED,
        tables=("l2",),
    ),
    Claim(
        id="6f",
        kind="fig6",
        section="4.3 (fig 6b)",
        quote="their l2 ratios are only high for the models specifically trained for them [color jitter]",
        quantity="ratio(color) under the color model - under every other model",
        check=color_ratio_high_only_under_its_model,
        bounds=(0, INF),
        source="paper: 'only high for the models specifically trained for them'",
        pairing=SAME_SEED,
        tables=("l2",),
    ),
    Claim(
        id="6g",
        kind="fig6",
        section="4.3 (fig 6b)",
        quote="In general, the value of the l2-ratios corresponds well to the transfer performance of a model to "
        "the respective task",
        quantity="Spearman correlation of l2 ratio and probe accuracy over the (model, dataset) cells of both",
        check=l2_ratio_corresponds_to_transfer,
        bounds=(CORRELATES, INF),
        source="CORRELATES",
        pairing=SAME_SEED,
        tables=("probes", "l2"),
    ),
    Claim(
        id="8a",
        kind="fig8",
        section="C.1",
        quote="Models trained on data with the same set or a superset of transformations as the target dataset "
        "consistently achieve 100% accuracy",
        quantity="acc(Ti -> Tj) for every j <= i",
        check=superset_models_reach_100,
        bounds=(PERFECT, INF),
        source="PERFECT",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="8b",
        kind="fig8",
        section="C.1",
        quote="The model trained on all 8 transformations for instance achieves close to 100% accuracy on all datasets",
        quantity="acc(T8 -> Tj) for every j",
        check=all_transform_model_near_100_everywhere,
        bounds=(PERFECT, INF),
        source="PERFECT",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="8c",
        kind="fig8",
        section="C.1",
        quote="models trained with only a subset of the transformations show considerably lower performance",
        quantity="mean acc(Ti -> Tj, j <= i) - mean acc(Ti -> Tj, j > i)",
        check=subset_models_considerably_lower,
        bounds=(0, INF),
        source="paper: 'lower' (0; as 3b/3c, 'considerably' is not given a margin)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="8e",
        kind="fig8",
        section="C.1",
        quote="This shows that being invariant to more than the necessary transformations does not negatively "
        "impact performance",
        quantity="mean over j < i of acc(Tj -> Tj) - acc(Ti -> Tj)",
        check=more_invariances_do_not_hurt,
        bounds=(-INF, CLOSE),
        source="CLOSE ('does not negatively impact')",
        pairing=SAME_SEED,
    ),
    Claim(
        id="8d",
        kind="fig8",
        section="C.1",
        quote="that decreases the smaller the subset of training transformations is compared to the target task",
        quantity="slope of acc(Ti -> Tj) against i/j over j > i",
        check=lower_the_smaller_the_subset,
        bounds=(0, INF),
        source="paper: 'decreases the smaller the subset'",
        pairing=SAME_SEED,
    ),
)

KINDS = tuple(dict.fromkeys(c.kind for c in CLAIMS))  # the experiment kinds that have claims
VERDICTS = ("holds", "does not hold", "undecided")


# ---- statistics -------------------------------------------------------------------------------


def _t(n: int) -> float:
    from scipy import stats  # here: scipy costs a second to import, and only the claims job needs it

    return float(stats.t.ppf(0.975, n - 1))


SEEDS_LIMIT = 1000


def seeds_to_decide(sd: float, distance: float, limit: int = SEEDS_LIMIT) -> float:
    """The fewest seeds whose expected 95% half-width at spread sd is below distance (inf if none up to limit)."""
    if not sd > 0:
        return 2.0 if distance > 0 else math.inf
    for n in range(2, limit + 1):
        if _t(n) * sd / math.sqrt(n) < distance:
            return float(n)
    return math.inf


def verdict(values, bounds: tuple[float, float]) -> dict:
    """Mean, 95% t-interval over seeds, seeds inside the bounds, the verdict and the seeds that would decide it."""
    v = np.asarray(values, dtype=float)
    lo, hi = bounds
    n, mean = len(v), float(v.mean()) if len(v) else math.nan
    inside = int(((v > lo) & (v < hi)).sum())
    if n < 2:
        return {
            "mean": mean,
            "ci_low": math.nan,
            "ci_high": math.nan,
            "n_seeds": n,
            "seeds_agreeing": inside,
            "verdict": "undecided",
            "margin": -math.inf,
            "seeds_needed": math.nan,
        }
    sd = float(v.std(ddof=1))
    half = _t(n) * sd / math.sqrt(n)
    ci_low, ci_high = mean - half, mean + half
    if lo < ci_low and ci_high < hi:
        result = "holds"
    elif ci_high <= lo or ci_low >= hi:
        result = "does not hold"
    else:
        result = "undecided"
    # The distance an interval must clear to decide either way: from the mean to the nearest bound.
    distance = min(abs(mean - b) for b in bounds if math.isfinite(b))
    margin = min(ci_low - lo, hi - ci_high)  # > 0: inside with room; the part closest to failing has the least
    return {
        "mean": mean,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "n_seeds": n,
        "seeds_agreeing": inside,
        "verdict": result,
        "margin": margin,
        "seeds_needed": seeds_to_decide(sd, distance) if result == "undecided" else math.nan,
    }


def _combine(parts: list[dict]) -> dict:
    """A claim's verdict from its parts, reported through the part that decides it.

    Does not hold: the failing part furthest outside. Holds: the part with the least room. Undecided: the
    undecided part that needs the most seeds (its mean, interval and seeds needed are the row's).
    """
    verdicts = {p["verdict"] for p in parts}
    if "does not hold" in verdicts:
        return min((p for p in parts if p["verdict"] == "does not hold"), key=lambda p: p["margin"])
    if verdicts == {"holds"}:
        return min(parts, key=lambda p: p["margin"])
    undecided = [p for p in parts if p["verdict"] == "undecided"]
    # One seed decides nothing and cannot say how many would (NaN); that part is shown then.
    return max(undecided, key=lambda p: math.inf if math.isnan(p["seeds_needed"]) else p["seeds_needed"])


def evaluate(experiment_tables: dict[str, Tables], kinds: dict[str, str], claims=CLAIMS) -> pd.DataFrame:
    """One row per claim, experiment and architecture.

    experiment_tables: experiment name -> its tables; kinds: experiment name -> its kind.
    """
    rows = []
    for experiment, tables in experiment_tables.items():
        for c in claims:
            if c.kind != kinds[experiment] or not set(c.tables) <= set(tables):
                continue
            values = c.check(tables)
            for arch, g in values.groupby("architecture", sort=True) if len(values) else [("", values)]:
                # A value is missing where one side of a comparison has no row (a seed without that probe).
                missing, g = int(g["value"].isna().sum()), g.dropna(subset=["value"])
                parts = [
                    {
                        "part": part,
                        "seeds": p["seed"].astype(int).tolist(),
                        "values": p["value"].astype(float).tolist(),
                        **verdict(p["value"].to_numpy(), c.bounds),
                    }
                    for part, p in (g.sort_values("seed").groupby("part", sort=False) if len(g) else [])
                ]
                shown = (
                    _combine(parts)
                    if parts
                    else {"part": "no data", "seeds": [], "values": [], **verdict(np.array([]), c.bounds)}
                )
                rows.append(
                    {
                        "claim": c.id,
                        "experiment": experiment,
                        "kind": c.kind,
                        "section": c.section,
                        "quote": c.quote,
                        "quantity": c.quantity,
                        "lower": c.bounds[0],
                        "upper": c.bounds[1],
                        "comparison": comparison(*c.bounds),
                        "source": c.source,
                        "pairing": c.pairing,
                        "architecture": arch,
                        "parts": len(parts),
                        "missing_values": missing,
                        **shown,
                    }
                )
    return pd.DataFrame(rows)


def draws(experiment_tables: dict[str, Tables]) -> pd.DataFrame:
    """Per experiment and seed, the transformation categories each synthetic dataset drew (why seeds differ)."""
    rows = []
    for experiment, tables in experiment_tables.items():
        df = tables.get("probes")
        if df is None or "target_categories" not in df:
            continue
        for r in df.drop_duplicates(["seed", "target"]).itertuples():
            if len(r.target_categories):
                rows.append(
                    {
                        "experiment": experiment,
                        "seed": r.seed,
                        "dataset": r.target,
                        "categories": list(r.target_categories),
                    }
                )
    return pd.DataFrame(rows, columns=["experiment", "seed", "dataset", "categories"])


def _md(text: str) -> str:
    return text.replace("|", "\\|")  # a table cell


def _missing(n: int) -> str:
    return f" ({n} values missing)" if n else ""


def _cell(x: float) -> str:
    if math.isnan(x):
        return ""
    return f"> {SEEDS_LIMIT}" if math.isinf(x) else f"{x:.0f}"


def to_markdown(df: pd.DataFrame, scale: str, assets: str, drawn: pd.DataFrame | None = None) -> str:
    counts = df["verdict"].value_counts() if len(df) else pd.Series(dtype=int)
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS)
    experiments = list(df["experiment"].unique()) if len(df) else []
    lines = [
        f"# Reproduction verdict: scale {scale}, assets {assets}; experiments {', '.join(experiments) or 'none'}",
        "",
        f"**{summary}** ({len(df)} rows: {df['claim'].nunique() if len(df) else 0} claims x architectures).",
        "",
        "Each row: a statement of the paper in its own words, the quantity that tests it per seed, the interval "
        "the words put it in, and the verdict. Per seed, then the mean and 95% t-interval over seeds: *holds* "
        "when the whole interval is inside the bounds, *does not hold* when it is wholly outside, *undecided* "
        "otherwise. A claim about several things (parts) holds when every part holds; the row shows the part "
        "that decides it. 'seeds needed': for an undecided claim, the seeds at which the expected interval at "
        "the observed spread would be narrower than the mean's distance from the bound.",
        "",
        "## Bounds this project chose",
        "",
        "Where the paper's words imply a margin or a level but give no number. Bounds marked 'paper' follow from "
        "the words alone ('better' is above 0).",
        "",
        "| name | value | the paper's words | why |",
        "|---|---|---|---|",
        *(f"| {k} | {t.value:g} | {t.words} | {t.why} |" for k, t in TOLERANCES.items()),
    ]
    for section, g in df.groupby("section", sort=False) if len(df) else ():
        lines += [
            "",
            f"## Section {section}",
            "",
            "| claim | experiment | the paper | architecture | quantity | part | per seed | mean [95% CI] | claimed "
            "| bound from | pairing | seeds inside | verdict | seeds needed |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in g.itertuples():
            ci = "" if not math.isfinite(r.ci_low) else f" [{r.ci_low:+.3f}, {r.ci_high:+.3f}]"
            per_seed = ", ".join(f"s{s}: {v:+.3f}" for s, v in zip(r.seeds, r.values))
            lines.append(
                f'| {r.claim} | {r.experiment} | "{_md(r.quote)}" | {r.architecture} | {_md(r.quantity)} | '
                f"{r.part or '-'} "
                f"({r.parts} part{'s' if r.parts > 1 else ''}) | {per_seed} | {r.mean:+.3f}{ci} | {r.comparison} | "
                f"{r.source} | {r.pairing} | {r.seeds_agreeing}/{r.n_seeds}{_missing(r.missing_values)} | "
                f"**{r.verdict}** | {_cell(r.seeds_needed)} |"
            )
    if drawn is not None and len(drawn):
        lines += [
            "",
            "## What each seed drew",
            "",
            "Transformation categories of each synthetic dataset, per seed.",
            "",
            "| experiment | seed | datasets |",
            "|---|---|---|",
        ]
        for (experiment, seed), g in drawn.groupby(["experiment", "seed"], sort=True):
            cells = "; ".join(f"{r.dataset}: {'+'.join(r.categories)}" for r in g.itertuples())
            lines.append(f"| {experiment} | {seed} | {cells} |")
    return "\n".join(lines) + "\n"
