"""Every dataset, model, probe and l2 measurement a run needs, each once, named by content.

The designs name datasets per figure ("alpha=0", "beta=1", "X=C+O,Y=C"); here each
spec gets an id from its content, so a dataset or model two figures share is one file and
one job. The per-figure names survive in ``rows``, which the tables join back on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from invariance import experiments as exp

KIND_PREFIX = {"transforms2d": "t2d", "pasted": "cifar"}


def dataset_id(spec: dict) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"{KIND_PREFIX[spec['kind']]}-{digest}"


def content(spec: dict, role: str) -> dict[str, list]:
    """What a dataset is made of, as table columns: its transformation categories and object (pool) indices."""
    groups = spec.get("groups", [{"objects": spec.get("objects", []), "transforms": []}])
    categories = list(dict.fromkeys(t for g in groups for t in g["transforms"]))
    return {f"{role}_categories": categories, f"{role}_objects": [int(o) for g in groups for o in g["objects"]]}


@dataclass
class Registry:
    datasets: dict[tuple[int, str], dict] = field(default_factory=dict)  # (seed, id) -> spec
    models: dict[tuple[int, str, str], None] = field(default_factory=dict)  # ordered set of (seed, id, arch)
    probes: dict[tuple[int, str, str], list[str]] = field(default_factory=dict)  # model -> target ids
    rows: dict[str, list[dict]] = field(default_factory=dict)  # experiment -> probe rows
    trained: dict[str, list[dict]] = field(default_factory=dict)  # experiment -> pretraining rows
    l2: dict[tuple[int, str], dict] = field(default_factory=dict)  # (seed, arch) -> models and datasets by name

    def kind(self, seed: int, dataset: str) -> str:
        return self.datasets[(seed, dataset)]["kind"]


def build(config: dict, scale: str, experiments=exp.EXPERIMENTS) -> Registry:
    reg = Registry()
    for name in experiments:
        rows, trained = reg.rows.setdefault(name, []), reg.trained.setdefault(name, [])
        for seed in exp.seeds(config, scale):
            d = exp.design(config, scale, name, seed)
            ids = {k: dataset_id(spec) for k, spec in d.datasets.items()}
            for k, spec in d.datasets.items():
                reg.datasets.setdefault((seed, ids[k]), spec)
            for arch in d.architectures:
                for src in d.pretrain_on:
                    model = (seed, ids[src], arch)
                    reg.models.setdefault(model)
                    source = {"seed": seed, "architecture": arch, "pretrain_dataset": src, "pretrain_id": ids[src],
                              **content(d.datasets[src], "pretrain")}
                    trained.append(source)
                    targets = reg.probes.setdefault(model, [])
                    for t in d.probe_on:
                        if ids[t] not in targets:
                            targets.append(ids[t])
                        rows.append({**source, "target": t, "target_id": ids[t], **content(d.datasets[t], "target")})
                if name == "fig6":
                    reg.l2[(seed, arch)] = {"models": {m: ids[m] for m in exp.FIG6B_MODELS},
                                            "datasets": {t: ids[t] for t in exp.FIG6B_DATASETS}}
    return reg
