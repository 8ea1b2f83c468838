"""Load and check the workflow configuration before any job runs.

Errors name the key, the bad value and what is allowed, so a typo on the command line
(`--config scale=quik`) is caught at DAG-building time rather than an hour in.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from invariance import experiments as exp
from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.assets.cifar10 import SPLIT_SIZES as CIFAR_SPLITS
from invariance.experiments import fig6
from invariance.experiments.common import pool as category_pool
from invariance.models import ARCHITECTURES
from invariance.probe_config import SOLVERS
from invariance.transforms2d.categories import CATEGORY_NAMES, FAMILIES


class ConfigError(ValueError):
    pass


def schema() -> dict:
    """The schema file, with the lists that registries own (architectures, categories, kinds) filled in from them."""
    s = yaml.safe_load(resources.files("invariance").joinpath("config.schema.yaml").read_text())
    s["$defs"]["architectures"]["items"] = {"enum": list(ARCHITECTURES)}
    s["$defs"]["category"] = {"enum": list(CATEGORY_NAMES)}
    s["$defs"]["family"] = {"enum": list(FAMILIES)}
    s["$defs"]["kind"] = {"enum": list(exp.KINDS)}
    s["$defs"]["scale"]["properties"]["probe_solver"]["enum"] = list(SOLVERS)
    return s


def _where(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _describe(err: jsonschema.ValidationError, prefix: tuple = ()) -> str:
    key = _where(prefix + tuple(err.absolute_path))
    if err.validator == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"config key '{key}': {err.instance!r} is not allowed; allowed values: {allowed}"
    if err.validator == "additionalProperties":
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        return f"config key '{key}': {err.message}; allowed keys: {allowed}"
    if err.validator == "required":
        return f"config key '{key}': {err.message}; see config.yaml for a complete example"
    return f"config key '{key}': {err.instance!r} is invalid: {err.message}"


def validate(config: dict[str, Any]) -> None:
    """Raise ConfigError listing every problem; a valid config is left as it is (``resolve`` merges it)."""
    if not isinstance(config, dict):
        raise ConfigError(f"the config must be a mapping of keys to values, got {type(config).__name__}")
    s = schema()
    scales, problems = _resolved_scales(config.get("scales"))
    config = {**config, "scales": scales}  # checked as it will be read
    if not problems:
        problems = _schema_problems(s, config)
        scale, scales = config.get("scale"), config.get("scales")
        if isinstance(scale, str) and isinstance(scales, dict) and scale not in scales:
            problems.append(
                f"config key 'scale': {scale!r} is not a scale of this config; "
                f"defined: {', '.join(scales)} (add your own under `scales`)"
            )
    for name, block in config.get("experiments", {}).items() if not problems else ():
        if exp.kind(config, name) not in s["$defs"]["kinds"]:
            problems.append(
                f"config key 'experiments.{name}': its kind {exp.kind(config, name)!r} (the name, where it sets no "
                f"`kind`) is not one of {', '.join(s['$defs']['kinds'])}; set `kind:`"
            )
            continue
        # Each experiment block against its kind's schema.
        kind_schema = {"$defs": s["$defs"], "$ref": f"#/$defs/kinds/{exp.kind(config, name)}"}
        problems += _schema_problems(kind_schema, block, ("experiments", name))
    if not problems:
        problems = _semantic_problems(config)
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))


def resolve(config: dict[str, Any]) -> dict[str, Any]:
    """A new config, every scale that names a ``base`` filled in from it (a base may have a base): what the
    plan, and so the rules and the bench, read. Refuses a config that ``validate`` would refuse.

    Nested blocks (``sizes``, ``cifar_sizes``) merge key by key, so ``{base: quick, sizes: {train: 20000}}``
    keeps quick's val and test sizes. The ``base`` key stays, so per-scale settings of an experiment
    (its ``seeds``) apply to the scales built on that scale too.
    """
    validate(config)
    return {**copy.deepcopy(config), "scales": _resolved_scales(config["scales"])[0]}


def _resolved_scales(scales) -> tuple[Any, list[str]]:
    """The scales with their bases merged in (a new mapping; the blocks are not changed), and the problems."""
    if not isinstance(scales, dict):
        return scales, []  # the schema says what is wrong
    problems, done = [], {}

    def resolved(name: str, chain: tuple) -> dict | None:
        if name in done:
            return done[name]
        block = scales[name]
        if not isinstance(block, dict) or "base" not in block:
            done[name] = block
            return block
        base = block["base"]
        if not isinstance(base, str) or base not in scales or base in chain:
            why = "is not a scale of this config" if base not in scales else "leads back to this scale"
            problems.append(f"config key 'scales.{name}.base': {base!r} {why}; defined: {', '.join(scales)}")
            return None
        parent = resolved(base, (*chain, name))
        if parent is None:
            return None
        merged = dict(parent)
        for k, v in block.items():  # nested blocks merge key by key; anything else replaces the base's value
            both = isinstance(v, dict) and isinstance(parent.get(k), dict)
            merged[k] = {**parent[k], **v} if both else v
        done[name] = merged
        return merged

    for name in scales:
        resolved(name, ())
    return {name: done.get(name, block) for name, block in scales.items()}, problems


def _schema_problems(s: dict, instance, prefix: tuple = ()) -> list[str]:
    validator = jsonschema.Draft202012Validator(s)
    return [_describe(e, prefix) for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))]


def _transfer_matrix_problems(name: str, p: dict) -> list[str]:
    key, problems = f"experiments.{name}", []
    for d, spec in p["datasets"].items():
        for field, sets in (("objects", p["object_sets"]), ("categories", p["category_sets"])):
            if spec[field] not in sets:
                problems.append(
                    f"config key '{key}.datasets.{d}.{field}': {spec[field]!r} is not one of its "
                    f"{field.replace('categories', 'category')}_sets; allowed: {', '.join(sets)}"
                )
    for field in ("pretrain_on", "probe_on"):
        for d in p[field]:
            if d not in p["datasets"]:
                problems.append(
                    f"config key '{key}.{field}': {d!r} is not one of its datasets; allowed: {', '.join(p['datasets'])}"
                )
    if sum(p["object_sets"].values()) > FOREGROUND_POOL_SIZE:
        problems.append(
            f"config key '{key}.object_sets': {sum(p['object_sets'].values())} objects in all cannot "
            f"be disjoint draws from a pool of {FOREGROUND_POOL_SIZE}"
        )
    return problems


# Folders of results/ that are not a run's: a scale or the verdict by one of these names would write into them.
SHARED_FOLDERS = ("assets", "figures", "logs")


def _name_problems(config: dict) -> list[str]:
    """Names that would make two outputs one file or folder (figures, results/<scale>, results/<verdict>)."""
    problems = exp.collisions(config)
    for name in config["scales"]:
        if name in SHARED_FOLDERS or name == config["verdict"]:
            problems.append(
                f"config key 'scales.{name}': results/{name}/ is already "
                + ("the verdict's folder" if name == config["verdict"] else "shared by every run")
                + f"; rename the scale (not {', '.join(SHARED_FOLDERS)} or the verdict's name)"
            )
    if config["verdict"] in SHARED_FOLDERS:
        problems.append(
            f"config key 'verdict': results/{config['verdict']}/ is shared by every run; choose another name"
        )
    return problems


def _late_value_problems(config: dict) -> list[str]:
    """Values only a figure job reads, checked now rather than after the training: palettes and titles."""
    import seaborn as sns
    from matplotlib.mathtext import MathTextParser

    problems = []
    palette = config["figures"]["fig2"]["palette"]
    try:
        sns.color_palette(palette)
    except (ValueError, KeyError) as e:
        problems.append(
            f"config key 'figures.fig2.palette': seaborn has no palette {palette!r} ({e}); "
            "try colorblind, deep, muted or a matplotlib colormap name"
        )
    parser = MathTextParser("agg")
    for name, block in config["experiments"].items():
        title = block.get("title") if isinstance(block, dict) else None
        if title and title.replace(r"\$", "").count("$") >= 2:  # matplotlib reads $...$ as mathtext
            try:
                parser.parse(title, dpi=72)
            except ValueError as e:
                first = str(e).strip().splitlines()[-1]
                problems.append(
                    f"config key 'experiments.{name}.title': matplotlib cannot draw {title!r} as math text "
                    f"({first}); escape a literal dollar sign as \\$"
                )
    return problems


def _semantic_problems(config: dict) -> list[str]:
    problems = _name_problems(config) + _late_value_problems(config)
    pool = category_pool(config)
    for name in config["experiments"]:
        p, kind = config["experiments"][name], exp.kind(config, name)
        if "objects_per_set" in p and 2 * p["objects_per_set"] > FOREGROUND_POOL_SIZE:
            problems.append(
                f"config key 'experiments.{name}.objects_per_set': {p['objects_per_set']} objects per set cannot make "
                f"two disjoint sets from a pool of {FOREGROUND_POOL_SIZE}; "
                f"allowed: at most {FOREGROUND_POOL_SIZE // 2}"
            )
        if isinstance(p.get("transforms_per_set"), int) and 2 * p["transforms_per_set"] > len(pool):
            problems.append(
                f"config key 'experiments.{name}.transforms_per_set': {p['transforms_per_set']} categories per set "
                f"cannot make two disjoint sets from the {len(pool)} of `categories`; allowed: at most "
                f"{len(pool) // 2}"
            )
        if p.get("objects", 0) > FOREGROUND_POOL_SIZE:
            problems.append(
                f"config key 'experiments.{name}.objects': {p['objects']} objects from a pool of "
                f"{FOREGROUND_POOL_SIZE}; allowed: at most {FOREGROUND_POOL_SIZE}"
            )
        if kind == "transfer_matrix":
            problems += _transfer_matrix_problems(name, p)
        for scale in p.get("seeds", {}):
            if scale not in config["scales"]:
                problems.append(
                    f"config key 'experiments.{name}.seeds.{scale}': not a scale; "
                    f"allowed: {', '.join(config['scales'])}"
                )
        source = p.get("draws_from")
        if source is not None and (source not in config["experiments"] or exp.kind(config, source) != "fig2"):
            fig2s = [e for e in config["experiments"] if exp.kind(config, e) == "fig2"]
            problems.append(
                f"config key 'experiments.{name}.draws_from': {source!r} is not a fig2-kind experiment; "
                f"allowed: {', '.join(fig2s) or 'none in this config'}"
            )
    drawable = []
    if not problems:
        for name in config["experiments"]:  # a design that cannot be drawn (e.g. more of a family than the pool has)
            try:
                exp.design(config, config["scale"], name, 0)
                drawable.append(name)
            except exp.DesignError as e:
                problems.append(f"config key 'experiments.{name}': {e}")
    figs = exp.figures(config)
    for f in config["all"]:
        if f not in figs:
            problems.append(f"config key 'all': {f!r} is not a figure of this config; allowed: {', '.join(figs)}")
        elif figs[f].plot == "fig6b" and not exp.design(config, config["scale"], figs[f].experiment, 0).l2_models:
            problems.append(
                f"config key 'all': {f} measures l2 ratios on {', '.join(fig6.L2_DATASETS)}, which "
                "are not all in `categories`; add them there or remove it from `all`"
            )
    cifar_based = [e for e in drawable if exp.on_cifar(config, e)]
    looks = {f"scales.{n}.seeds": s["seeds"] for n, s in config["scales"].items()}
    looks |= {
        f"experiments.{e}.seeds.{n}": v for e, b in config["experiments"].items() for n, v in b.get("seeds", {}).items()
    }
    for key, value in looks.items():
        if isinstance(value, list) and any(b <= a for a, b in zip(value, value[1:])):
            problems.append(f"config key '{key}': looks {value} must increase (seed counts at each planned look)")
    for name, s in config["scales"].items():
        if s["sizes"]["train"] < 2:
            problems.append(f"config key 'scales.{name}.sizes.train': needs at least 2 samples")
        key = "cifar_sizes" if "cifar_sizes" in s else "sizes"
        c = s[key]
        if cifar_based and (c["train"] + c["val"] > CIFAR_SPLITS["train"] or c["test"] > CIFAR_SPLITS["test"]):
            problems.append(
                f"config key 'scales.{name}.{key}': {', '.join(cifar_based)} draw train and val from CIFAR-10's "
                f"{CIFAR_SPLITS['train']} training images and test from its {CIFAR_SPLITS['test']} test images; "
                f"asked train {c['train']} + val {c['val']} and test {c['test']}. Set `scales.{name}.cifar_sizes` "
                f"within them (the authors': train 45000, val 5000, test 10000)"
            )
    return problems


# A config document with this key is a YTE template, which Snakemake evaluates: Python code in it runs.
YTE_KEY = "__use_yte__"


def check_yaml(path: str, evaluated: bool = False) -> None:
    """Fail with the file, line and column of a YAML syntax error (Snakemake's own message names neither),
    and on a template that asks Snakemake to run code (YTE_KEY): configs here are plain YAML.

    A missing file is left to Snakemake, which may have been given another one with --configfile.
    ``evaluated``: Snakemake has already read the file (a --configfile, read with the command line).
    """
    if not Path(path).exists():
        return
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path} is not valid YAML{where}: {getattr(e, 'problem', e)}. "
            "Fix the file (compare with config.yaml in the repository) and rerun."
        ) from None
    if isinstance(doc, dict) and YTE_KEY in doc:
        raise ConfigError(
            f"{path} sets {YTE_KEY}: Snakemake evaluates such a file as a YTE template, running the Python code "
            "in it. This workflow takes plain YAML only: remove the key and its ?-expressions"
            + (
                ". Snakemake had already evaluated it (it reads every --configfile with the command line, before "
                "the workflow), so check what it ran"
                if evaluated
                else "; nothing in it was run"
            )
        )
