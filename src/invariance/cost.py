"""What a run costs before it is submitted: jobs per step, GPU-hours asked for and expected, disk.

Computed from the plan's job registry, every planned look included (an upper bound where looks may
stop early). "Requested" is what the rules ask SLURM for (``resources.py``: generous budgets);
"expected" is the pretraining work at a throughput, either measured on the user's GPU by
``bench/gpu_check.py`` or the architectures' own estimates (``models.ARCHITECTURES``), and says which.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import yaml

from invariance import dataset_kinds, resources
from invariance.assets import BACKGROUND_POOL_SIZE
from invariance.models import ARCHITECTURES, build_model
from invariance.plan import Plan

LABEL_BYTES = 8  # an int64 label per image


class ThroughputError(ValueError):
    pass


def measured_throughput(gpu_check: Path, archs) -> dict[str, float]:
    """Images/s of the pipeline's training loop per architecture, from a paper-size gpu_check table."""
    df = pd.read_parquet(gpu_check)
    sizes = set(df["size"])
    if sizes != {"paper"}:  # the plan scales a width-1 throughput; a toy table is measured at width 1/8
        raise ThroughputError(
            f"{gpu_check} was measured at size {', '.join(sorted(sizes))}; the plan needs the paper-size check "
            "(`.venv/bin/python bench/gpu_check.py`, on the GPU you will use)"
        )
    rows = df[(df["check"] == "throughput") & (df["variant"] == "pipeline")]
    measured = dict(zip(rows["arch"], rows["images_per_s"].astype(float), strict=True))
    missing = sorted(set(archs) - set(measured))
    if missing:
        raise ThroughputError(
            f"{gpu_check} has no pipeline throughput for {', '.join(missing)}; rerun bench/gpu_check.py with "
            f"--archs {' '.join(sorted(set(archs)))}"
        )
    return measured


class ProfileError(ValueError):
    pass


def models_per_gpu(profile: Path, group: str = "model") -> int:
    """How many models' chains a profile packs onto one GPU: its ``group-components`` for the group, else 1."""
    settings = yaml.safe_load((profile / "config.yaml").read_text()) or {}
    for entry in settings.get("group-components", []):
        name, _, n = str(entry).partition("=")
        if name == group:
            if not n.isdigit() or int(n) < 1:
                raise ProfileError(
                    f"{profile}/config.yaml: group-components {entry!r} is not {group}=<count of models>"
                )
            return int(n)
    return 1


def planned_archs(p: Plan) -> list[str]:
    return sorted({arch for _, _, arch in p.registry.models})


def disk_bytes(p: Plan) -> tuple[dict[str, int], int]:
    """Bytes of the datasets each render rule writes (uint8 images, and the training layers of those drawn
    afresh: the class objects, a background pool of the paper's size, a background per sample) and of every
    model (fp32 weights)."""
    reg, sizes, data = p.registry, {}, {}
    for spec in reg.datasets.values():
        rule = dataset_kinds.of(spec).render_rule
        size = sum(spec["sizes"].values()) * (resources.BYTES_PER_IMAGE + LABEL_BYTES)
        if spec.get("fresh_draws"):
            objects = dataset_kinds.num_classes(spec) * resources.BYTES_PER_IMAGE * 4 // 3  # RGBA
            size += objects + BACKGROUND_POOL_SIZE * resources.BYTES_PER_IMAGE + spec["sizes"]["train"] * LABEL_BYTES
        data[rule] = data.get(rule, 0) + size
    weights = 0
    for seed, dataset, arch in reg.models:
        key = (
            arch,
            dataset_kinds.num_classes(reg.datasets[(seed, dataset)]),
            p.train_config(seed, dataset, arch).width,
        )
        if key not in sizes:
            model = build_model(*key)
            sizes[key] = 4 * sum(t.numel() for t in [*model.parameters(), *model.buffers()])
        weights += sizes[key]
    return data, weights


def packed_hours(runtimes: list[int], models_per_gpu: int) -> float:
    """GPU-hours asked for when every ``models_per_gpu`` jobs in turn share one GPU for the longest one's runtime.

    Packed in the plan's order; Snakemake's group-components may pack other models together.
    """
    return sum(max(runtimes[i : i + models_per_gpu]) for i in range(0, len(runtimes), models_per_gpu)) / 60


def plan_cost(p: Plan, throughput: dict[str, float] | None = None, models_per_gpu: int = 1) -> pd.DataFrame:
    """One row per step: jobs, GPU-hours requested, GPU-hours expected (pretraining only), disk in GiB.

    ``models_per_gpu``: how many models' pretraining and probe jobs share one GPU (profiles/slurm's
    ``group-components``); what each step requests is then its packed submissions' runtimes.
    """
    reg, throughput = p.registry, throughput or {}
    renders = Counter(dataset_kinds.of(spec).render_rule for spec in reg.datasets.values())
    rows = [{"step": rule, "jobs": n, "gpu_jobs": 0} for rule, n in sorted(renders.items())]
    expected = 0.0
    for seed, dataset, arch in reg.models:
        t = p.train_config(seed, dataset, arch)
        sizes = reg.datasets[(seed, dataset)]["sizes"]
        expected += resources.pretrain_seconds(arch, t.width, sizes, t.epochs, throughput.get(arch)) / 3600
    asked = [p.pretrain_resources(*m, models_per_gpu)["runtime"] for m in reg.models]
    rows.append(
        {"step": "pretrain", "jobs": len(reg.models), "gpu_jobs": len(reg.models)}
        | {"gpu_h_requested": packed_hours(asked, models_per_gpu), "gpu_h_expected": expected}
    )
    probes = [p.probe_resources(*m, models_per_gpu)["runtime"] for m in reg.probes]
    if probes:
        rows.append(
            {"step": "probe", "jobs": len(probes), "gpu_jobs": len(probes)}
            | {"gpu_h_requested": packed_hours(probes, models_per_gpu)}
        )
    gpu_steps = {
        "l2_ratios": [p.l2_resources(*k) for k in reg.l2],
        "sensitivity": [p.sensitivity_resources() for _ in reg.sensitivity],
    }
    for step, asked in gpu_steps.items():
        if asked:
            rows.append(
                {
                    "step": step,
                    "jobs": len(asked),
                    "gpu_jobs": len(asked),
                    "gpu_h_requested": sum(r["runtime"] for r in asked) / 60,
                }
            )
    df = pd.DataFrame(rows)
    data, weights = disk_bytes(p)
    disk = {rule: n / 2**30 for rule, n in data.items()} | {"pretrain": weights / 2**30}
    df["disk_gib"] = df.step.map(disk)
    return df


def describe(
    p: Plan, df: pd.DataFrame, throughput: dict[str, float] | None, source: str, models_per_gpu: int = 1
) -> str:
    archs = planned_archs(p)
    rate = ", ".join(
        f"{a} {throughput[a]:.0f}" if throughput and a in throughput else f"{a} {ARCHITECTURES[a].gpu_images_per_s}"
        for a in archs
    )
    total = df.sum(numeric_only=True)
    shown = df.rename(
        columns={"gpu_h_requested": "GPU-h requested", "gpu_h_expected": "GPU-h expected", "disk_gib": "disk GiB"}
    )
    return "\n".join(
        [
            f"Cost plan: scale={p.scale}, every planned look included, "
            f"{models_per_gpu} model(s) per GPU for pretraining and probing",
            shown.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.1f}"),
            f"total: {int(total.jobs)} jobs ({int(total.gpu_jobs)} on a GPU), "
            f"{total.gpu_h_requested:.0f} GPU-h requested, {total.gpu_h_expected:.0f} GPU-h of pretraining expected, "
            f"{total.disk_gib:.1f} GiB of datasets and models (plus assets, and checkpoints while training)",
            f"expected at images/s per architecture at width 1 ({source}): {rate}; "
            "probing, l2 and sensitivity are not in it",
        ]
    )
