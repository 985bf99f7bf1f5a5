"""Carry the results of `make test`'s earlier steps (ansible-test sanity, ansible-lint, the recorded suite run)
into its last pytest run.

`make test` runs sanity, lint and the suite (unit, conformance and integration tests, their traffic recorded) and
keeps going when one fails, so that one CI run reports every failure; it records each result in
.build/logs/<step>.result and then runs the Prism check of the recorded traffic (tests/traffic) plus this file. A
failed step therefore fails that last pytest run too: its closing summary line, the last line of `make test`,
counts it.

Only `make test` passes this file to pytest (it is outside pytest.ini's testpaths); run on its own,
without the results, its tests skip.
"""

import os

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS_DIR = os.path.join(REPO_ROOT, ".build", "logs")
COMMANDS = {"sanity": "make sanity", "lint": "make lint",
            "suite": "make units conformance integration (the suite's own summary line is above in this log)"}


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
