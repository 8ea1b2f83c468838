"""What a results figure's footnote says about its recipe: how a scale differs from the paper's, key by key,
and where each key of the `paper` scale comes from."""

from __future__ import annotations


def _flat(d: dict, prefix: str = "") -> dict:
    return {
        k2: v2
        for k, v in d.items()
        for k2, v2 in (_flat(v, f"{prefix}{k}.").items() if isinstance(v, dict) else [(f"{prefix}{k}", v)])
    }


# Where each key of the `paper` scale comes from: the paper's text (App. A-C) states the epochs, Adam,
# the 25-epoch probe, the dataset sizes and 10 runs; the authors' public code fills the rest.
PAPER_SOURCES = {
    "the paper's text": ("sizes", "seeds", "pretrain_epochs", "cifar_pretrain_epochs", "probe_epochs", "probe_solver"),
    "the authors' code": (
        "cifar_sizes",
        "width",
        "batch_size",
        "lr",
        "lr_schedule",
        "probe_train_size",
        "cifar_augment",
        "fresh_draws",
    ),
    "this project's choice": ("eval_every",),
}
# Scale keys that are not part of the method, so the footnotes' list of differences from the paper leaves them
# out: what a scale is built on, and how often own-task accuracy is measured during pretraining (the last epoch
# always is, and it alone is reported). The paper scale's footnote still labels eval_every's source.
NOT_RECIPE = ("base", "eval_every")
# Outside the scale block, also from the authors' code: the probe's lr and batch (`probe:`), the 0.5/0.5
# input normalisation (data.py).
PAPER_EXTRAS = "probe lr and batch, input normalisation 0.5/0.5"


def paper_sources(paper: dict) -> str:
    """The paper scale's keys grouped by where they come from (footnotes say it; tests keep it complete)."""
    groups = [f"{src}: {', '.join(k for k in keys if k in paper)}" for src, keys in PAPER_SOURCES.items()]
    return "; ".join(groups) + f" (and {PAPER_EXTRAS})"


def recipe_note(scale: str, recipe: dict, paper: dict) -> str:
    """How a scale's recipe differs from the paper's, key by key (config.yaml's `scales`)."""
    method = lambda r: {k: v for k, v in r.items() if k not in NOT_RECIPE}  # noqa: E731
    if method(recipe) == method(paper):
        return f"the paper's recipe, from {paper_sources(paper)}"
    ours, theirs = _flat(method(recipe)), _flat(method(paper))
    show = lambda v: f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)  # noqa: E731
    diffs = ", ".join(
        f"{k} {show(ours[k])} (paper {show(theirs[k]) if k in theirs else 'not set'})"
        for k in ours
        if ours[k] != theirs.get(k)
    )
    return f"differs from the paper's recipe at scale {scale}: {diffs}"
