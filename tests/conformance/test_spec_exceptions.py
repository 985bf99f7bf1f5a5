"""The one list of spec exceptions (spec_exceptions.py): each still applies, nothing else changes, both checkers
get it, and tests/emulator/README.md lists it."""

import copy
import json
import os

import pytest

from conformance import spec_exceptions

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "emulator", "README.md")


@pytest.fixture(scope="module")
def raw_spec(spec_path):
    return spec_exceptions._read(str(spec_path))[0]  # pylint: disable=protected-access


def test_each_exception_corrects_what_the_spec_says(raw_spec):
    patched = spec_exceptions.patched_spec(raw_spec)
    schemas, fixed = raw_spec["components"]["schemas"], patched["components"]["schemas"]
    assert sorted(name for name in schemas if schemas[name] != fixed[name]) == sorted(
        exception.schema for exception in spec_exceptions.EXCEPTIONS)
    assert {key: value for key, value in patched.items() if key != "components"} == {
        key: value for key, value in raw_spec.items() if key != "components"}
    for exception in spec_exceptions.EXCEPTIONS:
        again = copy.deepcopy(fixed[exception.schema])
        with pytest.raises(AssertionError):  # a spec that already agrees makes the exception fail, to be removed
            exception.patch(again)
    assert "status" not in fixed["MessageObject"]["required"]
    assert fixed["RunObject"]["properties"]["instructions"]["type"] == ["string", "null"]
    assert "expires_at" in fixed["RunStepObject"]["required"] and "metadata" not in fixed["RunStepObject"]["required"]


def test_prism_gets_the_patched_spec_as_a_file(raw_spec, spec_path, tmp_path):
    path = spec_exceptions.prism_spec_file(str(spec_path))
    assert path.startswith(spec_exceptions.BUILD_DIR) and path.endswith(".json")
    with open(path, encoding="utf-8") as handle:
        assert json.load(handle) == json.loads(json.dumps(spec_exceptions.patched_spec(raw_spec), default=str))
    assert spec_exceptions.prism_spec_file(str(spec_path)) == path  # not rewritten while nothing changed
    missing = str(tmp_path / "nowhere.yml")
    assert spec_exceptions.prism_spec_file(missing) == missing  # so test_prism.py reports the missing spec


def test_the_readme_lists_every_exception_and_no_other():
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Where the emulator follows the real service, not the spec", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [exception.schema for exception in spec_exceptions.EXCEPTIONS]
