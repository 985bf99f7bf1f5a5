"""Where the emulator follows the real service, not OpenAI's spec: the one list, and the patched spec.

Answers recorded from api.openai.com (issue 12, section 2) differ from the spec in a few places. The
emulator follows the real service there (DESIGN.md section 5), so both conformance checkers, openapi-core
(tests/conformance) and Prism (tests/traffic/test_prism.py), load the spec with exactly these
exceptions applied, and no other. tests/emulator/README.md lists them; test_real_service_shapes.py asserts
each fact against the emulator, and test_spec_exceptions.py checks that each still applies (a patch
fails when the spec no longer says what it corrects: then the exception goes).

    patched_spec(spec)       a copy of the loaded spec with every exception applied
    load_patched(path)       read a spec file (YAML or JSON) and patch it
    prism_spec_file()        the patched spec as JSON under .build/openapi/ (written when stale), for Prism
"""

import copy
import hashlib
import json
import os
import tempfile

from spec_file import REPO_ROOT, spec_location as _spec_path

BUILD_DIR = os.path.join(str(REPO_ROOT), ".build", "openapi")


class SpecException:
    def __init__(self, schema, fact, change, patch):
        self.schema = schema  # the component schema it changes
        self.fact = fact      # what the real service answers (issue 12, section 2)
        self.change = change  # what changes in the spec
        self.patch = patch    # patch(schema_dict): changes it in place; AssertionError if the spec already agrees


def _drop_required(schema, keys):
    missing = [key for key in keys if key not in schema.get("required", ())]
    assert not missing, "the spec no longer requires %s: remove the exception" % missing
    schema["required"] = [key for key in schema["required"] if key not in keys]


def _message_rest_keys(schema):
    _drop_required(schema, ("status", "incomplete_details", "completed_at", "incomplete_at"))


def _nullable_instructions(schema):
    instructions = schema["properties"]["instructions"]
    assert instructions.get("type") == "string", "RunObject.instructions is no longer a plain string: %r" % instructions
    schema["properties"]["instructions"] = dict(instructions, type=["string", "null"])


def _step_expires_at(schema):
    _drop_required(schema, ("expired_at", "metadata"))
    assert "expires_at" not in schema["properties"], "the spec now has RunStepObject.expires_at: remove the exception"
    schema["properties"]["expires_at"] = {"type": ["integer", "null"]}
    schema["required"].append("expires_at")


EXCEPTIONS = (
    SpecException(
        "MessageObject",
        "A thread message from the REST endpoints (create, get, list, modify) has exactly id, object, created_at, "
        "assistant_id, thread_id, run_id, role, content, attachments and metadata: no status, incomplete_details, "
        "completed_at or incomplete_at (those appear only in thread.message.* stream events).",
        "status, incomplete_details, completed_at and incomplete_at are not required.",
        _message_rest_keys,
    ),
    SpecException(
        "RunObject",
        "A run's instructions are its assistant's, and null when the assistant has none (not an empty string).",
        "instructions may be null.",
        _nullable_instructions,
    ),
    SpecException(
        "RunStepObject",
        "A run step has expires_at (not expired_at), and no metadata key.",
        "expires_at (integer or null) is required instead of expired_at; metadata is not required.",
        _step_expires_at,
    ),
)


def spec_location():
    """The spec both checkers read: $OPENAI_SPEC, else ../shared/openapi/openai.prism.subset.yml."""
    return str(_spec_path())


def patched_spec(spec):
    patched = copy.deepcopy(spec)
    schemas = patched["components"]["schemas"]
    for exception in EXCEPTIONS:
        exception.patch(schemas[exception.schema])
    return patched


def _read(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    if path.endswith(".json"):
        return json.loads(raw), raw
    import yaml

    return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), raw  # nosec B506 (a safe loader)


def load_patched(path):
    return patched_spec(_read(path)[0])


def prism_spec_file(source=None):
    """The patched spec, as JSON under .build/openapi/, for Prism; the source's path when it does not exist.

    The file is rewritten when the source or this list changed (its name carries their hash), so a stale
    copy is never used.
    """
    source = source or spec_location()
    if not os.path.isfile(source):
        return source
    spec, raw = _read(source)
    with open(os.path.abspath(__file__), "rb") as handle:
        digest = hashlib.sha256(raw + handle.read()).hexdigest()[:16]
    target = os.path.join(BUILD_DIR, "%s.patched-%s.json" % (os.path.splitext(os.path.basename(source))[0], digest))
    if not os.path.isfile(target):
        os.makedirs(BUILD_DIR, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".spec-", suffix=".json", dir=BUILD_DIR)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(patched_spec(spec), handle, default=str)
        os.replace(tmp, target)
    return target
