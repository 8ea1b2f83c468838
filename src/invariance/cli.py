"""The package's command line: `invariance compare RUN_A RUN_B` (more subcommands belong here)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="invariance", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", help="two finished runs side by side, per claim and per probe cell")
    c.add_argument("run_a", help="a run directory, results/<scale>/<assets> (or a copy of one)")
    c.add_argument("run_b")
    c.add_argument(
        "--out",
        help="where compare.md, claims.parquet, cells.parquet and compare.pdf go (default: results/compare/<A>_vs_<B>)",
    )
    args = ap.parse_args(argv)
    from invariance import compare

    name = lambda p: "-".join(Path(p).resolve().parts[-2:])  # noqa: E731  scale-assets
    out = args.out or f"results/compare/{name(args.run_a)}_vs_{name(args.run_b)}"
    try:
        print(compare.compare(args.run_a, args.run_b, out))
    except compare.RunError as e:
        print(f"invariance compare: {e}", file=sys.stderr)
        return 2
    print(f"written to {out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
