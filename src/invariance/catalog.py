"""Every figure a config can make, derived from its experiments: name -> what draws it and what it reads.

A figure is ``results/figures/<name>.pdf``. Each experiment kind makes its figures,
named ``<experiment><suffix>`` (fig 6 makes fig6a and fig6b); figs 1 and 7 show examples
of the assets and read no experiment. ``plot`` names the rule (and script) that draws it.
A new experiment kind registers its figures here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from invariance import experiments as exp


@dataclass(frozen=True)
class Figure:
    plot: str  # the rule that draws it: fig1 | fig2 | heatmap | fig4 | fig6b | fig7
    experiment: str | None = None  # whose tables it reads


# Per experiment kind: figure-name suffix -> plot.
KIND_FIGURES = {
    "fig2": {"": "fig2"},
    "fig3": {"": "heatmap"},
    "fig4": {"": "fig4"},
    "fig5": {"": "heatmap"},
    "fig6": {"a": "heatmap", "b": "fig6b"},
    "fig8": {"": "heatmap"},
    "transfer_matrix": {"": "heatmap"},
}
ASSET_FIGURES = {"fig1": Figure("fig1"), "fig7": Figure("fig7")}


def figures(config: dict) -> dict[str, Figure]:
    out = dict(ASSET_FIGURES)
    for e in exp.experiments(config):
        for suffix, plot in KIND_FIGURES[exp.kind(config, e)].items():
            out[f"{e}{suffix}"] = Figure(plot, e)
    return dict(sorted(out.items()))


def drawn_by(figs: dict[str, Figure], plot: str) -> list[str]:
    return [name for name, f in figs.items() if f.plot == plot]
