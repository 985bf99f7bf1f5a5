"""Carry the results of `make test`'s static checks (ansible-test sanity, ansible-lint) into its pytest run.

`make test` runs sanity and lint first and keeps going when they fail, so that one CI run reports every
failure; it records each result in .build/logs/<check>.result and then runs pytest over the unit,
conformance and integration tests plus this file.  A failed check therefore fails pytest too: its
closing summary line, the last line of `make test`, counts it.

Only `make test` passes this file to pytest (it is outside pytest.ini's testpaths); run on its own,
without the results, its tests skip.
"""

import os

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS_DIR = os.path.join(REPO_ROOT, ".build", "logs")
COMMANDS = {"sanity": "make sanity", "lint": "make lint"}


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
