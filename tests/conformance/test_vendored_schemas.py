"""The emulator's vendored part of the spec (tests/emulator/openai_schemas.json) matches the spec.

The spec is read where the conformance checks read it ($OPENAI_SPEC, else ../shared/openapi/
openai.prism.subset.yml); without it the test skips with a message, and fails under CI=true.
To update the file after a spec update: ``.venv/bin/python tests/utils/vendor_openai_schemas.py``.
"""

import importlib.util
import json
import os

from emulator.spec_schemas import PATH, SCHEMAS

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "utils", "vendor_openai_schemas.py")


def _vendor_module():
    spec = importlib.util.spec_from_file_location("_vendor_openai_schemas", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendored_schemas_are_those_of_the_spec(spec_path):
    path = spec_path
    vendor = _vendor_module()
    spec, sha256 = vendor.load_spec(str(path))
    expected = vendor.vendored_schemas(spec)
    assert sorted(SCHEMAS) == sorted(expected), "run tests/utils/vendor_openai_schemas.py: the schema set changed"
    changed = [name for name in expected if SCHEMAS[name] != expected[name]]
    assert not changed, "run tests/utils/vendor_openai_schemas.py: %s differ from %s" % (changed, path)
    with open(PATH, encoding="utf-8") as handle:
        text = handle.read()
    assert text == vendor.render(expected, str(path), sha256), "the file is not the script's output (edited by hand?)"
    header = json.loads(text)["x-vendored"]
    assert header["spec_sha256"] == sha256 and "MIT" in header["source"]
