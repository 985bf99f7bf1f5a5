"""A small JSON Schema validator for the part of OpenAI's spec the emulator vendors (openai_schemas.json).

It knows the keywords that part uses, and no others (``test_schema_validator.py`` checks that the vendored
file uses no other keyword): ``$ref`` (to ``#/components/schemas/<name>``, with sibling keywords),
``type`` (a name or a list), ``enum``, ``const``, ``properties``, ``required``, ``additionalProperties``,
``propertyNames``, ``maxProperties``, ``items``, ``minItems``, ``maxItems``, ``minLength``, ``maxLength``,
``pattern``, ``minimum``, ``maximum``, ``allOf``, ``anyOf`` and ``oneOf``. Annotations (``default``...) are
ignored.

Two departures from JSON Schema, both on purpose:

* ``oneOf`` is checked like ``anyOf`` (the first branch that fits wins). The spec's unions are
  discriminated by ``type``, except ``InputItem``, whose overlap is a spec bug (a message with array
  content fits three branches; shared/openapi/normalize_spec.py makes it an ``anyOf`` for the same reason).
* ``closed=True`` (how the emulator checks requests) rejects a key that an object schema does not declare
  (in ``properties``, ``required`` or an ``allOf`` part) unless it allows more with ``additionalProperties``:
  the real API answers ``Unknown parameter`` there, though the spec leaves those objects open.
  ``closed=False`` is plain JSON Schema (how responses are checked).

Failures are the real API's 400s (``errors.APIError``), their ``param`` naming the place in the value:
``items[3].action.type``. Of the failures of a union's branches, the one deepest in the value is reported
(the branch that got furthest), so a bad ``action.type`` of a ``computer_call`` is reported as that, not
as "not a message". An object whose ``type`` no branch of a union has is an ``invalid_value`` on its
``type`` listing the types the union has.
"""

import re

from . import errors

REF_PREFIX = "#/components/schemas/"
KEYWORDS = frozenset((
    "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "propertyNames",
    "maxProperties", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "allOf", "anyOf", "oneOf", "default",
))
_TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
               "array": "an array", "object": "an object", "null": "null"}


class Invalid(Exception):
    """A value that does not fit; ``error`` is the API's answer, ``depth`` how deep in the value it is."""

    def __init__(self, error, depth, expected_types=None, value=None):
        super().__init__(error.message)
        self.error = error
        self.depth = depth
        self.expected_types = expected_types  # for invalid_type: the type names, to merge a union's
        self.value = value


def param_of(prefix, path):
    text = prefix
    for segment in path:
        if isinstance(segment, int):
            text += "[%d]" % segment
        else:
            text += ("." if text else "") + segment
    return text


def _is_type(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError("unknown JSON Schema type %r" % name)


def _same(a, b):
    """JSON equality (True is not 1)."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


class Validator:
    def __init__(self, schemas):
        self.schemas = schemas
        self._type_values = {}  # id(schema) -> (schema, type_values(schema)): unions are walked on every request

    # ---- schema navigation (shared with schema_filler.py) -------------------------------------------
    def target(self, ref):
        if not ref.startswith(REF_PREFIX):
            raise ValueError("unsupported $ref %r" % ref)
        return self.schemas[ref[len(REF_PREFIX):]]

    def parts(self, schema):
        """``schema`` as the list of schemas that all apply: its ``$ref`` target(s), its ``allOf`` parts, itself."""
        found, todo = [], [schema]
        while todo:
            current = todo.pop(0)
            found.append(current)
            if "$ref" in current:
                todo.append(self.target(current["$ref"]))
            todo.extend(current.get("allOf", ()))
        return found

    def branches(self, schema):
        """The alternatives of a union (``anyOf``/``oneOf`` of any part), or None when it is none."""
        for part in self.parts(schema):
            for keyword in ("anyOf", "oneOf"):
                if keyword in part:
                    return part[keyword]
        return None

    def type_values(self, schema):
        """The values a branch allows for an object's ``type`` key, or None when it does not constrain it."""
        cached = self._type_values.get(id(schema))
        if cached is None or cached[0] is not schema:  # the schema is kept, so its id cannot be reused
            cached = self._type_values[id(schema)] = (schema, self._find_type_values(schema))
        return cached[1]

    def _find_type_values(self, schema):
        branches = self.branches(schema)
        if branches is not None:  # a union of unions (InputItem's Item): the values of all its branches
            allowed = set()
            for branch in branches:
                values = self.type_values(branch)
                if values is None:
                    return None
                allowed |= values
            return allowed
        for part in self.parts(schema):
            kind = part.get("properties", {}).get("type")
            if kind is None:
                continue
            allowed = set()
            for option in [kind] + list(kind.get("anyOf", ())):
                for sub in self.parts(option):
                    allowed.update(v for v in sub.get("enum", ()) if isinstance(v, str))
                    if isinstance(sub.get("const"), str):
                        allowed.add(sub["const"])
            return allowed or None
        return None

    def requires(self, schema, key):
        return any(key in part.get("required", ()) for part in self.parts(schema))

    def declared(self, schema):
        """The keys an object schema declares, or None when it allows any key (or declares none)."""
        keys, declares = set(), False
        for part in self.parts(schema):
            if part.get("additionalProperties", False) is not False:
                return None
            if "properties" in part or "required" in part:
                declares = True
                keys.update(part.get("properties", {}))
                keys.update(part.get("required", ()))
        return keys if declares else None

    def property_schema(self, schema, key):
        for part in self.parts(schema):
            if key in part.get("properties", {}):
                return part["properties"][key]
        for part in self.parts(schema):
            extra = part.get("additionalProperties")
            if isinstance(extra, dict):
                return extra
        return None

    def nullable(self, schema):
        if self.branches(schema) is not None:
            return any(self.nullable(branch) for branch in self.branches(schema))
        for part in self.parts(schema):
            kind = part.get("type")
            if kind == "null" or (isinstance(kind, list) and "null" in kind):
                return True
        return False

    # ---- checking ----------------------------------------------------------------------------------
    def check(self, value, schema, param="", closed=True):
        """Raise the API's 400 (``errors.APIError``) when ``value`` does not fit ``schema``."""
        try:
            self._check(value, schema, [], param, closed)
        except Invalid as exc:
            raise exc.error

    def errors(self, value, schema, param="", closed=False):
        """The failure as ``(param, message)``, or None: what the tests use on responses."""
        try:
            self._check(value, schema, [], param, closed)
        except Invalid as exc:
            return exc.error.param, exc.error.message
        return None

    def matching_leaf(self, value, name, closed=True):
        """The name of the innermost named schema of union ``name`` that ``value`` fits (after ``check``)."""
        while True:
            branches = self.branches(self.schemas[name])
            if branches is None:
                return name
            candidates = self._candidates(value, branches)
            for branch in candidates:
                if len(candidates) > 1:  # one candidate is the one: the value was checked before
                    try:
                        self._check(value, branch, [], "", closed)
                    except Invalid:
                        continue
                if "$ref" not in branch:
                    return name
                name = branch["$ref"][len(REF_PREFIX):]
                break
            else:
                raise ValueError("value does not fit %s" % name)

    def _fail(self, error, path, expected_types=None, value=None):
        raise Invalid(error, len(path), expected_types, value)

    def _check(self, value, schema, path, prefix, closed):
        param = param_of(prefix, path)
        # made of parts (allOf, or a $ref with properties beside it): no part alone knows every allowed key
        composite = "allOf" in schema or ("$ref" in schema and ("properties" in schema or "required" in schema))
        part_closed = closed and not composite
        if "$ref" in schema:
            self._check(value, self.target(schema["$ref"]), path, prefix, part_closed)
        for part in schema.get("allOf", ()):
            self._check(value, part, path, prefix, part_closed)
        kind = schema.get("type")
        if kind is not None:
            names = kind if isinstance(kind, list) else [kind]
            if not any(_is_type(value, name) for name in names):
                self._fail(self._type_error(param, names, value), path, names, value)
        if "enum" in schema and not any(_same(value, allowed) for allowed in schema["enum"]):
            self._fail(errors.invalid_value(param, value, schema["enum"]), path)
        if "const" in schema and not _same(value, schema["const"]):
            self._fail(errors.invalid_value(param, value, [schema["const"]]), path)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                self._union(value, schema[keyword], path, prefix, closed)
        if isinstance(value, dict):
            self._object(value, schema, path, prefix, closed, composite)
        elif isinstance(value, list):
            self._array(value, schema, path, prefix, closed)
        elif isinstance(value, str):
            self._string(value, schema, param, path)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self._fail(errors.below_minimum(param, schema["minimum"], value, _number_word(value)), path)
            if "maximum" in schema and value > schema["maximum"]:
                self._fail(errors.above_maximum(param, schema["maximum"], value, _number_word(value)), path)

    def _type_error(self, param, names, value):
        shown = [name for name in names if name != "null"] or names
        words = [_TYPE_WORDS[name] for name in shown]
        expected = words[0] if len(words) == 1 else "one of " + ", ".join(words[:-1]) + " or " + words[-1]
        return errors.invalid_type(param, expected, value)

    def _object(self, value, schema, path, prefix, closed, composite):
        for key in schema.get("required", ()):
            if key not in value:
                self._fail(errors.missing(param_of(prefix, path + [key])), path + [key])
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            self._fail(errors.too_many_properties(param_of(prefix, path), schema["maxProperties"], len(value)), path)
        properties = dict(schema.get("properties", {}))
        declared = None
        if closed and (composite or "properties" in schema or "required" in schema):
            declared = self.declared(schema)  # over the parts too; their properties are checked closed again
            if composite:
                for part in self.parts(schema)[1:]:
                    for key, sub in part.get("properties", {}).items():
                        properties.setdefault(key, sub)
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            where = path + [key]
            if "propertyNames" in schema:
                self._check(key, schema["propertyNames"], where, prefix, closed)
            if key in properties:
                self._check(item, properties[key], where, prefix, closed)
            elif isinstance(extra, dict):
                self._check(item, extra, where, prefix, closed)
            elif extra is False or (declared is not None and key not in declared):
                self._fail(errors.unknown_parameter(param_of(prefix, where)), where)

    def _array(self, value, schema, path, prefix, closed):
        param = param_of(prefix, path)
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            self._fail(errors.array_too_long(param, schema["maxItems"], len(value)), path)
        if "minItems" in schema and len(value) < schema["minItems"]:
            self._fail(errors.array_too_short(param, schema["minItems"], len(value)), path)
        if "items" in schema:
            for index, item in enumerate(value):
                self._check(item, schema["items"], path + [index], prefix, closed)

    def _string(self, value, schema, param, path):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            self._fail(errors.string_too_long(param, schema["maxLength"], len(value)), path)
        if "minLength" in schema and len(value) < schema["minLength"]:
            self._fail(errors.string_too_short(param, schema["minLength"], len(value)), path)
        if "pattern" in schema and not re.search(schema["pattern"], value):
            self._fail(errors.pattern_mismatch(param, schema["pattern"]), path)

    def _candidates(self, value, branches):
        """The branches a value may fit, by its ``type`` (the spec's unions are discriminated by it)."""
        if not isinstance(value, dict):
            return list(branches)
        kind = value.get("type")
        if isinstance(kind, str):
            return [branch for branch in branches if self.type_values(branch) is None or kind in self.type_values(branch)]
        if "type" not in value:
            return [branch for branch in branches if not self.requires(branch, "type")]
        return list(branches)

    def _union(self, value, branches, path, prefix, closed):
        candidates = self._candidates(value, branches)
        if not candidates:
            where = path + ["type"]
            if "type" not in value:
                self._fail(errors.missing(param_of(prefix, where)), where)
            known = []
            for branch in branches:
                known.extend(sorted(v for v in self.type_values(branch) or () if v not in known))
            self._fail(errors.invalid_value(param_of(prefix, where), value["type"], known), where)
        failures = []
        for branch in candidates:
            try:
                self._check(value, branch, path, prefix, closed)
                return
            except Invalid as exc:
                failures.append(exc)
        deepest = max(f.depth for f in failures)
        best = [f for f in failures if f.depth == deepest]
        if all(f.expected_types for f in best) and len({f.error.param for f in best}) == 1:
            names = []
            for failure in best:
                names.extend(name for name in failure.expected_types if name not in names)
            self._fail(self._type_error(best[0].error.param, names, best[0].value), path, names, best[0].value)
        raise best[0]


def _number_word(value):
    return "integer" if isinstance(value, int) else "decimal"
