"""The verdict's error rates and power, measured by simulation (src/invariance/simulate.py).

Runs the project's own decision procedure (claims.decide: planned looks, repeated intervals, seeds out
of regime, parts) on simulated seeds of known truth, for the designs the config uses, and prints the
rate of each verdict, the false-decision rate and the mean number of seeds run.

    .venv/bin/python bench/verdict_errors.py --reps 4000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from invariance import simulate

DESIGNS = [(3,), (10,), (3, 6, 10)]  # quick's single look, the paper's, and quick's fig 2 plan


def main(argv=None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=4000)
    ap.add_argument("--out", type=Path, default=Path("results/bench/verdict_errors.parquet"))
    args = ap.parse_args(argv)
    cpu = time.process_time()
    df = simulate.table(DESIGNS, args.reps)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(args.out)
    cols = ["looks", "scenario", "rate_holds", "rate_does_not_hold", "rate_undecided", "rate_out_of_regime"]
    cols += ["false_decisions", "mean_seeds"]
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print(df[cols].to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    print(
        f"{args.reps} repetitions per row; Monte Carlo standard error of a rate at 0.025: "
        f"{df.mc_se_at_alpha.iloc[0]:.4f}; {time.process_time() - cpu:.0f} CPU-s"
    )
    return df


if __name__ == "__main__":
    main()
