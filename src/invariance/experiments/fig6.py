"""Fig 6 (section 4.3): transfer between single-transformation datasets, and its l2 ratios (6b).

One dataset per category of the pool, with the same objects; untransformed objects ("none") train a
reference model for fig 6b, beside a randomly initialised network.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from invariance.claims import CORRELATES, INDEX, INF, ONE_MODEL, SAME_SEED, WELL, Claim, acc, one, parts, per_group
from invariance.experiments.common import Design, ExperimentKind, objects, pool, sizes, transforms2d
from invariance.transforms2d.render import Group

L2_DATASETS = ("translate", "scale", "color")  # fig 6b's categories
L2_MODELS = ("translate", "scale", "color", "none")  # and an untrained network:
UNTRAINED = "untrained"  # the model name of the randomly initialised reference network


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    """One dataset per category; untransformed objects ("none") train a fig 6b reference model."""
    shown, shape = objects(seed, config["experiments"][experiment]["objects"]), sizes(config, scale, "transforms2d")
    categories = pool(config)
    datasets = {c: transforms2d((Group(shown, (c,)),), shape, seed) for c in categories}
    datasets["none"] = transforms2d((Group(shown, ()),), shape, seed)
    l2 = [c for c in L2_DATASETS if c in categories]  # fig 6b needs its three categories in the pool
    return Design(
        datasets,
        pretrain_on=categories,
        probe_on=categories,
        l2_models=(*l2, "none") if l2 else (),
        l2_datasets=tuple(l2),
    )


# ---- claims --------------------------------------------------------------------------------------

HARD = ("color", "translate", "rotate")  # the paper's three outliers


def _transfer_to(t) -> pd.DataFrame:
    """Mean transfer accuracy to each target from the other single-category models (off the diagonal)."""
    df = t["probes"]
    off = df[df.pretrain_dataset != df.target]
    return off.groupby([*INDEX, "target"])["accuracy"].mean().unstack("target")


def transfer_is_high_in_general(t):
    """The mean over every off-diagonal cell of the single-category transfer matrix."""
    df = t["probes"]
    return one(df[df.pretrain_dataset != df.target].groupby(INDEX)["accuracy"].mean())


def _most_reach(accuracies: pd.Series) -> float:
    """The accuracy more than half of them reach: above a level exactly when most of them are."""
    return float(np.sort(accuracies.to_numpy())[::-1][len(accuracies) // 2])


def most_targets_are_easy(t):
    """Per pretrained model: the accuracy that more than half of the other targets reach."""
    df = t["probes"]
    off = df[df.pretrain_dataset != df.target]
    most = off.groupby([*INDEX, "pretrain_dataset"])["accuracy"].apply(_most_reach)
    return parts({m: g.droplevel("pretrain_dataset") for m, g in most.groupby(level="pretrain_dataset")})


def every_model_transfers_well_to_scale(t):
    df = t["probes"]
    to = df[(df.target == "scale") & (df.pretrain_dataset != "scale")]
    return parts({m: g.set_index(INDEX)["accuracy"] for m, g in to.groupby("pretrain_dataset")})


def each_hard_category_is_an_outlier(t):
    col = _transfer_to(t)
    easy = col[[c for c in col.columns if c not in HARD]].min(axis=1)
    return parts({h: easy - col[h] for h in HARD if h in col})


def movement_and_rotation_transfer_to_each_other(t):
    named = {}
    for a, b in (("translate", "rotate"), ("rotate", "translate")):
        named[f"{a} model: {b} vs color"] = acc(t, a, b) - acc(t, a, "color")
        named[f"to {b}: {a} model vs color model"] = acc(t, a, b) - acc(t, "color", b)
    return parts(named)


def _ratio(t, model: str, dataset: str) -> pd.Series:
    df = t["l2"]
    return df[(df.model == model) & (df.dataset == dataset)].set_index(INDEX)["l2_ratio"]


_L2_MODELS = (*L2_MODELS, UNTRAINED)


def scale_ratio_high_under_every_model(t):
    return parts(
        {
            f"{m}: scale vs {d}": _ratio(t, m, "scale") - _ratio(t, m, d)
            for m in _L2_MODELS
            for d in L2_DATASETS
            if d not in ("scale", m)
        }
    )


def _high_only_under_its_model(t, dataset: str) -> pd.DataFrame:
    return parts({f"vs {m}": _ratio(t, dataset, dataset) - _ratio(t, m, dataset) for m in _L2_MODELS if m != dataset})


def translate_ratio_high_only_under_its_model(t):
    return _high_only_under_its_model(t, "translate")


def color_ratio_high_only_under_its_model(t):
    return _high_only_under_its_model(t, "color")


def l2_ratio_corresponds_to_transfer(t):
    """Spearman correlation, per seed, between l2 ratio and probe accuracy over (model, dataset) cells both measure."""
    l2 = t["l2"].rename(columns={"model": "pretrain_dataset", "dataset": "target"})
    cells = l2.merge(t["probes"], on=[*INDEX, "pretrain_dataset", "target"])
    return one(per_group(cells, lambda g: g["l2_ratio"].rank().corr(g["accuracy"].rank())))


CLAIMS = (
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
)


KIND = ExperimentKind(
    "fig6", design, figures={"a": "heatmap", "b": "fig6b"}, title="Transfer between single-transformation datasets"
)
