"""Every dataset, model, probe and l2 measurement a run needs, each once, named by content.

The designs name datasets per experiment ("alpha=0", "beta=1", "X=C+O,Y=C"); here each
spec gets an id from its content, so a dataset or model two figures share is one file and
one job. The per-figure names survive in ``rows``, which the tables join back on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from invariance import dataset_kinds
from invariance import experiments as exp


def dataset_id(spec: dict) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[: dataset_kinds.ID_DIGITS]
    return f"{dataset_kinds.of(spec).prefix}-{digest}"


def content(spec: dict, role: str) -> dict[str, list]:
    """What a dataset is made of, as table columns: its transformation categories and object (pool) indices."""
    groups = spec.get("groups", [{"objects": spec.get("objects", []), "transforms": []}])
    categories = list(dict.fromkeys(t for g in groups for t in g["transforms"]))
    return {f"{role}_categories": categories, f"{role}_objects": [int(o) for g in groups for o in g["objects"]]}


def _describe(d: exp.Design, name: str, role: str, ids: dict[str, str]) -> dict:
    """The columns a table row gets for one dataset of a design: name, id, content, design values, plot order."""
    order = d.pretrain_on if role == "pretrain" else d.probe_on
    return {
        f"{role}_dataset" if role == "pretrain" else "target": name,
        f"{role}_id": ids[name],
        f"{role}_order": order.index(name) if name in order else -1,
        **content(d.datasets[name], role),
        **{f"{role}_{k}": v for k, v in d.values.get(name, {}).items()},
    }


@dataclass
class Registry:
    datasets: dict[tuple[int, str], dict] = field(default_factory=dict)  # (seed, id) -> spec
    models: dict[tuple[int, str, str], None] = field(default_factory=dict)  # ordered set of (seed, id, arch)
    probes: dict[tuple[int, str, str], list[str]] = field(default_factory=dict)  # model -> target ids
    rows: dict[str, list[dict]] = field(default_factory=dict)  # experiment -> probe rows
    trained: dict[str, list[dict]] = field(default_factory=dict)  # experiment -> pretraining rows
    # (experiment, seed, arch) -> the l2 job's models and datasets, name -> id
    l2: dict[tuple[str, int, str], dict] = field(default_factory=dict)
    # (experiment, seed, arch) -> the sensitivity job's models (id -> its pretraining rows) and objects
    sensitivity: dict[tuple[str, int, str], dict] = field(default_factory=dict)

    def kind(self, seed: int, dataset: str) -> dataset_kinds.DatasetKind:
        return dataset_kinds.of(self.datasets[(seed, dataset)])


def build(config: dict, scale: str) -> Registry:
    reg = Registry()
    for name in exp.experiments(config):
        rows, trained = reg.rows.setdefault(name, []), reg.trained.setdefault(name, [])
        for seed in exp.seeds(config, scale, name):
            d = exp.design(config, scale, name, seed)
            ids = {k: dataset_id(spec) for k, spec in d.datasets.items()}
            for k, spec in d.datasets.items():
                reg.datasets.setdefault((seed, ids[k]), spec)
            for arch in d.architectures:
                for src in dict.fromkeys(d.pretrain_on + d.l2_models):
                    model = (seed, ids[src], arch)
                    reg.models.setdefault(model)
                    source = {"seed": seed, "architecture": arch, **_describe(d, src, "pretrain", ids)}
                    trained.append(source)
                    if src not in d.pretrain_on:
                        continue  # trained for the l2 ratios only
                    targets = reg.probes.setdefault(model, [])
                    for t in d.probe_on:
                        if ids[t] not in targets:
                            targets.append(ids[t])
                        rows.append({**source, **_describe(d, t, "target", ids)})
                if d.sensitivity_models:
                    # id -> a row per name it has in the design (alpha=0, beta=1 and fig 3's X=C+O,Y=C are one model)
                    models: dict[str, list[dict]] = {}
                    for m in d.sensitivity_models:
                        row = {"seed": seed, "architecture": arch, **_describe(d, m, "pretrain", ids)}
                        models.setdefault(ids[m], []).append(row)
                    reg.sensitivity[(name, seed, arch)] = {"models": models, "objects": list(d.sensitivity_objects)}
                if d.l2_models:
                    reg.l2[(name, seed, arch)] = {
                        "models": {m: ids[m] for m in d.l2_models},
                        "datasets": {t: ids[t] for t in d.l2_datasets},
                    }
    return reg


def users(reg: Registry) -> dict[tuple[int, str], set[str]]:
    """(seed, dataset id) -> the experiments that pretrain on it or probe on it."""
    out: dict[tuple[int, str], set[str]] = {}
    for experiment, rows in (*reg.rows.items(), *reg.trained.items()):
        for r in rows:
            for role in ("pretrain_id", "target_id"):
                if role in r:
                    out.setdefault((r["seed"], r[role]), set()).add(experiment)
    return out


def priorities(reg: Registry, ranks: dict[str, int]) -> dict[tuple[int, str], int]:
    """(seed, dataset id) -> the highest rank among the experiments that use it (experiment -> rank).

    A dataset's render, pretraining and probe jobs all take it, so one experiment's jobs run before
    a lower-ranked one's whenever both are ready. Datasets of unranked experiments are absent (0).
    """
    return {
        key: max(ranks[e] for e in used if e in ranks)
        for key, used in users(reg).items()
        if any(e in ranks for e in used)
    }
