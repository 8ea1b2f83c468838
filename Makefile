# Two commands on a fresh machine (README):
#   make figures   install everything, then build every figure at the default (quick) scale, offline
#   make test      install everything, then run the test suite
PYTHON ?= python3
VENV ?= .venv
CORES ?= all
BIN := $(VENV)/bin

.PHONY: install figures test lint clean slurm browser lock
install: $(VENV)/.installed

# Reinstalls when the package's dependencies or their pinned versions change.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

# Re-resolve the pinned versions from pyproject.toml in a scratch environment (then rerun `make install`).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e ".[test]"
	{ sed -n '1,3p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .lock-venv

figures: install
	$(BIN)/snakemake --cores $(CORES) all

# The SLURM integration test needs Debian's slurm-wlm and munge; without root or apt it is skipped.
slurm:
	@command -v slurmctld >/dev/null && command -v munged >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null; } || \
	  echo "could not install slurm-wlm and munge: tests/test_slurm.py will be skipped"

# The report test opens the HTML report in a headless browser (Debian's chromium); without it, it is skipped.
browser:
	@command -v chromium >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "could not install chromium: the browser test of the report will be skipped"

test: install slurm browser
	$(BIN)/pytest

lint: install
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile workflow/rules

clean:
	rm -rf results .snakemake
