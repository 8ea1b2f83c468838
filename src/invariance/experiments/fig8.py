"""Fig 8 (appendix C.1): nested transformation sets T1 in T2 ... in Tn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from invariance.claims import CLOSE, INDEX, INF, ONE_MODEL, PERFECT, SAME_SEED, Claim, one, parts, per_group, slope
from invariance.experiments.common import Design, ExperimentKind, objects, pool, sizes, transforms2d
from invariance.seeding import derive_seed
from invariance.transforms2d.render import Group


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """Nested sets T1 in T2 ... in Tn (every category of the pool) along a random order; T1 is a fig 6 dataset."""
    shown, shape = objects(seed, config["experiments"][experiment]["objects"]), sizes(config, scale, "transforms2d")
    categories = pool(config)
    rng = np.random.default_rng(derive_seed(experiment, seed))
    order = [categories[i] for i in rng.permutation(len(categories))]
    names = [f"T{i}" for i in range(1, len(order) + 1)]
    datasets = {n: transforms2d((Group(shown, tuple(order[:i])),), shape, seed) for i, n in enumerate(names, 1)}
    values = {n: {"set_size": i} for i, n in enumerate(names, 1)}
    return Design(datasets, pretrain_on=tuple(names), probe_on=tuple(names), values=values)


# ---- claims --------------------------------------------------------------------------------------


def _nested(t) -> pd.DataFrame:
    df = t["probes"]
    return df.assign(i=df.pretrain_set_size, j=df.target_set_size)  # nested sets: the size orders them


def superset_models_reach_100(t):
    d = _nested(t)
    d = d[d.j <= d.i]
    return parts({f"T{i} -> T{j}": g.set_index(INDEX)["accuracy"] for (i, j), g in d.groupby(["i", "j"])})


def all_transform_model_near_100_everywhere(t):
    d = _nested(t)
    d = d[d.i == d.i.max()]
    return parts({f"-> T{j}": g.set_index(INDEX)["accuracy"] for j, g in d.groupby("j")})


def subset_models_considerably_lower(t):
    d = _nested(t)
    superset_models = d[d.j <= d.i].groupby(INDEX)["accuracy"].mean()  # the model saw all the target needs
    subset_models = d[d.j > d.i].groupby(INDEX)["accuracy"].mean()
    return one(superset_models - subset_models)


def one_missing_invariance_costs_a_lot(t):
    """On each target Tj (j >= 2): its own model against the model that lacks only Tj's last category."""
    d = _nested(t).set_index([*INDEX, "i", "j"])["accuracy"]
    set_sizes = sorted(d.index.get_level_values("j").unique())
    named = {}
    for j in set_sizes[1:]:
        own = d.xs((j, j), level=("i", "j"))
        short = d.xs((j - 1, j), level=("i", "j"))
        named[f"on T{j}: T{j} vs T{j - 1} model"] = own - short
    return parts(named)


def more_invariances_do_not_hurt(t):
    """On each target Tj, its own model against the models of larger sets (i > j), averaged over those cells."""
    d = _nested(t)
    own = d[d.i == d.j].set_index([*INDEX, "j"])["accuracy"]
    larger = d[d.i > d.j].set_index([*INDEX, "j"])["accuracy"]
    gap = (own.reindex(larger.index) - larger).groupby(INDEX).mean()
    return one(gap)


def lower_the_smaller_the_subset(t):
    """Above the diagonal, the slope of accuracy against the share i/j of the target's categories a model saw."""
    d = _nested(t)
    d = d[d.j > d.i].assign(share=lambda x: x.i / x.j)
    return one(per_group(d, lambda g: slope(g, "share", "accuracy")))


CLAIMS = (
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


KIND = ExperimentKind(
    "fig8",
    design,
    figures={"": "heatmap"},
    title="Transfer between nested transformation sets T1 in ... in Tn (|Ti| = i)",
)
