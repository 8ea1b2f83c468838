"""Each claim check on hand-made tables where the claim holds and where it does not."""

import itertools

import numpy as np
import pandas as pd
import pytest

from invariance import claims

SEEDS = range(5)


def _probes(acc: dict, noise=0.01, archs=("resnet18",)):
    """acc: (pretrain, target) -> accuracy; one row per seed with a little seed noise."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        [
            {
                "seed": s,
                "architecture": a,
                "pretrain_dataset": p,
                "target": t,
                "accuracy": v + noise * rng.standard_normal(),
            }
            for (p, t), v in acc.items()
            for s in SEEDS
            for a in archs
        ]
    )


def _verdicts(table_name, df, claim_ids):
    out = claims.evaluate({table_name: df}, [c for c in claims.CLAIMS if c.id in claim_ids])
    return dict(zip(out.claim, out.verdict))


def test_fig2_claims_hold_on_the_papers_pattern_and_fail_on_the_reverse():
    paper = {("all", "all"): 0.99, ("all", "transforms"): 0.95, ("all", "objects"): 0.35, ("all", "none"): 0.33}
    assert _verdicts(("fig2", "probes"), _probes(paper), {"2a", "2b", "2c"}) == {
        "2a": "holds",
        "2b": "holds",
        "2c": "holds",
    }
    reverse = {("all", "all"): 0.99, ("all", "transforms"): 0.4, ("all", "objects"): 0.9, ("all", "none"): 0.3}
    assert _verdicts(("fig2", "probes"), _probes(reverse), {"2a", "2b", "2c"}) == {
        "2a": "does not hold",
        "2b": "does not hold",
        "2c": "does not hold",
    }


def test_fig3_claims_use_the_reference_numbers():
    names = ["X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O"]
    ref = [[0.98, 0.95, 0.80, 1.0], [0.98, 0.98, 0.53, 1.0], [0.31, 0.24, 1.0, 1.0], [0.36, 0.35, 0.85, 1.0]]  # SPEC.md
    acc = {(p, t): ref[i][j] for i, p in enumerate(names) for j, t in enumerate(names)}
    assert _verdicts(("fig3", "probes"), _probes(acc), {"3a", "3b"}) == {"3a": "holds", "3b": "holds"}
    acc[("X=C+O,Y=C", "X=C+O,Y=O")] = 0.95
    assert _verdicts(("fig3", "probes"), _probes(acc), {"3a"}) == {"3a": "does not hold"}


def _fig4(obj_alpha, cls_alpha, obj_beta, cls_beta):
    """Fig 4 rows; the sweep values travel as pretrain_alpha/pretrain_beta, whatever the datasets are called."""
    acc, values = {}, {}
    for a, o, c in zip((0, 0.2, 0.4, 0.6, 0.8, 0.85, 0.9, 0.95, 1), obj_alpha, cls_alpha):
        acc[(f"relevance {a}", "X=C+O,Y=O")], acc[(f"relevance {a}", "X=C+O,Y=C")] = o, c
        values[f"relevance {a}"] = ("alpha", a)
    for b, o, c in zip((0, 0.2, 0.4, 0.6, 0.8, 1), obj_beta, cls_beta):
        acc[(f"availability {b}", "X=C+O,Y=O")], acc[(f"availability {b}", "X=C+O,Y=C")] = o, c
        values[f"availability {b}"] = ("beta", b)
    df = _probes(acc)
    for variable in ("alpha", "beta"):
        df[f"pretrain_{variable}"] = [values[d][1] if values[d][0] == variable else np.nan for d in df.pretrain_dataset]
    return df


def test_fig4_claims():
    paper = _fig4(np.linspace(0.5, 1.0, 9), [0.8] * 8 + [0.4], [0.8, 0.5, 0.5, 0.5, 0.5, 0.5], [0.8] * 6)
    assert _verdicts(("fig4", "probes"), paper, {"4a", "4b", "4c", "4d"}) == {
        "4a": "holds",
        "4b": "holds",
        "4c": "holds",
        "4d": "holds",
    }
    wrong = _fig4(
        np.linspace(1.0, 0.5, 9),
        np.linspace(0.2, 0.9, 9),
        [0.5, 0.8, 0.8, 0.8, 0.8, 0.8],
        [0.2, 0.4, 0.6, 0.8, 0.8, 0.8],
    )
    assert _verdicts(("fig4", "probes"), wrong, {"4a", "4b", "4c", "4d"}) == {
        "4a": "does not hold",
        "4b": "does not hold",
        "4c": "does not hold",
        "4d": "does not hold",
    }


def test_fig5_claim():
    acc = {("T1+T2", "T1"): 0.9, ("T1+T2", "T2"): 0.9, ("T1+T2", "T1oT2"): 0.3}
    assert _verdicts(("fig5", "probes"), _probes(acc), {"5"}) == {"5": "holds"}
    acc[("T1+T2", "T1oT2")] = 0.95
    assert _verdicts(("fig5", "probes"), _probes(acc), {"5"}) == {"5": "does not hold"}


def test_fig6a_claim_reads_column_means_off_the_diagonal():
    cats = ["translate", "rotate", "scale", "hflip", "vflip", "blur", "sharpen", "color"]
    hard = {"translate", "rotate", "color"}
    acc = {(p, t): 1.0 if p == t else (0.5 if t in hard else 0.9) for p, t in itertools.product(cats, cats)}
    assert _verdicts(("fig6", "probes"), _probes(acc), {"6a"}) == {"6a": "holds"}
    acc = {(p, t): 1.0 if p == t else (0.9 if t in hard else 0.5) for p, t in itertools.product(cats, cats)}
    assert _verdicts(("fig6", "probes"), _probes(acc), {"6a"}) == {"6a": "does not hold"}


def test_fig6b_claims():
    def table(ratio):
        return pd.DataFrame(
            [
                {"seed": s, "architecture": "resnet18", "model": m, "dataset": d, "l2_ratio": ratio(m, d) + 0.01 * s}
                for s in SEEDS
                for m in ("translate", "scale", "color", "none", "untrained")
                for d in ("translate", "scale", "color")
            ]
        )

    paper = table(lambda m, d: 2.0 if d == "scale" or m == d else 1.1)
    assert _verdicts(("fig6", "l2"), paper, {"6b-scale", "6b-translate", "6b-color"}) == {
        "6b-scale": "holds",
        "6b-translate": "holds",
        "6b-color": "holds",
    }
    flat = table(lambda m, d: 1.2 if d == "scale" or m == d else 1.5)
    assert _verdicts(("fig6", "l2"), flat, {"6b-scale", "6b-translate", "6b-color"}) == {
        "6b-scale": "does not hold",
        "6b-translate": "does not hold",
        "6b-color": "does not hold",
    }


def _nested(acc: dict) -> pd.DataFrame:
    """Fig 8 rows: the set size of each dataset travels as pretrain_set_size/target_set_size."""
    df = _probes({(f"set {i}", f"set {j}"): v for (i, j), v in acc.items()})
    size = {f"set {i}": i for i in range(1, 9)}
    return df.assign(pretrain_set_size=df.pretrain_dataset.map(size), target_set_size=df.target.map(size))


def test_fig8_claim():
    sizes = range(1, 9)
    acc = {(i, j): (0.95 if j <= i else 0.95 - 0.1 * (j - i)) for i in sizes for j in sizes}
    assert _verdicts(("fig8", "probes"), _nested(acc), {"8"}) == {"8": "holds"}
    acc = {(i, j): (0.5 if j < i else 0.9) for i in sizes for j in sizes}
    assert _verdicts(("fig8", "probes"), _nested(acc), {"8"}) == {"8": "does not hold"}


@pytest.mark.parametrize(
    "values,verdict",
    [
        ([0.3], "not enough seeds"),
        ([0.3, -0.2, 0.1], "not enough seeds"),  # the interval straddles 0
        ([0.3, 0.31, 0.29], "holds"),
        ([-0.3, -0.31, -0.29], "does not hold"),
    ],
)
def test_verdicts_follow_the_t_interval(values, verdict):
    out = claims.verdict(np.array(values), 0.0, True)
    assert out["verdict"] == verdict and out["n_seeds"] == len(values)


def test_the_markdown_table_has_a_row_per_claim_and_architecture():
    df = claims.evaluate(
        {
            ("fig2", "probes"): _probes(
                {("all", "all"): 0.9, ("all", "transforms"): 0.8, ("all", "objects"): 0.3, ("all", "none"): 0.3},
                archs=("resnet18", "vgg11"),
            )
        }
    )
    md = claims.to_markdown(df, "quick", "offline")
    assert len(df) == 6 and md.count("| 2a |") == 2 and "**holds**" in md
    row = df[(df.claim == "2a") & (df.architecture == "vgg11")].iloc[0]
    assert row.seeds == list(SEEDS) and row["values"] == pytest.approx([0.5] * len(SEEDS), abs=0.05)
    assert ", ".join(f"s{s}: {v:+.3f}" for s, v in zip(row.seeds, row["values"])) in md  # per seed, in order


def test_the_draws_of_each_seed_are_listed():
    df = _probes({("all", "all"): 0.9, ("all", "transforms"): 0.8})
    df["target_categories"] = [["rotate", "blur"] if t == "all" else ["scale"] for t in df.target]
    drawn = claims.draws({("fig2", "probes"): df})
    assert set(drawn.seed) == set(df.seed) and len(drawn) == 2 * df.seed.nunique()
    md = claims.to_markdown(claims.evaluate({("fig2", "probes"): df}), "quick", "offline", drawn)
    assert "| fig2 | 0 | all: rotate+blur; transforms: scale |" in md
