"""The paper's claims, each checked against the computed Parquet tables.

A check is a pure function from the tables to one number per seed and architecture (for
example, probe accuracy on D_transforms minus on D_objects); the claim holds when that
number is on the claimed side of a threshold. Across seeds we report the mean, a 95%
t-interval and how many seeds agree, and give a verdict:
  holds            the whole interval is on the claimed side
  does not hold    the whole interval is on the other side
  not enough seeds fewer than 2 seeds, or the interval straddles the threshold
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

Tables = dict[tuple[str, str], pd.DataFrame]  # (experiment, "probes" | "l2") -> table


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    text: str
    quantity: str
    experiment: str  # the experiment whose table the check reads
    table: str  # which of its tables: probes | l2
    check: Callable[[pd.DataFrame], pd.DataFrame]  # -> columns seed, architecture, value
    threshold: float = 0.0
    greater: bool = True  # claimed: value > threshold (else value < threshold)


def _acc(df: pd.DataFrame, pretrain: str, target: str) -> pd.Series:
    sel = df[(df.pretrain_dataset == pretrain) & (df.target == target)]
    return sel.set_index(["seed", "architecture"])["accuracy"]


def _frame(values: pd.Series) -> pd.DataFrame:
    return values.rename("value").reset_index()


def fig2_transforms_beat_objects(df):
    return _frame(_acc(df, "all", "transforms") - _acc(df, "all", "objects"))


def fig2_objects_as_poor_as_none(df):
    return _frame((_acc(df, "all", "objects") - _acc(df, "all", "none")).abs())


def fig2_transforms_close_to_all(df):
    return _frame(_acc(df, "all", "all") - _acc(df, "all", "transforms"))


def fig3_pasted_objects_hurt_object_transfer(df):
    return _frame(_acc(df, "X=C,Y=C", "X=C+O,Y=O") - _acc(df, "X=C+O,Y=C", "X=C+O,Y=O"))


def fig3_cifar_background_hurts_class_transfer(df):
    return _frame(_acc(df, "X=O,Y=O", "X=C+O,Y=C") - _acc(df, "X=C+O,Y=O", "X=C+O,Y=C"))


def _sweep(df: pd.DataFrame, variable: str, target: str) -> pd.DataFrame:
    """The rows of fig 4's alpha (or beta) sweep probed on target, the variable's value as column x."""
    return df[df[f"pretrain_{variable}"].notna() & (df.target == target)].assign(x=lambda d: d[f"pretrain_{variable}"])


def _slope(g: pd.DataFrame) -> float:
    return float(np.polyfit(g["x"], g["accuracy"], 1)[0])


def fig4_object_accuracy_rises_with_alpha(df):
    s = _sweep(df, "alpha", "X=C+O,Y=O")
    return _frame(s.groupby(["seed", "architecture"])[["x", "accuracy"]].apply(_slope))


def _range_up_to(df, variable, target, upto):
    s = _sweep(df, variable, target)
    s = s[s.x <= upto]
    return _frame(s.groupby(["seed", "architecture"])["accuracy"].agg(lambda a: a.max() - a.min()))


def fig4_class_accuracy_flat_below_alpha_one(df):
    return _range_up_to(df, "alpha", "X=C+O,Y=C", 0.8)


def fig4_class_accuracy_independent_of_beta(df):
    return _range_up_to(df, "beta", "X=C+O,Y=C", 1.0)


def fig4_object_accuracy_drops_once_beta_positive(df):
    s = _sweep(df, "beta", "X=C+O,Y=O").set_index(["seed", "architecture", "x"])["accuracy"]
    at0 = s.xs(0.0, level="x")
    above = s[s.index.get_level_values("x") > 0].groupby(["seed", "architecture"]).max()
    return _frame(at0 - above)


def fig5_mixed_model_fails_on_concatenation(df):
    native = (_acc(df, "T1+T2", "T1") + _acc(df, "T1+T2", "T2")) / 2
    return _frame(native - _acc(df, "T1+T2", "T1oT2"))


def fig6a_hardest_targets(df):
    hard = ["color", "translate", "rotate"]
    off = df[df.pretrain_dataset != df.target]  # transfer, not the model's own dataset
    col = off.groupby(["seed", "architecture", "target"])["accuracy"].mean().unstack("target")
    easy = [c for c in col.columns if c not in hard]
    return _frame(col[easy].mean(axis=1) - col[hard].mean(axis=1))


def _ratio(df, model, dataset) -> pd.Series:
    return df[(df.model == model) & (df.dataset == dataset)].set_index(["seed", "architecture"])["l2_ratio"]


def fig6b_scale_high_under_every_model(df):
    gaps = [
        _ratio(df, m, "scale") - np.maximum(_ratio(df, m, "translate"), _ratio(df, m, "color"))
        for m in ("untrained", "none")
    ]
    return _frame(pd.concat(gaps, axis=1).min(axis=1))


def fig6b_translate_high_only_under_its_model(df):
    return _frame(
        _ratio(df, "translate", "translate")
        - np.maximum(_ratio(df, "none", "translate"), _ratio(df, "untrained", "translate"))
    )


def fig6b_color_high_only_under_its_model(df):
    return _frame(
        _ratio(df, "color", "color") - np.maximum(_ratio(df, "none", "color"), _ratio(df, "untrained", "color"))
    )


def fig8_subsets_transfer_supersets_do_not(df):
    d = df.copy()
    d["i"], d["j"] = d.pretrain_set_size, d.target_set_size  # nested sets: the size orders them
    sub = d[d.j < d.i].groupby(["seed", "architecture"])["accuracy"].mean()
    sup = d[d.j > d.i].groupby(["seed", "architecture"])["accuracy"].mean()
    return _frame(sub - sup)


CLAIMS = (
    Claim(
        "2a",
        "3.1 (fig 2)",
        "Transfer to D_transforms is clearly above D_objects.",
        "acc(D_transforms) - acc(D_objects)",
        "fig2",
        "probes",
        fig2_transforms_beat_objects,
    ),
    Claim(
        "2b",
        "3.1 (fig 2)",
        "D_objects is about as poor as D_none.",
        "|acc(D_objects) - acc(D_none)|",
        "fig2",
        "probes",
        fig2_objects_as_poor_as_none,
        0.1,
        False,
    ),
    Claim(
        "2c",
        "3.1 (fig 2)",
        "Transfer to D_transforms is close to D_all.",
        "acc(D_all) - acc(D_transforms)",
        "fig2",
        "probes",
        fig2_transforms_close_to_all,
        0.1,
        False,
    ),
    Claim(
        "3a",
        "3.2 (fig 3)",
        "Pretraining on X=C+O for the CIFAR label makes the model worse at the object "
        "label of the same images than pretraining on plain CIFAR.",
        "acc(C->C+O,Y=O) - acc(C+O,Y=C -> C+O,Y=O)",
        "fig3",
        "probes",
        fig3_pasted_objects_hurt_object_transfer,
    ),
    Claim(
        "3b",
        "3.2 (fig 3)",
        "Pretraining on X=C+O for the object label makes the model worse at the CIFAR label "
        "than pretraining on objects alone.",
        "acc(O->C+O,Y=C) - acc(C+O,Y=O -> C+O,Y=C)",
        "fig3",
        "probes",
        fig3_cifar_background_hurts_class_transfer,
    ),
    Claim(
        "4a",
        "4.1 (fig 4a/b)",
        "Object accuracy rises with the relevance alpha.",
        "slope of object accuracy against alpha",
        "fig4",
        "probes",
        fig4_object_accuracy_rises_with_alpha,
    ),
    Claim(
        "4b",
        "4.1 (fig 4a)",
        "CIFAR-class accuracy stays roughly flat for alpha up to 0.8.",
        "range of CIFAR-class accuracy over alpha <= 0.8",
        "fig4",
        "probes",
        fig4_class_accuracy_flat_below_alpha_one,
        0.1,
        False,
    ),
    Claim(
        "4c",
        "4.1 (fig 4a)",
        "CIFAR-class accuracy does not depend on the availability beta.",
        "range of CIFAR-class accuracy over beta",
        "fig4",
        "probes",
        fig4_class_accuracy_independent_of_beta,
        0.1,
        False,
    ),
    Claim(
        "4d",
        "4.1 (fig 4b)",
        "Object accuracy drops as soon as beta > 0.",
        "acc(beta=0 -> Y=O) - max over beta>0 of acc(beta -> Y=O)",
        "fig4",
        "probes",
        fig4_object_accuracy_drops_once_beta_positive,
    ),
    Claim(
        "5",
        "4.2 (fig 5)",
        "The T1+T2 model does well on D_T1 and D_T2 but poorly on D_T1oT2.",
        "mean acc(T1+T2 -> T1, T2) - acc(T1+T2 -> T1oT2)",
        "fig5",
        "probes",
        fig5_mixed_model_fails_on_concatenation,
    ),
    Claim(
        "6a",
        "4.3 (fig 6a)",
        "Color jitter, translation and rotation are the hardest targets to transfer to.",
        "mean transfer acc to the other categories of `categories` - to {color, translate, rotate}",
        "fig6",
        "probes",
        fig6a_hardest_targets,
    ),
    Claim(
        "6b-scale",
        "4.3 (fig 6b)",
        "The l2 ratio is high for scale under every model.",
        "min over {untrained, none} of ratio(scale) - max(ratio(translate), ratio(color))",
        "fig6",
        "l2",
        fig6b_scale_high_under_every_model,
    ),
    Claim(
        "6b-translate",
        "4.3 (fig 6b)",
        "The l2 ratio for movement is high only under the movement model.",
        "ratio(translate under the translate model) - max over {none, untrained}",
        "fig6",
        "l2",
        fig6b_translate_high_only_under_its_model,
    ),
    Claim(
        "6b-color",
        "4.3 (fig 6b)",
        "The l2 ratio for color jitter is high only under the color model.",
        "ratio(color under the color model) - max over {none, untrained}",
        "fig6",
        "l2",
        fig6b_color_high_only_under_its_model,
    ),
    Claim(
        "8",
        "C.1 (fig 8)",
        "Accuracy stays high on targets whose transformations are a subset of the "
        "pretraining set and falls when the target needs more.",
        "mean acc(Ti -> Tj, j < i) - mean acc(Ti -> Tj, j > i)",
        "fig8",
        "probes",
        fig8_subsets_transfer_supersets_do_not,
    ),
)


EXPERIMENTS = tuple(dict.fromkeys(c.experiment for c in CLAIMS))  # the experiments the claims read


def verdict(values: np.ndarray, threshold: float, greater: bool) -> dict:
    """Mean, 95% t-interval over seeds, seeds agreeing, and the verdict."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    agree = int(((values > threshold) if greater else (values < threshold)).sum())
    if n < 2:
        return {
            "mean": mean,
            "ci_low": float("nan"),
            "ci_high": float("nan"),
            "n_seeds": n,
            "seeds_agreeing": agree,
            "verdict": "not enough seeds",
        }
    from scipy import stats  # here, not at the top: the Snakefile imports this module for EXPERIMENTS

    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
    lo, hi = mean - half, mean + half
    on_side = lo > threshold if greater else hi < threshold
    off_side = hi < threshold if greater else lo > threshold
    v = "holds" if on_side else "does not hold" if off_side else "not enough seeds"
    return {"mean": mean, "ci_low": lo, "ci_high": hi, "n_seeds": n, "seeds_agreeing": agree, "verdict": v}


def evaluate(tables: Tables, claims=CLAIMS) -> pd.DataFrame:
    """One row per claim and architecture."""
    rows = []
    for c in claims:
        if (c.experiment, c.table) not in tables:
            continue
        per_seed = c.check(tables[(c.experiment, c.table)]).dropna()
        for arch, g in per_seed.groupby("architecture", sort=True):
            g = g.sort_values("seed")
            rows.append(
                {
                    "claim": c.id,
                    "section": c.section,
                    "text": c.text,
                    "quantity": c.quantity,
                    "architecture": arch,
                    "claimed": f"{'>' if c.greater else '<'} {c.threshold:g}",
                    "seeds": g["seed"].astype(int).tolist(),
                    "values": g["value"].astype(float).tolist(),
                    **verdict(g["value"].to_numpy(), c.threshold, c.greater),
                }
            )
    return pd.DataFrame(rows)


def draws(tables: Tables) -> pd.DataFrame:
    """Per experiment and seed, the transformation categories each synthetic dataset drew (why seeds differ)."""
    rows = []
    for (experiment, _), df in tables.items():
        if "target_categories" not in df:
            continue
        named = df.drop_duplicates(["seed", "target"])
        for r in named.itertuples():
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


def to_markdown(df: pd.DataFrame, scale: str, assets: str, drawn: pd.DataFrame | None = None) -> str:
    lines = [
        f"# Reproduction verdict: scale {scale}, assets {assets}",
        "",
        "Each row: one claim of the paper, the quantity that tests it (per seed, then mean and 95% "
        "t-interval over seeds), the side the paper implies, and the verdict. 'not enough seeds' means "
        "fewer than 2 seeds or an interval that straddles the threshold.",
        "",
        "| claim | section | statement | architecture | quantity | per seed | mean [95% CI] | claimed | "
        "seeds agreeing | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in df.itertuples():
        ci = "" if np.isnan(r.ci_low) else f" [{r.ci_low:+.3f}, {r.ci_high:+.3f}]"
        per_seed = ", ".join(f"s{s}: {v:+.3f}" for s, v in zip(r.seeds, r.values))
        lines.append(
            f"| {r.claim} | {r.section} | {r.text} | {r.architecture} | {r.quantity} | {per_seed} | "
            f"{r.mean:+.3f}{ci} | {r.claimed} | {r.seeds_agreeing}/{r.n_seeds} | **{r.verdict}** |"
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
