"""Carry the results of `make test`'s earlier steps (ansible-test sanity, ansible-lint, the recorded suite run)
into its last pytest run.

`make test` runs sanity, lint and the suite (unit, conformance and integration tests, their traffic recorded) and
keeps going when one fails, so that one CI run reports every failure; it records each result in
.build/logs/<step>.result and then runs the Prism check of the recorded traffic (tests/traffic) plus this file. A
failed step therefore fails that last pytest run too: its closing summary line, the last line of `make test`,
counts it.

The supported range (`make range`, tests/range/) runs in the background of `make test`; one test per cell
of it waits for its results (.build/logs/range.json) and fails with the cell's summary and log.

galaxy-importer (`make galaxy-import`) runs in the background of `make test`'s sanity step, into .build/logs/
galaxy-import: Galaxy's importer gives ansible-lint 180 s (a constant of galaxy-importer), which a machine that runs
the integration tests' forks beside it cannot promise. Its test waits for it, then reads what the importer found.

Only `make test` passes this file to pytest (it is outside pytest.ini's testpaths); run on its own,
without the results, its tests skip.
"""

import glob
import json
import os
import re
import sys
import time

import pytest
import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS_DIR = os.path.join(REPO_ROOT, ".build", "logs")
COMMANDS = {"sanity": "make sanity", "lint": "make lint",
            "suite": "make units conformance integration (the suite's own summary line is above in this log)"}
RANGE_WAIT = float(os.environ.get("RANGE_WAIT", "3600"))  # seconds the range may still take after pytest got here
IMPORT_DIR = os.path.join(RESULTS_DIR, "galaxy-import")  # make test's DIST for make galaxy-import
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
                 if not path.endswith("__init__.py"))

sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "range"))
from supported_range import CORES, cells  # noqa: E402  pylint: disable=wrong-import-position

RANGE_CELLS = [pytest.param(core.version, check, id="%s-%s" % (core.version, check)) for core in CORES for check in cells(core)]


@pytest.mark.parametrize("check", sorted(COMMANDS))
def test_static_check_passed(check):
    path = os.path.join(RESULTS_DIR, "%s.result" % check)
    if os.environ.get("OPENAI_STATIC_CHECKS") != "1":
        pytest.skip("only meaningful under `make test` (it sets OPENAI_STATIC_CHECKS=1)")
    if not os.path.exists(path):
        pytest.fail("%s did not record a result in %s" % (COMMANDS[check], os.path.relpath(path, REPO_ROOT)),
                    pytrace=False)
    with open(path, encoding="utf-8") as handle:
        result = handle.read().strip()
    if result != "0":
        pytest.fail("%s failed (exit code %s): see its output above in this log, or run `%s`"
                    % (COMMANDS[check], result, COMMANDS[check]), pytrace=False)


@pytest.fixture(scope="module")
def range_results():
    """The cells of the background `make range`, once it has finished: {(core, check): cell}."""
    _wait_for_result("range", RANGE_WAIT)
    try:
        with open(os.path.join(RESULTS_DIR, "range.json"), encoding="utf-8") as handle:
            return {(cell["core"], cell["check"]): cell for cell in json.load(handle)["cells"]}
    except FileNotFoundError:
        with open(os.path.join(RESULTS_DIR, "range.out"), encoding="utf-8", errors="replace") as handle:
            pytest.fail("make range failed before it had results:\n" + handle.read()[-6000:], pytrace=False)


@pytest.mark.parametrize("core,check", RANGE_CELLS)
def test_range_cell_passed(range_results, core, check):
    cell = range_results.get((core, check))
    assert cell, "make range has no result for ansible-core %s %s" % (core, check)
    if cell["status"] == "skipped":
        pytest.skip("ansible-core %s %s: %s" % (core, check, cell["summary"]))
    assert cell["status"] == "passed", "ansible-core %s %s: %s (log: %s)" % (core, check, cell["summary"], cell.get("log"))


def _wait_for_result(name, seconds):
    """The exit code a background step of make test recorded in .build/logs/<name>.result."""
    if os.environ.get("OPENAI_STATIC_CHECKS") != "1":
        pytest.skip("only meaningful under `make test` (it sets OPENAI_STATIC_CHECKS=1)")
    path = os.path.join(RESULTS_DIR, "%s.result" % name)
    deadline = time.monotonic() + seconds
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(2)
    if not os.path.exists(path):
        pytest.fail("make %s recorded no result within %.0fs: see .build/logs/%s.out" % (name, seconds, name),
                    pytrace=False)
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def test_galaxy_importer_accepts_the_tarball():
    if _wait_for_result("galaxy-import", 900) != "0":
        with open(os.path.join(RESULTS_DIR, "galaxy-import.out"), encoding="utf-8", errors="replace") as handle:
            pytest.fail("make galaxy-import failed:\n" + handle.read()[-12000:], pytrace=False)
    with open(os.path.join(IMPORT_DIR, "importer", "importer.log"), encoding="utf-8") as handle:
        log = handle.read()
    problems = [line for line in log.splitlines() if re.match(r"(ERROR|WARNING|CRITICAL)\b", line)]
    assert not problems, "galaxy-importer:\n" + "\n".join(problems)
    assert "Importer processing completed successfully" in log, log[-4000:]
    with open(os.path.join(IMPORT_DIR, "importer", "importer_result.json"), encoding="utf-8") as handle:
        result = json.load(handle)
    imported = {(content["content_type"], content["name"]) for content in result["contents"]}
    assert MODULES and [module for module in MODULES if ("module", module) not in imported] == []
    documented = {entry["content_name"] for entry in result["docs_blob"]["contents"]
                  if entry["content_type"] == "module" and entry.get("doc_strings")}
    assert set(MODULES) <= documented, "modules without docs for Galaxy: %s" % sorted(set(MODULES) - documented)
    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        assert result["requires_ansible"] == yaml.safe_load(handle)["requires_ansible"]
    assert result["docs_blob"]["collection_readme"]["html"], "no README for Galaxy"
