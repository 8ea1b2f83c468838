"""The paper's claims, each checked against the computed Parquet tables, as the paper words them.

A claim belongs to an experiment *kind* (fig2, fig3, ...): every experiment of that kind in a
config gets its claims, whatever it is called. Its check is a pure function from that
experiment's tables to one number per seed, architecture and *part* (for example, probe
accuracy on D_transforms minus on D_objects). A claim about several things at once ("each of
colour, movement and rotation is an outlier", "every model") has one part per thing.

The paper's words say where each number must lie: ``bounds = (lo, hi)``. "Above" is (0, inf),
"close to" is (-inf, CLOSE), "similarly" and "little impact" are (-CLOSE, CLOSE), "100%" is a
level (PERFECT, inf). Where the words imply a margin or a level but give no number, the number
is this project's and named in ``TOLERANCES``; claims.md prints each with its source and, in its
sensitivity table, every verdict again at half and one and a half times each.

How a verdict is reached from the per-seed numbers (the planned looks, the repeated intervals, the
models a claim presupposes, multi-part claims) is ``decide`` below; docs/verdict.md states the design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from invariance import regime, sequential
from invariance.experiments import FIG3_DATASETS, FIG6B_DATASETS, FIG6B_MODELS, ORDER_DATASETS, UNTRAINED

Tables = dict[str, pd.DataFrame]  # one experiment's tables: "probes" | "training" | "l2" | "sensitivity" -> table
INF = math.inf


@dataclass(frozen=True)
class Tolerance:
    """A number this project chose: a margin from a reference (0 for a difference, 1.0 for an accuracy)."""

    margin: float
    reference: float
    words: str  # the paper's words it stands for
    source: str  # where the number comes from, truthfully


# Numbers this project chose where the paper's words imply a margin or a level but state none. The ICLR
# text gives no accuracies, spreads or error bars (its figures carry them, aggregated over 10 runs), so
# none of these is read off the paper; where a number comes from the authors' later notebooks, it says so.
TOLERANCES = {
    "CLOSE": Tolerance(
        0.10,
        0.0,
        '"close to", "similarly", "little impact", "small effect", "slightly", "very differently", '
        '"the determining factor", "poorly on all other", "does not negatively impact", "quickly takes a hit", '
        '"increases steadily" (the rise before alpha 1)',
        "ours: 10 accuracy points; twice the largest seed-to-seed standard deviation (0.05) in the authors' "
        "later notebooks (TMLR version, ResNet-18, 10 seeds; docs/reproduction.md, 'Reference numbers'), "
        "not in the ICLR text",
    ),
    "PERFECT": Tolerance(
        0.05,
        1.0,
        '"100%", "close to 100%"',
        "ours: 0.95, i.e. 5 points below the paper's 100% for what a model near 100% still misses on a finite "
        "test split (binomial noise on the quick scale's 1000 images is 0.016 at 0.5, less near 1)",
    ),
    "WELL": Tolerance(
        0.20,
        1.0,
        '"perform well", "transfer quite well", "high in general"',
        "ours: 0.8; the ICLR text gives no number for 'well' (its figures do); in the authors' later notebooks the "
        "fig-3 transfers the text contrasts with 'quite poorly' are 0.80-1.00",
    ),
    "POOR": Tolerance(
        0.40,
        1.0,
        '"perform quite poorly"',
        "ours: 0.6; in the authors' later notebooks the fig-3 transfers the text calls 'quite poorly' are 0.53 "
        "and 0.24 (docs/reproduction.md, 'Reference numbers'); the ICLR text gives no number",
    ),
    "STEP": Tolerance(
        0.03,
        0.0,
        '"increases steadily"',
        "ours: no step between adjacent alphas falls by more than 0.03, twice the binomial noise of one accuracy "
        "on the quick scale's 1000 test images (0.016 at 0.5)",
    ),
    "CORRELATES": Tolerance(
        0.50,
        0.0,
        '"corresponds well"',
        "ours: a Spearman rank correlation of 0.5 or more between l2 ratio and transfer accuracy; the text names "
        "no statistic",
    ),
}
FACTORS = (0.5, 1.5)  # the sensitivity table: every verdict again with one tolerance's margin times these


@dataclass(frozen=True)
class Level:
    """A bound set by a chosen tolerance: reference + sign * margin, resolved when a verdict is computed."""

    name: str
    sign: int = 1

    def __neg__(self) -> Level:
        return Level(self.name, -self.sign)

    def at(self, factors: dict[str, float]) -> float:
        t = TOLERANCES[self.name]
        return t.reference + self.sign * t.margin * factors.get(self.name, 1.0)


CLOSE, STEP, CORRELATES = Level("CLOSE"), Level("STEP"), Level("CORRELATES")
PERFECT, WELL, POOR = Level("PERFECT", -1), Level("WELL", -1), Level("POOR", -1)  # levels below 1.0


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
    bounds: tuple[float | Level, float | Level]  # the value the paper's words imply lies in (lo, hi)
    source: str  # where the bounds come from: "paper: ..." or a TOLERANCES name
    pairing: str
    tables: tuple[str, ...] = ("probes",)

    def resolved(self, factors: dict[str, float] | None = None) -> tuple[float, float]:
        """The bounds as numbers, with the named tolerances' margins scaled by ``factors``."""
        return tuple(b.at(factors or {}) if isinstance(b, Level) else float(b) for b in self.bounds)

    @property
    def tolerances(self) -> tuple[str, ...]:
        """The chosen numbers this claim's bounds rest on."""
        return tuple(dict.fromkeys(b.name for b in self.bounds if isinstance(b, Level)))


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


def surplus_invariance_hampers_severely(t):
    return _parts(
        {
            "Y=O target: C,Y=C vs C+O,Y=C model": _acc(t, _C, _CO_O) - _acc(t, _CO_C, _CO_O),
            "Y=C target: O,Y=O vs C+O,Y=O model": _acc(t, _O, _CO_C) - _acc(t, _CO_O, _CO_C),
        }
    )


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


def relevance_and_availability_both_play_a_role(t):
    """Object accuracy rises across the relevance sweep and falls across the availability sweep (fitted changes)."""
    return _parts(
        {
            "relevance: change across alpha": _fitted_change(_sweep(t["probes"], "alpha", _CO_O)),
            "availability: minus the change across beta": -_fitted_change(_sweep(t["probes"], "beta", _CO_O)),
        }
    )


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


def transfer_is_high_in_general(t):
    """The mean over every off-diagonal cell of the single-category transfer matrix."""
    df = t["probes"]
    return _one(df[df.pretrain_dataset != df.target].groupby(INDEX)["accuracy"].mean())


def _most_reach(accuracies: pd.Series) -> float:
    """The accuracy more than half of them reach: above a level exactly when most of them are."""
    return float(np.sort(accuracies.to_numpy())[::-1][len(accuracies) // 2])


def most_targets_are_easy(t):
    """Per pretrained model: the accuracy that more than half of the other targets reach."""
    df = t["probes"]
    off = df[df.pretrain_dataset != df.target]
    most = off.groupby([*INDEX, "pretrain_dataset"])["accuracy"].apply(_most_reach)
    return _parts({m: g.droplevel("pretrain_dataset") for m, g in most.groupby(level="pretrain_dataset")})


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


def one_missing_invariance_costs_a_lot(t):
    """On each target Tj (j >= 2): its own model against the model that lacks only Tj's last category."""
    d = _nested(t).set_index([*INDEX, "i", "j"])["accuracy"]
    sizes = sorted(d.index.get_level_values("j").unique())
    parts = {}
    for j in sizes[1:]:
        own = d.xs((j, j), level=("i", "j"))
        short = d.xs((j - 1, j), level=("i", "j"))
        parts[f"on T{j}: T{j} vs T{j - 1} model"] = own - short
    return _parts(parts)


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
        source="paper: 'worse' (0; the text gives 'considerably' no number, so it gets no margin)",
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
        source="paper: 'worse' (0; the text gives 'considerably' no number, so it gets no margin)",
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
        id="3e",
        kind="fig3",
        section="3.2",
        quote="when representations exhibit an invariance to a feature that is needed in a downstream task, it "
        "severely hampers their utility for that task",
        quantity="per target: acc(model not trained on C+O) - acc(model trained on C+O for the other Y)",
        check=surplus_invariance_hampers_severely,
        bounds=(CLOSE, INF),
        source="CLOSE ('severely': more than a small effect)",
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
        quantity="per model: the accuracy more than half of the other targets reach (above WELL exactly when most "
        "targets are)",
        check=most_targets_are_easy,
        bounds=(WELL, INF),
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
        id="6h",
        kind="fig6",
        section="4.3",
        quote="the transfer performances here are high in general because there is only one transformation per dataset",
        quantity="mean accuracy over every off-diagonal cell (model of one category on another category's data)",
        check=transfer_is_high_in_general,
        bounds=(WELL, INF),
        source="WELL ('high in general'; the 'because' compares with other experiments and is not checked)",
        pairing=SAME_SEED,
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
        source="paper: 'lower' (0; as 3b/3c, 'considerably' gets no margin)",
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
    Claim(
        id="8f",
        kind="fig8",
        section="C.1",
        quote="if any required invariances are missing in the representations, a models' performance quickly "
        "takes a hit",
        quantity="per target Tj (j >= 2): acc(Tj -> Tj) - acc(T(j-1) -> Tj), one category missing",
        check=one_missing_invariance_costs_a_lot,
        bounds=(CLOSE, INF),
        source="CLOSE ('quickly takes a hit': one missing category already costs more than a small effect)",
        pairing=SAME_SEED,
    ),
)

KINDS = tuple(dict.fromkeys(c.kind for c in CLAIMS))  # the experiment kinds that have claims
VERDICTS = ("holds", "does not hold", "undecided", "out of regime")
# A look tests a claim only if at least this share of its seeds (and 2) have every model the claim
# presupposes in regime (regime.IN_REGIME); otherwise the row is out of regime at that look.
MIN_SHARE_IN_REGIME = 0.5


# ---- statistics -------------------------------------------------------------------------------


def _interval(v: np.ndarray, tail: float) -> tuple[float, float, float]:
    """Mean and the two-sided interval whose each side has the one-sided ``tail`` (t on n - 1 df)."""
    mean = float(v.mean())
    half = sequential.t_critical(tail, len(v)) * float(v.std(ddof=1)) / math.sqrt(len(v)) if len(v) > 1 else INF
    return mean, mean - half, mean + half


def _part_at_look(v: np.ndarray, bounds: tuple[float, float], hold_tail: float, fail_tail: float) -> dict:
    lo, hi = bounds
    mean, ci_low, ci_high = _interval(v, hold_tail)
    _, f_low, f_high = _interval(v, fail_tail)
    holds = lo < ci_low and ci_high < hi
    fails = f_high <= lo or f_low >= hi
    return {
        "mean": mean,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "n_used": len(v),
        "verdict": "holds" if holds else "does not hold" if fails else "undecided",
        # > 0: inside with room; the part closest to failing has the least
        "margin": min(ci_low - lo, hi - ci_high),
    }


def _shown(parts: dict[str, dict]) -> tuple[str, dict]:
    """The part that decides the row: the failing part furthest outside, else the part with the least room."""
    failing = {k: p for k, p in parts.items() if p["verdict"] == "does not hold"}
    return min((failing or parts).items(), key=lambda kv: kv[1]["margin"])


def decide(
    parts: dict[str, pd.Series],
    usable: set[int],
    bounds: tuple[float, float],
    looks: tuple[int, ...],
    seeds_run: int | None = None,
    exclude: bool = True,
) -> dict:
    """One row's verdict under the group-sequential design (docs/verdict.md).

    parts: per part, the value per seed (index: seed; NaN or absent where a seed has none); usable: the seeds
    whose presupposed models are all in regime; seeds_run: how many seeds (0..n-1) the experiment has run
    (default: up to the largest seed with a value); exclude: leave the other seeds out of the values (not for
    a claim that measures the models' own task, where that would select on the outcome).

    At each planned look reached, in order: *out of regime* if fewer than MIN_SHARE_IN_REGIME of its seeds
    are usable (final: more seeds at a budget where most models fail answer a question of regime, not of the
    claim); *undecided* if fewer than 2 are; otherwise each part's repeated interval at the look's
    alpha-spending boundary. The row holds when every part's interval is inside the bounds (each at alpha:
    an intersection-union test; a part with fewer than 2 values keeps the row undecided), does not hold
    when any part's interval at alpha / parts is wholly outside (Bonferroni over every part, so that the
    claim's false failure rate stays at alpha), and the first look that decides is the row's verdict.
    Undecided at the last look reached is final when that look is the last planned one.
    """
    if seeds_run is None:
        seeds_run = max((int(s.dropna().index.max()) + 1 for s in parts.values() if s.notna().any()), default=0)
    reached = [k for k, n in enumerate(looks) if n <= seeds_run]
    if reached:
        hold_tails = sequential.nominal(tuple(looks))
        fail_tails = sequential.nominal(tuple(looks), sequential.ALPHA / max(len(parts), 1))
    empty = {"part": "", "mean": math.nan, "ci_low": math.nan, "ci_high": math.nan, "margin": -INF}
    state: dict = {"verdict": "undecided", "look": 0, "seeds_at_look": 0, "n_used": 0, **empty}
    for k in reached:
        n = looks[k]
        use = [s for s in range(n) if s in usable]
        state = {**state, **empty, "look": k + 1, "seeds_at_look": n, "n_used": len(use)}
        if len(use) < MIN_SHARE_IN_REGIME * n:
            state["verdict"] = "out of regime"
            break
        seeds = use if exclude else list(range(n))
        values = {name: s.reindex(seeds).dropna().to_numpy(float) for name, s in parts.items()}
        judged = {
            name: _part_at_look(v, bounds, hold_tails[k], fail_tails[k]) for name, v in values.items() if len(v) >= 2
        }
        verdicts = {p["verdict"] for p in judged.values()}
        if "does not hold" in verdicts:
            verdict = "does not hold"
        elif judged and verdicts == {"holds"} and len(judged) == len(parts):
            verdict = "holds"
        else:
            verdict = "undecided"  # a part undecided, or one with fewer than 2 values: not shown to hold
        if judged:
            part, shown = _shown(judged)
            state = {**state, **shown, "part": part, "n_used": min(p["n_used"] for p in judged.values())}
        state["verdict"] = verdict
        if verdict != "undecided":
            break
    state["final"] = state["verdict"] != "undecided" or not reached or reached[-1] == len(looks) - 1
    state["looks_planned"] = list(looks)
    return state


def _regime_note(models: list[str], seeds: list[int], last: pd.DataFrame) -> str:
    """The presupposed models below regime.IN_REGIME, with their seeds and own-task accuracies."""
    below = last[(last.pretrain_dataset.isin(models)) & (last.test_accuracy < regime.IN_REGIME)]
    below = below[below.seed.isin(seeds)].sort_values(["pretrain_dataset", "seed"])
    return "; ".join(
        f"{d} ({', '.join(f's{r.seed} {r.test_accuracy:.2f}' for r in g.itertuples())})"
        for d, g in below.groupby("pretrain_dataset", sort=False)
    )


@dataclass(frozen=True)
class Measured:
    """One claim on one experiment and architecture: its per-seed values and the seeds in regime."""

    claim: Claim
    experiment: str
    architecture: str
    parts: dict[str, pd.Series]  # part -> value per seed
    seeds_run: int  # the experiment's seeds, 0..n-1 (a seed may lack a value)
    usable: frozenset[int]  # seeds whose presupposed models are all in regime
    own_task: bool  # it reads models on their own pretraining data: every seed counts (regime.reads_own_task)
    looks: tuple[int, ...]
    presupposes: list[str]
    missing: int
    regime_note: str


def measure(
    experiment_tables: dict[str, Tables],
    kinds: dict[str, str],
    looks: dict[str, tuple[int, ...]] | None = None,
    claims=CLAIMS,
) -> list[Measured]:
    """Every claim's per-seed values on every experiment of its kind, and which seeds are in regime.

    experiment_tables: experiment name -> its tables (a training table decides which seeds are in regime;
    without one, every model counts as in regime); kinds: experiment name -> its kind; looks: experiment
    name -> its planned looks (default: one look at the seeds present).
    """
    out = []
    for experiment, tables in experiment_tables.items():
        last = regime.last_epochs(tables["training"]) if "training" in tables else None
        # The experiment's seeds, 0..n-1, from its tables (a claim's own values may lack the last ones).
        seeds_run = max((int(t["seed"].max()) + 1 for t in tables.values() if "seed" in t and len(t)), default=0)
        for c in claims:
            if c.kind != kinds[experiment] or not set(c.tables) <= set(tables):
                continue
            values = c.check(tables)
            models = regime.presupposed(c.check, tables)
            own_task = regime.reads_own_task(c.check, tables)
            for arch, g in values.groupby("architecture", sort=True) if len(values) else [("", values)]:
                # A value is missing where one side of a comparison has no row (a seed without that probe).
                missing = int(g["value"].isna().sum())
                seeds = list(range(seeds_run))
                arch_last = None if last is None else last[last.architecture == arch]
                out.append(
                    Measured(
                        claim=c,
                        experiment=experiment,
                        architecture=arch,
                        parts={
                            part: p.set_index("seed")["value"].astype(float)
                            for part, p in g.groupby("part", sort=False)
                        },
                        seeds_run=seeds_run,
                        usable=frozenset(seeds if arch_last is None else regime.usable_seeds(arch_last, models, seeds)),
                        own_task=own_task,
                        looks=tuple((looks or {}).get(experiment) or (max(seeds_run, 1),)),
                        presupposes=models,
                        missing=missing,
                        regime_note="" if arch_last is None else _regime_note(models, seeds, arch_last),
                    )
                )
    return out


def judge(measured: list[Measured], factors: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per measured claim: its verdict, with the named tolerances' margins scaled by ``factors``."""
    rows = []
    for m in measured:
        c = m.claim
        bounds = c.resolved(factors)
        shown = decide(m.parts, set(m.usable), bounds, m.looks, m.seeds_run, exclude=not m.own_task)
        values = m.parts.get(shown["part"], next(iter(m.parts.values()), pd.Series(dtype=float)))
        at_look = values[values.index < max(shown["seeds_at_look"], 1)].dropna()
        rows.append(
            {
                "claim": c.id,
                "experiment": m.experiment,
                "kind": c.kind,
                "section": c.section,
                "quote": c.quote,
                "quantity": c.quantity,
                "lower": bounds[0],
                "upper": bounds[1],
                "comparison": comparison(*bounds),
                "source": c.source,
                "tolerances": list(c.tolerances),
                "pairing": c.pairing,
                "architecture": m.architecture,
                "parts": len(m.parts),
                "missing_values": m.missing,
                "presupposes": m.presupposes,
                "seeds": [int(s) for s in at_look.index],
                "values": [float(v) for v in at_look],
                "in_regime": [int(s) in m.usable for s in at_look.index],
                "all_seeds_counted": m.own_task,
                "mean_all_seeds": float(at_look.mean()) if len(at_look) else math.nan,
                "regime_note": m.regime_note,
                **shown,
            }
        )
    return pd.DataFrame(rows)


def evaluate(experiment_tables: dict[str, Tables], kinds: dict[str, str], looks=None, claims=CLAIMS) -> pd.DataFrame:
    """One row per claim, experiment and architecture (``measure``, then ``judge``)."""
    return judge(measure(experiment_tables, kinds, looks, claims))


def sensitivity(measured: list[Measured]) -> pd.DataFrame:
    """Every row resting on a chosen tolerance, its verdict again with that margin times each of FACTORS."""
    frames = []
    for name in sorted({t for m in measured for t in m.claim.tolerances}):
        resting = [m for m in measured if name in m.claim.tolerances]
        out = judge(resting)[["claim", "experiment", "architecture", "verdict"]].assign(tolerance=name)
        for f in FACTORS:
            out[f"verdict_x{f:g}"] = judge(resting, {name: f})["verdict"].to_numpy()
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=["claim", "experiment", "architecture", "verdict", "tolerance", "rests_on_it"])
    df = pd.concat(frames, ignore_index=True)
    df["rests_on_it"] = df[[f"verdict_x{f:g}" for f in FACTORS]].ne(df["verdict"], axis=0).any(axis=1)
    return df


def expected_false_decisions(df: pd.DataFrame) -> float:
    """At most ALPHA per testable row (not out of regime): the rate of a wrong decision with the truth at a bound."""
    return sequential.ALPHA * int((df["verdict"] != "out of regime").sum()) if len(df) else 0.0


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


def design_lines(looks: dict[str, tuple[int, ...]]) -> list[str]:
    """The verdict's design, as fixed in code before any data: said at the top of every verdict file."""
    plans = "; ".join(
        f"{e}: {', '.join(map(str, p))} seeds (boundaries {', '.join(f'{z:.2f}' for z in sequential.z_bounds(p))})"
        if len(p) > 1
        else f"{e}: {p[0]} seed{'s' if p[0] > 1 else ''}"
        for e, p in looks.items()
    )
    return [
        "**Design** (fixed in code before the data; docs/verdict.md). Each row is judged at the planned looks "
        f"({plans}), in order, on the seeds whose models the claim presupposes all learned their own task "
        f"(own-task test accuracy >= {regime.IN_REGIME}); a look with fewer than {MIN_SHARE_IN_REGIME:.0%} of its "
        "seeds so is *out of regime* (a claim that reads models on their own task counts every seed). "
        "At a look, each part's repeated t-interval uses the look's "
        f"O'Brien-Fleming alpha-spending boundary ({sequential.ALPHA} per side over all looks, z boundaries above, "
        "carried to t at the same tail): *holds* when every part's interval lies inside the bounds, *does not "
        "hold* when some part's interval at alpha / parts lies wholly outside, *undecided* otherwise; the first "
        "look that decides is the verdict, and undecided at the last look is final. Seeds past a look are built "
        "only for experiments with undecided rows there.",
    ]


def to_markdown(
    df: pd.DataFrame,
    scale: str,
    assets: str,
    looks: dict[str, tuple[int, ...]],
    drawn: pd.DataFrame | None = None,
    sensitive: pd.DataFrame | None = None,
) -> str:
    counts = df["verdict"].value_counts() if len(df) else pd.Series(dtype=int)
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS)
    experiments = list(df["experiment"].unique()) if len(df) else []
    testable = int(len(df) - counts.get("out of regime", 0))
    lines = [
        f"# Reproduction verdict: scale {scale}, assets {assets}; experiments {', '.join(experiments) or 'none'}",
        "",
        f"**{summary}** ({len(df)} rows: {df['claim'].nunique() if len(df) else 0} claims x architectures).",
        "",
        f"Expected false decisions among the {testable} testable rows: at most {expected_false_decisions(df):.2f} "
        f"({sequential.ALPHA} per row, the rate with the truth at a claim's bound, less where it is further; for "
        "seeds that spread about normally, as measured in docs/verdict.md, which also says where it is more).",
        "",
        *design_lines(looks),
        "",
        "## Bounds this project chose",
        "",
        "Where the paper's words imply a margin or a level but give no number. Bounds marked 'paper' follow from "
        "the words alone ('better' is above 0). The sensitivity table below gives every verdict that rests on one "
        f"of these again at {' and '.join(f'{f:g}' for f in FACTORS)} times its margin.",
        "",
        "| name | value | the paper's words | source |",
        "|---|---|---|---|",
        *(
            f"| {k} | {Level(k, 1 if t.reference == 0 else -1).at({}):g} | {t.words} | {t.source} |"
            for k, t in TOLERANCES.items()
        ),
    ]
    for section, g in df.groupby("section", sort=False) if len(df) else ():
        lines += [
            "",
            f"## Section {section}",
            "",
            "| claim | experiment | the paper | architecture | quantity | part | per seed | mean [repeated CI] "
            "| all seeds | claimed | bound from | pairing | presupposes | look | verdict |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in g.itertuples():
            judged = r.verdict != "out of regime" and math.isfinite(r.ci_low)
            estimate = f"{r.mean:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}] ({r.n_used} seeds)" if judged else ""
            per_seed = ", ".join(
                f"s{s}: {v:+.3f}" + ("" if ok or r.all_seeds_counted else "*")
                for s, v, ok in zip(r.seeds, r.values, r.in_regime)
            )
            look = f"{r.look} of {len(r.looks_planned)} ({r.seeds_at_look} seeds)" if r.look else "-"
            verdict = r.verdict + ("" if r.final else ", more seeds planned")
            note = f" ({r.regime_note})" if r.verdict == "out of regime" and r.regime_note else ""
            lines.append(
                f'| {r.claim} | {r.experiment} | "{_md(r.quote)}" | {r.architecture} | {_md(r.quantity)} | '
                f"{_md(r.part) or '-'} ({r.parts} part{'s' if r.parts > 1 else ''}) | {per_seed} | {estimate} | "
                f"{r.mean_all_seeds:+.3f} | {r.comparison} | {r.source} | {r.pairing} | "
                f"{', '.join(r.presupposes) or '-'}{note} | {look}{_missing(r.missing_values)} | **{verdict}** |"
            )
    lines += [
        "",
        "'*' after a seed's value: a presupposed model of that seed is below the regime threshold, and the verdict "
        "leaves that seed out (not for a claim that reads models on their own task, where every seed counts). "
        "'all seeds': the mean over every seed of the look, those included.",
    ]
    if sensitive is not None and len(sensitive):
        rest = sensitive[sensitive.rests_on_it]
        cols = [f"verdict_x{f:g}" for f in FACTORS]
        lines += [
            "",
            "## Sensitivity to the chosen numbers",
            "",
            f"Of {len(sensitive)} verdicts resting on a chosen tolerance, {len(rest)} change when its margin is "
            f"times {' or '.join(f'{f:g}' for f in FACTORS)}:",
            "",
            "| claim | experiment | architecture | tolerance | verdict | "
            + " | ".join(f"x{f:g}" for f in FACTORS)
            + " |",
            "|---|---|---|---|---|" + "---|" * len(FACTORS),
            *(
                f"| {r['claim']} | {r['experiment']} | {r['architecture']} | {r['tolerance']} | {r['verdict']} | "
                + " | ".join(r[c] for c in cols)
                + " |"
                for _, r in rest.iterrows()
            ),
        ]
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
