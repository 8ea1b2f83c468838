"""A planned look asks for more seeds only while some claim is undecided and a later look is planned."""

import numpy as np
import pandas as pd

from invariance import looks


def _fig2_tables(gap_by_seed, own_task=0.99):
    rows, training = [], []
    for seed, gap in enumerate(gap_by_seed):
        for target, acc in {"all": 0.99, "transforms": 0.9, "objects": 0.9 - gap, "none": 0.9 - gap}.items():
            rows.append(
                {"seed": seed, "architecture": "resnet18", "pretrain_dataset": "all", "target": target, "accuracy": acc}
            )
        training.append(
            {
                "experiment": "fig2",
                "seed": seed,
                "architecture": "resnet18",
                "pretrain_dataset": "all",
                "epoch": 1,
                "test_accuracy": own_task,
            }
        )
    return {"probes": pd.DataFrame(rows), "training": pd.DataFrame(training)}


def test_a_look_continues_while_claims_are_undecided_and_stops_otherwise():
    unclear = _fig2_tables([0.3, -0.2, 0.1])  # 2a's gap straddles 0 at 3 seeds
    decision = looks.decide("fig2", unclear, "fig2", (3, 6, 10))
    assert decision["continue"] and "2a (resnet18)" in decision["undecided"] and decision["seeds"] == 3
    # The same seeds at the last planned look: undecided is final, nothing more to build.
    assert not looks.decide("fig2", unclear, "fig2", (3,))["continue"]
    # Models that never learned their task: out of regime, which asks for no more seeds (docs/verdict.md).
    weak = _fig2_tables([0.3, -0.2, 0.1], own_task=0.2)
    assert not looks.decide("fig2", weak, "fig2", (3, 6, 10))["continue"]
    assert looks.decide("fig2", weak, "fig2", (3, 6, 10))["verdicts"] == {"out of regime": 6}


def test_every_claim_decided_at_a_look_stops_the_experiment():
    rng = np.random.default_rng(0)
    # Every fig-2 quantity far from its bounds with almost no spread: decided at the first look.
    clear = _fig2_tables(list(0.6 + 0.0001 * rng.standard_normal(3)))
    decision = looks.decide("fig2", clear, "fig2", (3, 6, 10))
    assert not decision["continue"] and decision["undecided"] == []
