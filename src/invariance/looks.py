"""A planned look: judge an experiment's claims on its seeds so far, and say whether more seeds are needed.

The workflow builds the seeds past a look only when this says ``continue`` (docs/verdict.md): some row of
the experiment is undecided there, and a later look is planned. Rows that hold, do not hold, or are out of
regime need no more seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

from invariance import claims, records
from invariance import tables as tables_io
from invariance.artifacts import ArtifactError
from invariance.experiments import CLAIMS


def tables(params: dict, probes, histories, l2, sensitivity, run: dict) -> claims.Tables:
    """The experiment's tables as they would be at this look, from its per-seed results, built as the table rules do."""
    out = {
        "probes": tables_io.probe_table(params["rows"], dict(zip(params["probe_files"], probes)), run),
        "training": tables_io.curve_table(params["trained"], dict(zip(params["history_files"], histories)), run),
    }
    if l2:
        out["l2"] = tables_io.l2_table(list(l2), run)
    if sensitivity:
        out["sensitivity"] = tables_io.sensitivity_table(params["sensitivity_jobs"], list(sensitivity), run)
    return out


def decide(experiment: str, tables: claims.Tables, kind: str, looks: tuple[int, ...]) -> dict:
    rows = claims.evaluate(CLAIMS, {experiment: tables}, {experiment: kind}, {experiment: tuple(looks)})
    open_rows = rows[(rows.verdict == "undecided") & ~rows.final] if len(rows) else rows
    return {
        "experiment": experiment,
        "seeds": int(rows["seeds_at_look"].max()) if len(rows) else 0,
        "continue": bool(len(open_rows)),
        "undecided": [f"{r.claim} ({r.architecture})" for r in open_rows.itertuples()],
        "verdicts": rows["verdict"].value_counts().to_dict() if len(rows) else {},
    }


def write(decision: dict, path: str | Path) -> None:
    print(decision)
    records.write(path, "look", decision)


def read(path: str | Path) -> dict:
    """A look's decision, as the workflow reads it to plan the next look's seeds.

    Read here rather than through records.read: a damaged file names the look rule (artifacts' messages
    name the rules of the per-seed files, and an entry added there would change every rule's code version).
    """
    try:
        decision = json.loads(Path(path).read_text())
        if not isinstance(decision["continue"], bool):
            raise ValueError("'continue' is not true or false")
        return decision
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ArtifactError(
            f"{path} is damaged ({type(e).__name__}: {e}); it is the decision of the look rule: rebuild just it "
            f"with `snakemake --cores 1 --force {path}`, then rerun your target (everything else is kept)."
        ) from None
