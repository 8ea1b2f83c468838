"""Experiment kinds, one module each, and what a config makes of them: designs, figures, claims.

Each kind's module (``fig2``, ``fig4``, ...) holds, whole, its dataset names, its design, its
figures and its heatmap's title (its ``KIND``), and its checks and claims (its ``CLAIMS``). Adding a
kind is a module and a row in ``KINDS`` below, and one in ``CLAIMS`` if it has claims
(docs/extending.md). An experiment's kind is its ``kind`` key in config.yaml (default: its name).

A figure is ``results/figures/<name>.pdf``: each experiment makes its kind's figures, named
``<experiment><suffix>`` (fig 6 makes fig6a and fig6b), and every experiment that pretrains models
of its own also ``<experiment>_curves``; figs 1 and 7 show examples of the assets and read no
experiment. A figure's ``plot`` names the rule (and script) that draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from invariance import dataset_kinds
from invariance.experiments import fig2, fig3, fig4, fig5, fig6, fig8, order, transfer_matrix
from invariance.experiments.common import Design, DesignError, ExperimentKind

__all__ = ["Design", "DesignError", "ExperimentKind"]

# Every kind, and every claim in claims.md's order. The claims are collected through each module's CLAIMS,
# not its KIND (nor the module as a value), so that the verdict's code version covers the checks and not the
# designs or the rendering code they reach (docs/reruns.md); tests/test_claims.py checks the two agree.
KINDS: dict[str, ExperimentKind] = {
    k.name: k
    for k in (fig2.KIND, order.KIND, fig3.KIND, fig4.KIND, fig5.KIND, fig6.KIND, fig8.KIND, transfer_matrix.KIND)
}
CLAIMS = (*fig2.CLAIMS, *order.CLAIMS, *fig3.CLAIMS, *fig4.CLAIMS, *fig5.CLAIMS, *fig6.CLAIMS, *fig8.CLAIMS)


def kind(config: dict, experiment: str) -> str:
    return config["experiments"][experiment].get("kind", experiment)


def experiments(config: dict) -> tuple[str, ...]:
    return tuple(config["experiments"])


def design(config: dict, scale: str, experiment: str, seed: int) -> Design:
    if experiment not in config["experiments"]:
        raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(experiments(config))}")
    d = KINDS[kind(config, experiment)].design(config, scale, int(seed), experiment)
    archs = tuple(config["experiments"][experiment]["architectures"])
    block = config["scales"][scale]
    datasets = {k: dataset_kinds.of(spec).at_scale(spec, block) for k, spec in d.datasets.items()}
    return replace(d, datasets=datasets, architectures=archs)


def scale_lineage(config: dict, scale: str) -> list[str]:
    """The scale, then its base, its base's base...: where per-scale settings are looked up in turn."""
    out = [scale]
    while "base" in config["scales"][out[-1]]:
        out.append(config["scales"][out[-1]]["base"])
    return out


def looks(config: dict, scale: str, experiment: str | None = None) -> tuple[int, ...]:
    """The planned looks, as seed counts: the experiment's own `seeds` for this scale or else the scale's.

    A count is one look; a list is a group-sequential plan (docs/verdict.md): seeds beyond a look are
    built only while the experiment has claims left undecided there.
    """
    if experiment is None:
        n = config["scales"][scale]["seeds"]
        return tuple(n) if isinstance(n, list) else (n,)
    block = config["experiments"][experiment]
    for name in scale_lineage(config, scale):  # a scale of your own built on quick takes quick's counts
        if name in block.get("seeds", {}):
            n = block["seeds"][name]
            return tuple(n) if isinstance(n, list) else (n,)
    if "draws_from" in block:  # the same draws, hence the same seeds: its models are shared
        return looks(config, scale, block["draws_from"])
    return looks(config, scale)


def seeds(config: dict, scale: str, experiment: str | None = None) -> list[int]:
    """Seeds 0..n-1 up to the last planned look: every seed the experiment may need."""
    return list(range(looks(config, scale, experiment)[-1]))


# ---- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    plot: str  # the rule that draws it: fig1 | fig2 | heatmap | fig4 | sensitivity | fig6b | fig7 | curves
    experiment: str | None = None  # whose tables it reads


ASSET_FIGURES = {"fig1": Figure("fig1"), "fig7": Figure("fig7")}
CURVES = "_curves"  # every experiment that pretrains models of its own: <experiment>_curves


def _entries(config: dict):
    """(name, figure) for every figure the config makes, a name twice where two would be one file."""
    yield from ASSET_FIGURES.items()
    for e in experiments(config):
        for suffix, plot in KINDS[kind(config, e)].figures.items():
            yield f"{e}{suffix}", Figure(plot, e)
        if "draws_from" not in config["experiments"][e]:  # otherwise its models and curves are another's
            yield f"{e}{CURVES}", Figure("curves", e)


def _origin(f: Figure) -> str:
    return f"the {f.plot} figure of experiment {f.experiment!r}" if f.experiment else f"the asset figure {f.plot}"


def collisions(config: dict) -> list[str]:
    """Every pair of outputs the config would make one file: two figures, or a figure and the verdict's chart."""
    seen: dict[str, Figure] = {}
    problems = []
    for name, f in _entries(config):
        if name in seen:
            problems.append(
                f"results/figures/{name}.pdf would be both {_origin(seen[name])} and {_origin(f)}: "
                "rename the experiment"
            )
        seen.setdefault(name, f)
    if config["verdict"] in seen:
        problems.append(
            f"config key 'verdict': {config['verdict']!r} is also {_origin(seen[config['verdict']])} "
            f"(results/figures/{config['verdict']}.pdf): choose another verdict name"
        )
    return problems


def figures(config: dict) -> dict[str, Figure]:
    return dict(sorted(dict(_entries(config)).items()))


def heatmap_title(config: dict, experiment: str) -> str:
    default = f"{experiment}: linear-probe accuracy of each pretrained model (rows) on each target (columns)"
    return KINDS[kind(config, experiment)].title or config["experiments"][experiment].get("title", default)


def on_cifar(config: dict, experiment: str) -> bool:
    """Whether an experiment's datasets are drawn on CIFAR-10 images (its footnote then names them)."""
    datasets = design(config, config["scale"], experiment, 0).datasets.values()
    return any(dataset_kinds.of(spec).cifar_based for spec in datasets)


def drawn_by(figs: dict[str, Figure], plot: str) -> list[str]:
    return [name for name, f in figs.items() if f.plot == plot]
