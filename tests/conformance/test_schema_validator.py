"""The emulator's small JSON Schema validator and filler (tests/emulator/schema_validator.py, schema_filler.py).

No spec needed: the schemas here are written out, and the vendored file is only read to check that it
uses no keyword the validator does not know.
"""

import json

import pytest

from emulator import errors
from emulator.schema_filler import Filler
from emulator.schema_validator import KEYWORDS, Validator
from emulator.spec_schemas import PATH, SCHEMAS

NAMED = {
    "Click": {"type": "object", "required": ["type", "x"], "properties": {
        "type": {"type": "string", "enum": ["click"]}, "x": {"type": "integer", "minimum": 0, "maximum": 100}}},
    "Wait": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["wait"]}}},
    "Action": {"oneOf": [{"$ref": "#/components/schemas/Click"}, {"$ref": "#/components/schemas/Wait"}]},
    "Call": {"type": "object", "required": ["type", "action"], "properties": {
        "type": {"type": "string", "enum": ["call"]},
        "action": {"$ref": "#/components/schemas/Action"},
        "status": {"type": "string", "enum": ["in_progress", "completed"]},
        "tags": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 3},
                 "minItems": 1, "maxItems": 2},
        "note": {"anyOf": [{"type": "string", "pattern": "^[a-z]+$"}, {"type": "null"}]},
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "attributes": {"type": "object", "maxProperties": 1, "propertyNames": {"maxLength": 2}},
        "content": {"oneOf": [{"type": "string"}, {"type": "array"}]},
    }},
    "Message": {"type": "object", "required": ["role"], "properties": {
        "type": {"type": "string", "enum": ["message"]}, "role": {"type": "string"}}},
    "Any": {"anyOf": [{"$ref": "#/components/schemas/Call"}, {"$ref": "#/components/schemas/Message"}]},
    "WithId": {"allOf": [{"$ref": "#/components/schemas/Call"},
                         {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}]},
}
CALL = {"type": "call", "action": {"type": "click", "x": 3}}


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


@pytest.fixture
def validator():
    return Validator(NAMED)


def failure(validator, value, name="Call", closed=True):
    with pytest.raises(errors.APIError) as raised:
        validator.check(value, ref(name), "items[3]", closed=closed)
    error = raised.value
    assert error.status == 400 and error.type == "invalid_request_error"
    return error.param, error.code, error.message


def test_the_vendored_schemas_use_only_keywords_the_validator_knows():
    used = set()

    def walk(node, in_properties=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_properties:
                    used.add(key)
                walk(value, key == "properties" and not in_properties)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in SCHEMAS.values():
        walk(schema)
    assert used <= KEYWORDS, "%s uses %s, which the validator does not know" % (PATH, sorted(used - KEYWORDS))
    with open(PATH, encoding="utf-8") as handle:
        assert "MIT" in json.load(handle)["x-vendored"]["source"]


def test_a_valid_value_passes(validator):
    validator.check(CALL, ref("Call"), "items[0]")
    validator.check(dict(CALL, status="completed", tags=["a"], note=None, env={"A": "1"}, content=[]), ref("Call"))
    assert validator.errors(CALL, ref("Call")) is None


@pytest.mark.parametrize("value,param,code,message", [
    ({"type": "call"}, "items[3].action", "missing_required_parameter",
     "Missing required parameter: 'items[3].action'."),
    (dict(CALL, colour="red"), "items[3].colour", "unknown_parameter", "Unknown parameter: 'items[3].colour'."),
    (dict(CALL, status="done"), "items[3].status", "invalid_value",
     "Invalid value: 'done'. Supported values are: 'in_progress', and 'completed'."),
    (dict(CALL, status=1), "items[3].status", "invalid_type",
     "Invalid type for 'items[3].status': expected a string, but got an integer instead."),
    (dict(CALL, action={"type": "clack"}), "items[3].action.type", "invalid_value",
     "Invalid value: 'clack'. Supported values are: 'click', and 'wait'."),
    (dict(CALL, action={"type": "click", "x": 101}), "items[3].action.x", "integer_above_max_value", None),
    (dict(CALL, action={"type": "click", "x": -1}), "items[3].action.x", "integer_below_min_value", None),
    (dict(CALL, action={"type": "click", "x": True}), "items[3].action.x", "invalid_type", None),
    (dict(CALL, action={"x": 1}), "items[3].action.type", "missing_required_parameter", None),
    (dict(CALL, tags=[]), "items[3].tags", "empty_array", None),
    (dict(CALL, tags=["a", "b", "c"]), "items[3].tags", "array_above_max_length", None),
    (dict(CALL, tags=[""]), "items[3].tags[0]", "empty_string", None),
    (dict(CALL, tags=["abcd"]), "items[3].tags[0]", "string_above_max_length", None),
    (dict(CALL, note="A1"), "items[3].note", "invalid_value",
     "Invalid 'items[3].note': string does not match pattern. Expected a string that matches the pattern '^[a-z]+$'."),
    (dict(CALL, note=5), "items[3].note", "invalid_type",
     "Invalid type for 'items[3].note': expected a string, but got an integer instead."),
    (dict(CALL, env={"A": 1}), "items[3].env.A", "invalid_type", None),
    (dict(CALL, attributes={"a": 1, "b": 2}), "items[3].attributes", "object_above_max_properties", None),
    (dict(CALL, attributes={"abc": 1}), "items[3].attributes.abc", "string_above_max_length", None),
    (dict(CALL, content=5), "items[3].content", "invalid_type",
     "Invalid type for 'items[3].content': expected one of a string or an array, but got an integer instead."),
])
def test_each_failure_names_the_param(validator, value, param, code, message):
    got = failure(validator, value)
    assert got[:2] == (param, code)
    if message is not None:
        assert got[2] == message


def test_a_union_reports_the_type_no_branch_has_and_the_branch_that_got_furthest(validator):
    assert failure(validator, {"type": "tool"}, "Any") == (
        "items[3].type", "invalid_value", "Invalid value: 'tool'. Supported values are: 'call', and 'message'.")
    assert failure(validator, {"type": "message"}, "Any")[:2] == ("items[3].role", "missing_required_parameter")
    assert failure(validator, {"type": "call", "action": {"type": "wait", "x": 1}}, "Any")[:2] == (
        "items[3].action.x", "unknown_parameter")
    assert failure(validator, [], "Any")[:2] == ("items[3]", "invalid_type")


def test_open_mode_is_plain_json_schema(validator):
    assert validator.errors(dict(CALL, colour="red"), ref("Call")) is None
    assert validator.errors(dict(CALL, status="done"), ref("Call"))[0] == "status"


def test_the_keys_of_every_part_are_allowed_in_closed_mode(validator):
    validator.check(dict(CALL, id="x"), ref("WithId"))
    assert failure(validator, CALL, "WithId")[:2] == ("items[3].id", "missing_required_parameter")
    assert failure(validator, dict(CALL, id="x", colour="red"), "WithId")[:2] == ("items[3].colour", "unknown_parameter")


def test_the_matching_leaf_is_the_first_branch_that_fits(validator):
    assert validator.matching_leaf(CALL, "Any") == "Call"
    assert validator.matching_leaf({"type": "message", "role": "user"}, "Any") == "Message"
    assert validator.matching_leaf({"type": "wait"}, "Action") == "Wait"
    assert validator.type_values(ref("Any")) == {"call", "message"}


def test_the_filler_fills_what_the_server_fills():
    required = ["type", "id", "status", "action", "items", "detail", "kind", "note"]
    schemas = dict(NAMED, Stored={"type": "object", "required": required, "properties": {
        "type": {"type": "string", "enum": ["call"], "default": "call"}, "id": {"type": "string"},
        "status": {"type": "string", "enum": ["in_progress", "completed"]},
        "action": {"$ref": "#/components/schemas/Action"}, "items": {"type": "array", "items": {"type": "string"}},
        "detail": {"type": "string", "enum": ["low", "auto"]}, "kind": {"type": "string", "enum": ["a", "b"]},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "kept": {"type": "string"}}})
    filler = Filler(Validator(schemas))
    stored = filler.complete({"id": "x", "action": {"type": "wait", "extra": 1}, "kept": "k", "dropped": 1,
                              "note": None}, ref("Stored"))
    assert stored == {"id": "x", "action": {"type": "wait"}, "kept": "k", "note": None, "type": "call",
                      "status": "completed", "items": [], "detail": "auto", "kind": "a"}
    with pytest.raises(LookupError):
        Filler(Validator({"S": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}})
               ).complete({}, ref("S"))
