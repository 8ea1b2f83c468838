"""invariance: compare two finished runs of the workflow, or see what a run will cost before you start it.

Exit status: 0 done, 1 the command ran and failed (a run that cannot be read, a config it refuses),
2 a usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="invariance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", help="two finished runs side by side, per claim and per probe cell")
    c.add_argument("run_a", help="a run directory, results/<scale>/<assets> (or a copy of one)")
    c.add_argument("run_b")
    c.add_argument(
        "--out",
        help="where compare.md, claims.parquet, cells.parquet and compare.pdf go (default: results/compare/<A>_vs_<B>)",
    )
    p = sub.add_parser("plan", help="what a run costs before it is submitted: jobs, GPU-hours, disk")
    p.add_argument("--scale", default=None, help="a scale of the config (default: the config's `scale`)")
    p.add_argument("--assets", default=None, help="offline or paper (default: the config's `assets`)")
    p.add_argument(
        "--configfile",
        action="append",
        default=[],
        help="merged over config.yaml, as Snakemake's --configfile (repeatable)",
    )
    p.add_argument("--gpu-check", type=Path, help="a bench/gpu_check.py table: expect its measured throughput")
    p.add_argument(
        "--profile",
        type=Path,
        default=Path("profiles/slurm"),
        help="the cluster profile whose group-components packs models per GPU (default: profiles/slurm)",
    )
    args = ap.parse_args(argv)
    return _plan(args) if args.command == "plan" else _compare(args)


def _version() -> str:
    try:
        return version("invariance")
    except PackageNotFoundError:  # run from a checkout on PYTHONPATH, not installed
        return "unknown (not installed)"


def _plan(args) -> int:
    import yaml
    from snakemake.utils import update_config  # how Snakemake merges each --configfile over config.yaml

    from invariance import config as cfg
    from invariance import cost, plan

    config = {}
    for f in ["config.yaml", *args.configfile]:
        try:
            update_config(config, yaml.safe_load(Path(f).read_text()) or {})
        except FileNotFoundError:
            print(f"invariance plan: no {f} here; run it in the workflow's directory", file=sys.stderr)
            return 1
        except yaml.YAMLError as e:
            print(f"invariance plan: {f} is not valid YAML: {e}", file=sys.stderr)
            return 1
    config |= {k: v for k, v in (("scale", args.scale), ("assets", args.assets)) if v}
    try:
        config = cfg.resolve(config)
    except cfg.ConfigError as e:
        print(f"invariance plan: {e}", file=sys.stderr)
        return 1
    p = plan.build(config)
    throughput = None
    if args.gpu_check:
        try:
            throughput = cost.measured_throughput(args.gpu_check, cost.planned_archs(p))
        except (OSError, cost.ThroughputError) as e:
            print(f"invariance plan: {e}", file=sys.stderr)
            return 1
    source = f"measured, {args.gpu_check}" if args.gpu_check else "estimates in models.ARCHITECTURES, not measured"
    try:
        packing = cost.models_per_gpu(args.profile)
    except (OSError, yaml.YAMLError, cost.ProfileError) as e:
        print(f"invariance plan: {e}", file=sys.stderr)
        return 1
    print(cost.describe(p, cost.plan_cost(p, throughput, packing), throughput, source, packing))
    return 0


def _compare(args) -> int:
    from invariance import compare

    name = lambda p: "-".join(Path(p).resolve().parts[-2:])  # noqa: E731  scale-assets
    out = args.out or f"results/compare/{name(args.run_a)}_vs_{name(args.run_b)}"
    try:
        print(compare.compare(args.run_a, args.run_b, out))
    except compare.RunError as e:
        print(f"invariance compare: {e}", file=sys.stderr)
        return 1
    print(f"written to {out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
