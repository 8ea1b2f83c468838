"""The verdict procedure's error rates and power, measured on simulated seeds whose truth is known.

Each scenario draws per-seed values for one claim row (one or several parts) from a known distribution
and runs ``claims.decide`` on them exactly as the verdict does: the planned looks in order, stopping at
the first decision, with seeds left out at random where their models did not learn their task. A
false decision is "holds" when the truth is not inside the bounds, or "does not hold" when it is not
outside them; at the bound itself both are false. bench/verdict_errors.py prints the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from invariance import claims


@dataclass(frozen=True)
class Scenario:
    name: str
    bounds: tuple[float, float]
    mean: float  # the true mean of the quantity (the mixture's mean where easy_share is set)
    sd: float  # normal: the seed-to-seed spread; mixture: each component's
    parts: int = 1
    easy_share: float | None = None  # a mixture of easy and hard seeds, as fig 2's per-seed gaps are
    gap: float = 0.6  # mixture: the easy seeds' mean minus the hard seeds'
    out_of_regime: float = 0.0  # the chance that a seed's models did not learn (left out of the verdict)

    @property
    def truth(self) -> str:
        lo, hi = self.bounds
        if lo < self.mean < hi:
            return "inside"
        return "outside" if (self.mean < lo or self.mean > hi) else "at the bound"


def _draw(s: Scenario, n: int, rng: np.random.Generator) -> np.ndarray:
    if s.easy_share is None:
        return s.mean + s.sd * rng.standard_normal(n)
    easy = rng.random(n) < s.easy_share
    hard_mean = s.mean - s.easy_share * s.gap  # so that the mixture's mean is s.mean
    return np.where(easy, hard_mean + s.gap, hard_mean) + s.sd * rng.standard_normal(n)


def run(s: Scenario, looks: tuple[int, ...], reps: int, seed: int = 0) -> dict:
    """Rates of each verdict over ``reps`` simulated experiments, and the seeds each ran."""
    rng = np.random.default_rng(seed)
    n = looks[-1]
    counts = {v: 0 for v in claims.VERDICTS}
    seeds_run = []
    for _ in range(reps):
        parts = {f"p{i}": pd.Series(_draw(s, n, rng)) for i in range(s.parts)}
        usable = {i for i in range(n) if rng.random() >= s.out_of_regime}
        out = claims.decide(parts, usable, s.bounds, looks)
        counts[out["verdict"]] += 1
        seeds_run.append(out["seeds_at_look"])
    rate = {v: c / reps for v, c in counts.items()}
    false_holds = rate["holds"] if s.truth != "inside" else 0.0
    false_fails = rate["does not hold"] if s.truth != "outside" else 0.0
    return {
        "scenario": s.name,
        "looks": ", ".join(map(str, looks)),
        "truth": s.truth,
        "parts": s.parts,
        "reps": reps,
        **{f"rate_{v.replace(' ', '_')}": r for v, r in rate.items()},
        "false_decisions": false_holds + false_fails,
        # the Monte Carlo standard error of a rate at ALPHA: what "at most 2.5%" is read against
        "mc_se_at_alpha": math.sqrt(0.025 * 0.975 / reps),
        "mean_seeds": float(np.mean(seeds_run)),
    }


def scenarios(close: float = 0.1) -> list[Scenario]:
    """Truths at the bound, at zero and far from it, normal and mixed, one part and several."""
    above = (0.0, math.inf)
    within = (-close, close)
    return [
        Scenario("above 0, truth at the bound, normal sd .3", above, 0.0, 0.3),
        Scenario("above 0, truth at the bound, easy/hard mixture (60% easy, gap .6)", above, 0.0, 0.1, easy_share=0.6),
        Scenario("above 0, truth at the bound, normal, 20% of seeds out of regime", above, 0.0, 0.3, out_of_regime=0.2),
        Scenario("above 0, truth at the bound, 8 parts", above, 0.0, 0.3, parts=8),
        Scenario("within +-.1, truth at the bound .1, normal sd .05", within, close, 0.05),
        Scenario("within +-.1, truth at 0, normal sd .05 (power)", within, 0.0, 0.05),
        Scenario("within +-.1, truth at 0, normal sd .15 (power)", within, 0.0, 0.15),
        Scenario("above 0, truth .42, normal sd .35 (power: fig 2's 2a)", above, 0.42, 0.35),
        Scenario("above 0, truth .42, easy/hard mixture (70% easy, gap .6; power)", above, 0.42, 0.1, easy_share=0.7),
        Scenario("above 0, truth .2, normal sd .3 (power)", above, 0.2, 0.3),
        Scenario("above 0, truth -.2, normal sd .3 (power to fail)", above, -0.2, 0.3),
        Scenario("above 0, truth .3, 8 parts, normal sd .2 (power)", above, 0.3, 0.2, parts=8),
    ]


def table(looks_list: list[tuple[int, ...]], reps: int, seed: int = 0) -> pd.DataFrame:
    return pd.DataFrame([run(s, looks, reps, seed) for looks in looks_list for s in scenarios()])
