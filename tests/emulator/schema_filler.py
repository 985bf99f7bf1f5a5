"""Turn a request's shape into the stored shape of the spec: fill what the server fills, drop what it does not keep.

``Filler.complete(value, schema)`` walks ``value`` along a response schema of the vendored spec (a
``ConversationItem`` member, a ChatKit ``ThreadItem``) and returns a new value in which

* every key the schema requires but ``value`` lacks is filled (and ``status`` wherever the schema has
  one): the schema's ``default``, else the emulator's choice for that key name (``PREFERRED``: ``status:
  completed``, an image's ``detail: auto``), else ``null`` where the schema allows it, ``[]`` for an
  array, the first value of an enum;
* keys that the stored shape does not declare are dropped (request-only options, such as a local
  environment's ``skills``), and so are ``null`` values where the stored shape has no ``null``;
* unions are followed by the value's ``type`` (the spec's unions are discriminated by it).

What cannot be filled is an emulator bug, raised as ``LookupError`` (the tests fill every form).
"""

import copy

# A required key the spec gives no default for: what the emulator stores (when the schema allows it).
PREFERRED = {"status": "completed", "detail": "auto"}
# Filled whenever the stored shape has the key, required or not: the server always says an item's status.
ALWAYS_FILLED = ("status",)


class Filler:
    def __init__(self, validator):
        self.validator = validator

    def complete(self, value, schema):
        v = self.validator
        branches = v.branches(schema)
        if branches is not None:
            branch = self._branch(value, branches)
            return value if branch is None else self.complete(value, branch)
        if isinstance(value, dict) and self._has_properties(schema):
            return self._object(value, schema)
        if isinstance(value, list):
            items = next((part["items"] for part in v.parts(schema) if "items" in part), None)
            return [self.complete(item, items) if items is not None else item for item in value]
        return value

    def _has_properties(self, schema):
        return any("properties" in part or "required" in part for part in self.validator.parts(schema))

    def _object(self, value, schema):
        v = self.validator
        declared = v.declared(schema)
        out = {}
        for key, item in value.items():
            if declared is not None and key not in declared:
                continue
            sub = v.property_schema(schema, key)
            if sub is None:
                out[key] = item
            elif item is None and not v.nullable(sub):
                continue  # null in a request means "not given"
            else:
                out[key] = self.complete(item, sub)
        for part in v.parts(schema):
            for key in part.get("required", ()):
                if key not in out:
                    out[key] = self.default(key, v.property_schema(schema, key))
        for key in ALWAYS_FILLED:
            sub = v.property_schema(schema, key)
            if key not in out and sub is not None and declared is not None and key in declared:
                out[key] = self.default(key, sub)
        return out

    def _branch(self, value, branches):
        v = self.validator
        if isinstance(value, dict):
            kind = value.get("type")
            for branch in branches:
                allowed = v.type_values(branch)
                if allowed is not None and kind in allowed:
                    return branch
            return next((b for b in branches if v.type_values(b) is None and self._has_properties(b)), None)
        for branch in branches:  # a scalar, a list or null: the first branch of its type (its items are filled after)
            kind = _type_keyword(branch, v)
            if kind is None or v.errors(value, {"type": kind}) is None:
                return branch
        return None

    def default(self, key, schema):
        v = self.validator
        if schema is None:
            return None
        for part in v.parts(schema):
            if "default" in part:
                return copy.deepcopy(part["default"])
        if key in PREFERRED and v.errors(PREFERRED[key], schema) is None:
            return PREFERRED[key]
        if v.nullable(schema):
            return None
        for part in v.parts(schema):
            if part.get("type") == "array":
                return []
            if part.get("enum"):
                return part["enum"][0]
        raise LookupError("the emulator has no value to fill for a missing %r" % key)


def _type_keyword(branch, validator):
    for part in validator.parts(branch):
        if "type" in part:
            return part["type"]
    return None
