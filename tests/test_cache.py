"""Snakemake's between-workflow cache: a second checkout restores datasets and models instead of computing them."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SNAKEMAKE, copy_workflow

from invariance import registry


def _run(wd: Path, cache: Path, target: str, *extra: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(wd / "src"), "SNAKEMAKE_OUTPUT_CACHE": str(cache)}
    proc = subprocess.run(
        [SNAKEMAKE, "--cores", "2", target, *extra, "--cache", "--config", "scale=smoke"],
        cwd=wd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _ran(log: Path) -> bool:
    """A job that ran wrote its log; for one restored from the cache Snakemake leaves it empty."""
    return log.exists() and log.stat().st_size > 0


def test_a_second_checkout_restores_from_the_cache_until_the_code_changes(tmp_path):
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    reg = registry.build(config, "smoke")  # its first model is fig 2's
    (seed, dataset, arch) = next(m for m in reg.models if m[2] == "resnet18")
    model = f"results/smoke/offline/models/seed{seed}/{dataset}/{arch}.pt"
    pretrain_log = f"results/logs/smoke/offline/pretrain/seed{seed}/{dataset}/{arch}.log"
    render_log = f"results/logs/smoke/offline/datasets/seed{seed}/{dataset}.log"
    cache = tmp_path / "cache"
    cache.mkdir()

    first = copy_workflow(tmp_path / "first")
    _run(first, cache, model)
    assert _ran(first / pretrain_log) and _ran(first / render_log)
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".npz", ".pt"]  # dataset, model, history

    second = copy_workflow(tmp_path / "second")
    _run(second, cache, model)
    assert (second / model).stat().st_size == (first / model).stat().st_size
    assert (second / model).read_bytes() == (first / model).read_bytes()
    assert not _ran(second / pretrain_log) and not _ran(second / render_log)  # restored, not run

    # The key holds the rule's code version (docs/reruns.md): a comment changes nothing, a changed forward
    # pass of the model's architecture means training again.
    training = second / "src/invariance/training.py"
    training.write_text(training.read_text() + "\n# an edit\n")
    _run(second, cache, model)
    assert not _ran(second / pretrain_log)
    models = second / "src/invariance/models.py"
    forward = "return torch.relu(out + self.shortcut(x))"  # the first: ResNet-18's BasicBlock
    models.write_text(models.read_text().replace(forward, "return torch.relu(out + 0.5 * self.shortcut(x))", 1))
    _run(second, cache, model)
    assert _ran(second / pretrain_log) and not _ran(second / render_log)


def test_a_damaged_cache_entry_is_dropped_when_read_so_force_rebuilds(tmp_path, monkeypatch):
    from invariance.artifacts import ArtifactError
    from invariance.training import load_state

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    reg = registry.build(config, "smoke")
    (seed, dataset, arch) = next(m for m in reg.models if m[2] == "resnet18")
    model = f"results/smoke/offline/models/seed{seed}/{dataset}/{arch}.pt"
    pretrain_log = f"results/logs/smoke/offline/pretrain/seed{seed}/{dataset}/{arch}.log"
    cache = tmp_path / "cache"
    cache.mkdir()
    first, second = copy_workflow(tmp_path / "first"), copy_workflow(tmp_path / "second")
    _run(first, cache, model)
    _run(second, cache, model)
    restored = second / model
    assert restored.is_symlink() and not _ran(second / pretrain_log)
    entry = restored.resolve()
    entry.write_bytes(entry.read_bytes()[:2000])  # a bad restore or a damaged disk

    monkeypatch.setenv("SNAKEMAKE_OUTPUT_CACHE", str(cache))
    with pytest.raises(ArtifactError) as e:
        load_state(restored)
    assert f"whose damaged entry {entry} is now deleted" in str(e.value) and f"--force {restored}" in str(e.value)
    assert not entry.exists()
    _run(second, cache, model, "--force")  # the message's command: the entry is gone, so the model is trained
    assert _ran(second / pretrain_log) and load_state(restored)["arch"] == arch
