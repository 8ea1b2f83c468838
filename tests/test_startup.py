"""A job imports only what it uses: no pretrain, probe or render job pays for torchvision.models,
torch._dynamo or sympy (seconds of start-up each) unless it needs them (the ViT, torch.compile)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from invariance.codeversion import _parse

SCRIPTS = Path(__file__).parents[1] / "workflow" / "scripts"
JOBS = ("pretrain", "probe", "render_transforms2d", "render_pasted", "l2_ratios", "sensitivity")
HEAVY = ("torchvision.models", "torch._dynamo", "sympy")


def _loaded_after_importing(modules) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for m in {sorted(modules)!r}: importlib.import_module(m)\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("job", JOBS)
def test_a_job_does_not_import_what_it_does_not_use(job):
    modules = {
        module for bindings in _parse("__main__", SCRIPTS / f"{job}.py").imports.values() for module, _ in bindings
    }
    assert modules, f"{job}.py imports nothing from the package?"
    assert _loaded_after_importing(modules) == []


def test_the_vit_still_builds_and_the_heavy_import_is_there_when_needed():
    code = (
        "import sys\nfrom invariance.models import build_model\n"
        "m = build_model('vit', 10, 0.125)\nprint('torchvision.models' in sys.modules, type(m).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "Classifier"]
