# accord: `make demo` and `make test` work from a fresh clone. Both create .venv when it
# is missing (Python >= 3.11) and install the project into it with every dependency pinned
# by requirements.lock (pip constraints), so a clone gets the same releases months from now;
# the install is redone only when pyproject.toml or the lock changes (stamp .venv/.installed).
# `make test-latest` runs the suite against the newest releases instead (in .venv-latest),
# and `make lock` rewrites the lock from them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# bench: the peers of `make bench`, also needed by its test (tests/test_bench_harness.py)
EXTRAS := .[dev,codegen,fastapi,site,bench]
LATEST := .venv-latest
OLDEST := .venv-oldest
PIP_QUIET := --quiet --disable-pip-version-check
SRC := src tests scripts
PYTEST_WORKERS ?= 2

# The first interpreter on PATH that is Python >= 3.11 (override: make PYTHON=/path/python3.12).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)

# Hypothesis runs derandomized with bounded examples unless told otherwise (tests/conftest.py).
export HYPOTHESIS_PROFILE ?= ci

CHROMIUM := /usr/bin/chromium

.PHONY: help demo browser test test-latest test-oldest lock lint format bench dist clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: accord needs Python >= 3.11 and none of python3, python3.13, python3.12," \
			"python3.11 on PATH is; install one or run: make PYTHON=/path/to/python3.11" >&2; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "error: $(VENV) uses Python $$($(PY) -c 'import platform; print(platform.python_version())'); accord needs >= 3.11: remove $(VENV) and run make again" >&2; \
		exit 1; }
	$(PY) -m pip install $(PIP_QUIET) -c $(LOCK) -e '$(EXTRAS)'
	@touch $@

demo: $(STAMP)  ## list, lint and validate the example registry, then diff two versions
	$(PY) scripts/demo.py

test: lint browser  ## lint + type-check, then the test suite
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The site's browser tests drive Debian's chromium (tests/site/test_site_browser.py).
# Installed here when missing, apt-get exists and we are root (CI is); otherwise a note:
# those tests then skip on a developer machine, and fail under CI=true or
# ACCORD_BROWSER_TESTS=1 (docs/site.md).
browser:  ## install Debian's chromium for the browser tests when it is missing (root + apt-get)
	@if [ ! -x $(CHROMIUM) ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "installing chromium for the browser tests (apt-get)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "note: $(CHROMIUM) is missing and cannot be installed here (needs root and apt-get):" \
				"the browser tests will skip (or fail under CI=true / ACCORD_BROWSER_TESTS=1)" >&2; \
		fi; \
	fi

lint: $(STAMP)  ## ruff check, ruff format --check, mypy --strict on src/, import contracts
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/mypy
	$(BIN)/lint-imports

test-latest:  ## the suite against the newest release of every dependency (no lock), in .venv-latest
	@test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install $(PIP_QUIET) --upgrade --upgrade-strategy eager -e '$(EXTRAS)'
	@$(LATEST)/bin/python -m pip list --format=freeze 2>/dev/null \
		| grep -iE '^(jsonschema|jsonschema.rs|referencing|regress|pydantic|pydantic.core|fastjsonschema|datamodel-code-generator)=' \
		| tr '\n' ' '; echo
	$(LATEST)/bin/pytest -n $(PYTEST_WORKERS)

test-oldest:  ## the suite against the lowest release pyproject.toml allows of each runtime dependency, in .venv-oldest
	@test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python scripts/lower_bounds.py $(OLDEST)/bounds
	$(OLDEST)/bin/python -m pip install $(PIP_QUIET) -c $(OLDEST)/bounds/constraints.txt -r $(OLDEST)/bounds/lower.txt -e '$(EXTRAS)'
	@cat $(OLDEST)/bounds/lower.txt | tr '\n' ' '; echo
	$(OLDEST)/bin/pytest -n $(PYTEST_WORKERS)

lock:  ## rewrite requirements.lock from the newest releases (resolved in a scratch venv)
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install $(PIP_QUIET) -e '$(EXTRAS)'
	{ echo "# Pinned dependencies for make test / make demo / .ci/run (pip constraints; see README)."; \
	  echo "# Written by 'make lock' with $$(.venv-lock/bin/python -c 'import platform; print("Python", platform.python_version())'); do not edit by hand."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -viE '^(accord|-e )'; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf .venv-lock

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(SRC)
	$(BIN)/ruff format $(SRC)

# full: 100 / 1,000 / 5,000 contracts; small: 100 only; tiny: a smoke run (figures mean nothing).
# BENCH_ARGS passes more options to scripts/bench.py (e.g. --only check, --seed 1).
BENCH_SCALE ?= full
BENCH_ARGS ?=

# The run before is kept as .bench/results.previous.json: every row says how far it moved.
bench: $(STAMP)  ## measure every row of docs/performance.md into .bench/results.json, compare with the previous run, render the page and the README's figures (BENCH_SCALE=small: 100 contracts only)
	$(PY) scripts/bench.py --scale $(BENCH_SCALE) --render $(BENCH_ARGS)

dist: $(STAMP)  ## build accord's own wheel and sdist into dist/ (offline: hatchling, no isolation)
	rm -f dist/accord-*.whl dist/accord-*.tar.gz
	$(PY) -m hatchling build -d dist

clean:  ## remove caches and build output (keeps .venv)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis .bench build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too
	rm -rf $(VENV) $(LATEST) $(OLDEST)
