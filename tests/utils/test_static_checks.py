"""Carry the results of `make test`'s earlier steps (ansible-test sanity, ansible-lint, the recorded suite run)
into its last pytest run.

`make test` runs sanity, lint and the suite (unit, conformance and integration tests, their traffic recorded) and
keeps going when one fails, so that one CI run reports every failure; it records each result in
.build/logs/<step>.result and then runs the Prism check of the recorded traffic (tests/traffic) plus this file. A
failed step therefore fails that last pytest run too: its closing summary line, the last line of `make test`,
counts it.

The supported range (`make range`, tests/range/) runs in the background of `make test`; one test per cell
of it waits for its results (.build/logs/range.json) and fails with the cell's summary and log.

Only `make test` passes this file to pytest (it is outside pytest.ini's testpaths); run on its own,
without the results, its tests skip.
"""

import json
import os
import sys
import time

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS_DIR = os.path.join(REPO_ROOT, ".build", "logs")
COMMANDS = {"sanity": "make sanity", "lint": "make lint",
            "suite": "make units conformance integration (the suite's own summary line is above in this log)"}
RANGE_WAIT = float(os.environ.get("RANGE_WAIT", "3600"))  # seconds the range may still take after pytest got here

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
    if os.environ.get("OPENAI_STATIC_CHECKS") != "1":
        pytest.skip("only meaningful under `make test` (it sets OPENAI_STATIC_CHECKS=1)")
    result_file = os.path.join(RESULTS_DIR, "range.result")
    deadline = time.monotonic() + RANGE_WAIT
    while not os.path.exists(result_file) and time.monotonic() < deadline:
        time.sleep(2)
    if not os.path.exists(result_file):
        pytest.fail("make range recorded no result within %.0fs (RANGE_WAIT): see .build/logs/range.out" % RANGE_WAIT,
                    pytrace=False)
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
