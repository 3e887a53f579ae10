# Shoe Capital: `make site` builds site/, `make test` runs the whole suite (what .ci/run calls).
# Needs only Python 3.11+ (with its venv module) and make; everything else is pinned in
# requirements*.txt and installed into .venv.

SHELL := /bin/bash
.DEFAULT_GOAL := site

# Material 9.8 prints a banner about MkDocs 2.0 on every run; this silences it.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# python3.11 if it is on PATH, else python3 when that is 3.11 or newer.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || \
	{ python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && command -v python3; })

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The venv is rebuilt from scratch when a pin changes, so it never keeps a package that was
# dropped; a change to pyproject.toml only repeats the editable install.
DEPS_STAMP := $(VENV)/.deps.stamp
VENV_STAMP := $(VENV)/.venv.stamp

.PHONY: venv site offline test browser bench serve check schema lint clean distclean

venv: $(VENV_STAMP)

$(DEPS_STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 or newer is needed (python3.11 or python3)" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --no-deps -r requirements-dev.txt
	touch $@

$(VENV_STAMP): $(DEPS_STAMP) pyproject.toml
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $@

site: venv
	$(PY) -m generator check && $(PY) -m generator build

offline: venv
	$(PY) -m generator build --offline

browser:
	scripts/install-browser

test: venv browser
	$(PY) -m pytest

bench: venv
	$(PY) -m generator.bench $(BENCH_ARGS)

serve: venv
	$(PY) -m generator serve

check: venv
	$(PY) -m generator check

schema: venv
	$(PY) -m generator schema

lint: venv
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf site dist generated .cache .pytest_cache .hypothesis .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
