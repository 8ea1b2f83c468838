"""Is a run in the paper's regime? Own-task accuracy of every pretrained model, and how converged its probes are.

The paper's claims are about models that learned their own task ("models trained on the same or a
superset of transformations consistently achieve 100%") and about converged linear probes; a verdict
read off weaker models or unconverged probes says less. Both are summarised beside the verdict.
"""

from __future__ import annotations

import pandas as pd

IN_REGIME = 0.85  # the least own-task accuracy counted as "learned its task"


def last_epochs(training: pd.DataFrame) -> pd.DataFrame:
    """Each model's last training-table row (its final own-task accuracies)."""
    key = ["experiment", "seed", "architecture", "pretrain_dataset"]
    return training.sort_values("epoch").groupby(key).last().reset_index()


def own_task(training: pd.DataFrame) -> pd.DataFrame:
    """Per experiment and architecture: last-epoch test accuracy of each model on its own task, summarised."""
    last = last_epochs(training)
    rows = []
    for (experiment, arch), g in last.groupby(["experiment", "architecture"], sort=True):
        acc = g["test_accuracy"]
        weak = g[acc < IN_REGIME].sort_values("test_accuracy")
        rows.append(
            {
                "experiment": experiment,
                "architecture": arch,
                "models": len(g),
                "min": acc.min(),
                "median": acc.median(),
                "max": acc.max(),
                "below": len(weak),
                "weakest": [
                    f"{r.pretrain_dataset} (seed {r.seed}) {r.test_accuracy:.2f}" for r in weak.head(4).itertuples()
                ],
            }
        )
    return pd.DataFrame(rows)


def probe_convergence(probes: pd.DataFrame) -> pd.DataFrame:
    """Per experiment and architecture: the converged probe against the paper's Adam protocol on the same features."""
    g = probes.groupby(["experiment", "architecture"], sort=True)
    out = g.agg(
        probes=("lbfgs_accuracy", "size"),
        lbfgs=("lbfgs_accuracy", "mean"),
        adam=("adam_accuracy", "mean"),
        converged=("lbfgs_converged", "mean"),
        iterations=("lbfgs_iterations", "median"),
    )
    out["adam_minus_lbfgs"] = g.apply(lambda d: (d.adam_accuracy - d.lbfgs_accuracy).mean(), include_groups=False)
    return out.reset_index()


def to_markdown(models: pd.DataFrame, probes: pd.DataFrame) -> str:
    lines = [
        "## Are the models and probes in the paper's regime?",
        "",
        f"Own-task test accuracy of every pretrained model at its last epoch (the paper's models are near 1.0); "
        f"'below' counts models under {IN_REGIME}.",
        "",
        "| experiment | architecture | models | min | median | max | below | weakest |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in models.itertuples():
        lines.append(
            f"| {r.experiment} | {r.architecture} | {r.models} | {r.min:.3f} | {r.median:.3f} | "
            f"{r.max:.3f} | {r.below} | {'; '.join(r.weakest)} |"
        )
    lines += [
        "",
        "Linear probes: mean test accuracy of the converged probe (L-BFGS) and of the paper's protocol "
        "(Adam, probe_epochs) on the same frozen features; 'converged' is the share of L-BFGS fits that "
        "reached the gradient tolerance.",
        "",
        "| experiment | architecture | probes | L-BFGS | Adam | Adam - L-BFGS | converged | median iterations |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in probes.itertuples():
        lines.append(
            f"| {r.experiment} | {r.architecture} | {r.probes} | {r.lbfgs:.3f} | {r.adam:.3f} | "
            f"{r.adam_minus_lbfgs:+.3f} | {r.converged:.0%} | {r.iterations:.0f} |"
        )
    return "\n".join(lines) + "\n"
