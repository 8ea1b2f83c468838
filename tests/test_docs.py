"""Every command the README and docs show runs as written, so a doc edit cannot break one silently.

A command is every `bash` block, run whole (loops and exports included), and every inline command
that calls one of the tools below (`.venv/bin/...`, snakemake, make, pip) without a placeholder; a
`yaml` block headed by a file name (`# sweep.yaml`) is written to that file first. They run in a
copy of the repository whose `.venv/bin` (and PATH) holds each tool in its own dry-run mode:
Snakemake plans the DAG (`--dry-run`), make prints its recipe (`-n`), pip resolves against what is
installed (`--dry-run --no-index`), `invariance plan` runs, and the project's other commands and
scripts parse their arguments with their own parser and stop. What each would then run for real is
tested elsewhere (the smoke runs, the SLURM test, the GPU check at toy size).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_workflow

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "bench/RESULTS.md"]
BIN = Path(sys.executable).parent
# The project's own commands and scripts parse their arguments with their real parser, then stop:
# a misspelt flag fails (exit 2), where `--help` would have hidden it.
PARSE_ONLY = (
    "import argparse, runpy, sys\n"
    "parse = argparse.ArgumentParser.parse_args\n"
    "def parse_then_stop(self, *a, **k):\n"
    "    parse(self, *a, **k)\n"
    "    sys.exit(0)\n"
    "argparse.ArgumentParser.parse_args = parse_then_stop\n"
)
# The tools a documented command may call, each in its dry-run mode.
SHIMS = {
    "snakemake": f'exec "{BIN}/snakemake" --dry-run "$@"',
    "make": 'exec /usr/bin/make -n "$@"',
    "pip": f'if [ "$1" = install ]; then shift; exec "{BIN}/pip" install --dry-run --no-index '
    f'--no-build-isolation --quiet "$@"; fi; exec "{BIN}/pip" "$@"',
    # `compare` needs two finished runs; `plan` is itself a dry run.
    "invariance": f'if [ "$1" = compare ]; then exec "{BIN}/python" -c \'{PARSE_ONLY}'
    f'from invariance.cli import main; main(sys.argv[1:])\' "$@"; fi; exec "{BIN}/invariance" "$@"',
    "python": f'exec "{BIN}/python" -c \'{PARSE_ONLY}import os; sys.argv = sys.argv[1:]; '
    f"sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0]))); "
    f'runpy.run_path(sys.argv[0], run_name="__main__")\' "$@"',
}
INLINE = re.compile(r"`((?:\.venv/bin/\w+|snakemake|make|pip) [^`]*)`")
PLACEHOLDER = re.compile(r"<\w+>|path/to| N ")
# Shown for another directory or a finished run rather than this fresh checkout; run there by the test named.
ELSEWHERE = {
    "snakemake --cores 2 inv/results/figures/fig2.pdf": "a workflow using this one as a module: tests/test_module.py",
    "snakemake --report report.html all": "a finished run: tests/test_workflow.py reports the smoke run",
}


def documented_commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text()
        for m in re.finditer(r"^```bash\n(.*?)^```", text, re.S | re.M):
            found.append((f"{doc.name}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1)))
        prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
        for m in INLINE.finditer(prose):
            command = " ".join(m.group(1).split())  # a span may wrap across lines
            if not PLACEHOLDER.search(command) and command not in ELSEWHERE:
                found.append((f"{doc.name}: `{command}`", command))
    first = {}
    for where, command in found:
        first.setdefault(command, where)
    return [(where, command) for command, where in first.items()]


COMMANDS = documented_commands()


def test_the_docs_show_the_commands_a_user_needs():
    # The collector found the run, test and cluster commands (a broken pattern would find none and pass).
    text = "\n".join(c for _, c in COMMANDS)
    for needed in ("make figures", "make test", "--workflow-profile profiles/slurm", "-c constraints.txt"):
        assert needed in text, needed
    docs = " ".join(" ".join(d.read_text().split()) for d in DOCS)
    assert all(f"`{command}`" in docs for command in ELSEWHERE)  # no exception outlives its command


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    root = copy_workflow(tmp_path_factory.mktemp("docs"))
    for name in ("docs", "bench", "Makefile", "pyproject.toml", "constraints.txt", "README.md"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    # A yaml block headed by its file name (`# sweep.yaml`) is a file the docs ask the user to write.
    for doc in DOCS:
        for m in re.finditer(r"^```yaml\n# ([\w./-]+\.yaml)\n(.*?)^```", doc.read_text(), re.S | re.M):
            (root / m.group(1)).write_text(m.group(2))
    shims = root / ".venv/bin"
    shims.mkdir(parents=True)
    for tool, body in SHIMS.items():
        (shims / tool).write_text(f"#!/bin/bash\n{body}\n")
        (shims / tool).chmod(0o755)
    return root


@pytest.mark.parametrize("command", [c for _, c in COMMANDS], ids=[where for where, _ in COMMANDS])
def test_documented_command_runs_as_written(checkout, command, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{checkout / '.venv/bin'}:{os.environ['PATH']}",
        "PYTHONPATH": str(checkout / "src"),
        "HOME": str(tmp_path),  # an `export` or a cache a command sets stays in the test
    }
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command], cwd=checkout, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, f"{command}\n{(proc.stdout + proc.stderr)[-3000:]}"
