"""Load and check the workflow configuration before any job runs.

Errors name the key, the bad value and what is allowed, so a typo on the command line
(`--config scale=quik`) is caught at DAG-building time rather than an hour in.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.models import ARCHITECTURES
from invariance.transforms2d.categories import CATEGORY_NAMES


class ConfigError(ValueError):
    pass


def schema() -> dict:
    """The schema file, with the lists that registries own (architectures) filled in from them."""
    s = yaml.safe_load(resources.files("invariance").joinpath("config.schema.yaml").read_text())
    s["$defs"]["architectures"]["items"] = {"enum": list(ARCHITECTURES)}
    return s


def _where(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _describe(err: jsonschema.ValidationError) -> str:
    key = _where(err.absolute_path)
    if err.validator == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"config key '{key}': {err.instance!r} is not allowed; allowed values: {allowed}"
    if err.validator == "additionalProperties":
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        return f"config key '{key}': {err.message}; allowed keys: {allowed}"
    if err.validator == "required":
        return f"config key '{key}': {err.message}; see config.yaml for a complete example"
    return f"config key '{key}': {err.instance!r} is invalid: {err.message}"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    """Raise ConfigError listing every problem; return the config unchanged when it is valid."""
    if not isinstance(config, dict):
        raise ConfigError(f"the config must be a mapping of keys to values, got {type(config).__name__}")
    validator = jsonschema.Draft202012Validator(schema())
    problems = [_describe(e) for e in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))]
    if not problems:
        problems = _semantic_problems(config)
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))
    return config


def _semantic_problems(config: dict) -> list[str]:
    problems = []
    for name in ("fig2", "fig5"):
        p = config["experiments"][name]
        if 2 * p["objects_per_set"] > FOREGROUND_POOL_SIZE:
            problems.append(
                f"config key 'experiments.{name}.objects_per_set': {p['objects_per_set']} objects per set cannot make "
                f"two disjoint sets from a pool of {FOREGROUND_POOL_SIZE}; "
                f"allowed: at most {FOREGROUND_POOL_SIZE // 2}")
        if 2 * p["transforms_per_set"] > len(CATEGORY_NAMES):
            problems.append(
                f"config key 'experiments.{name}.transforms_per_set': {p['transforms_per_set']} categories per set "
                f"cannot make two disjoint sets from the {len(CATEGORY_NAMES)} categories; allowed: at most "
                f"{len(CATEGORY_NAMES) // 2}")
    for name in ("fig6", "fig8"):
        n = config["experiments"][name]["objects"]
        if n > FOREGROUND_POOL_SIZE:
            problems.append(f"config key 'experiments.{name}.objects': {n} objects from a pool of "
                            f"{FOREGROUND_POOL_SIZE}; allowed: at most {FOREGROUND_POOL_SIZE}")
    for name, s in config["scales"].items():
        if s["sizes"]["train"] < 2:
            problems.append(f"config key 'scales.{name}.sizes.train': needs at least 2 samples")
    return problems


def _flat(d: dict, prefix: str = "") -> dict:
    return {k2: v2 for k, v in d.items()
            for k2, v2 in (_flat(v, f"{prefix}{k}.").items() if isinstance(v, dict) else [(f"{prefix}{k}", v)])}


def recipe_note(scale: str, recipe: dict, paper: dict) -> str:
    """How a scale's recipe differs from the paper's, key by key (config.yaml's `scales`)."""
    if recipe == paper:
        return "the paper's recipe"
    ours, theirs = _flat(recipe), _flat(paper)
    diffs = ", ".join(f"{k} {ours[k]:g} (paper {theirs[k]:g})" if isinstance(ours[k], (int, float))
                      else f"{k} {ours[k]} (paper {theirs[k]})" for k in ours if ours[k] != theirs.get(k))
    return f"differs from the paper's recipe at scale {scale}: {diffs}"


def check_yaml(path: str) -> None:
    """Fail with the file, line and column of a YAML syntax error (Snakemake's own message names neither).

    A missing file is left to Snakemake, which may have been given another one with --configfile.
    """
    if not Path(path).exists():
        return
    try:
        with open(path) as f:
            yaml.safe_load(f)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path} is not valid YAML{where}: {getattr(e, 'problem', e)}. "
                          "Fix the file (compare with config.yaml in the repository) and rerun.") from None
