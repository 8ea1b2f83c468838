"""The workflow used as a Snakemake module from another Snakefile, under a prefix."""

import os
import subprocess

from conftest import REPO, SNAKEMAKE

USER_SNAKEFILE = f"""
configfile: "{REPO}/config.yaml"


module invariance:
    snakefile:
        "{REPO}/Snakefile"
    config:
        config
    prefix:
        "inv"


use rule * from invariance as inv_*
"""


def test_a_figure_builds_through_the_module_under_its_prefix(tmp_path):
    (tmp_path / "Snakefile").write_text(USER_SNAKEFILE)
    target = "inv/results/smoke/offline/models/seed0"
    proc = subprocess.run(
        [
            SNAKEMAKE,
            "--cores",
            "2",
            "inv/results/figures/fig1.pdf",
            "inv/results/figures/fig2.pdf",
            "--config",
            "scale=smoke",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for fig in ("fig1", "fig2"):
        assert (tmp_path / f"inv/results/figures/{fig}.pdf").stat().st_size > 5000
    assert any((tmp_path / target).rglob("*.pt"))  # the whole DAG ran under the prefix
    # Nothing escaped the prefix: no results/ beside it, and every job's log is under it.
    assert not (tmp_path / "results").exists()
    assert any((tmp_path / "inv/results/logs").rglob("*.log"))
