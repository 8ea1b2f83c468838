"""Every figure a config can make, derived from its experiments: name -> what draws it and what it reads.

A figure is ``results/figures/<name>.pdf``. Each experiment kind makes its figures,
named ``<experiment><suffix>`` (fig 6 makes fig6a and fig6b); figs 1 and 7 show examples
of the assets and read no experiment. ``plot`` names the rule (and script) that draws it.
A new experiment kind registers its figures here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from invariance import dataset_kinds
from invariance import experiments as exp


@dataclass(frozen=True)
class Figure:
    plot: str  # the rule that draws it: fig1 | fig2 | heatmap | fig4 | sensitivity | fig6b | fig7 | curves
    experiment: str | None = None  # whose tables it reads


# Per experiment kind: figure-name suffix -> plot.
KIND_FIGURES = {
    "fig2": {"": "fig2"},
    "fig3": {"": "heatmap"},
    "fig4": {"": "fig4", "_sensitivity": "sensitivity"},
    "fig5": {"": "heatmap"},
    "fig6": {"a": "heatmap", "b": "fig6b"},
    "fig8": {"": "heatmap"},
    "order": {"": "heatmap"},
    "transfer_matrix": {"": "heatmap"},
}
ASSET_FIGURES = {"fig1": Figure("fig1"), "fig7": Figure("fig7")}
# Every experiment that pretrains models of its own also gets <experiment>_curves (its training curves).
CURVES = "_curves"
# Titles of the paper's heatmaps, by experiment kind; a transfer matrix's comes from its config block.
HEATMAP_TITLES = {
    "fig3": "Transfer between CIFAR-10 with and without pasted objects, labelled by class (Y=C) or object (Y=O)",
    "fig5": "Transfer between datasets whose classes share T1, T2, both, or their concatenation",
    "fig6": "Transfer between single-transformation datasets",
    "fig8": "Transfer between nested transformation sets T1 in ... in Tn (|Ti| = i)",
    "order": "Transfer from D(O1, T1) to the same objects with T1 reversed, and with a disjoint T2",
}


def _entries(config: dict):
    """(name, figure) for every figure the config makes, a name twice where two would be one file."""
    yield from ASSET_FIGURES.items()
    for e in exp.experiments(config):
        for suffix, plot in KIND_FIGURES[exp.kind(config, e)].items():
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
    kind = exp.kind(config, experiment)
    default = f"{experiment}: linear-probe accuracy of each pretrained model (rows) on each target (columns)"
    return HEATMAP_TITLES.get(kind) or config["experiments"][experiment].get("title", default)


def on_cifar(config: dict, experiment: str) -> bool:
    """Whether an experiment's datasets are drawn on CIFAR-10 images (its footnote then names them)."""
    # Which datasets a design has does not depend on the scale, only their sizes do.
    datasets = exp.design(config, "smoke", experiment, 0).datasets.values()
    return any(dataset_kinds.of(spec).cifar_based for spec in datasets)


def drawn_by(figs: dict[str, Figure], plot: str) -> list[str]:
    return [name for name, f in figs.items() if f.plot == plot]
