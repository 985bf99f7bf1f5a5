"""Request-body checks shared by the endpoint families, with the real API's error messages.

Every check raises :class:`errors.APIError` (400, ``invalid_request_error``) with ``param`` naming
the offending field, e.g. ``metadata``, ``temperature``, ``tools[0].function.name``.
"""

import re

from . import errors

METADATA_MAX_KEYS = 16
METADATA_MAX_KEY_LEN = 64
METADATA_MAX_VALUE_LEN = 512
FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")


def body_object(body, required=False):  # pylint: disable=unused-argument
    """The request body as a dict: ``{}`` when absent, so that a missing required field is named."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise errors.invalid_type("body", "an object", body)
    return body


def only(body, allowed, prefix=""):
    """400 ``unknown_parameter`` for any key not in ``allowed`` (the spec's additionalProperties: false)."""
    for key in body:
        if key not in allowed:
            raise errors.unknown_parameter(prefix + key)


def require(body, key, prefix=""):
    if key not in body or body[key] is None:
        raise errors.missing(prefix + key)
    return body[key]


def string(body, key, max_len=None, nullable=True, prefix="", min_len=None):
    value = body.get(key)
    param = prefix + key
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(param, "a string", value)
        return value
    if not isinstance(value, str):
        raise errors.invalid_type(param, "a string", value)
    if max_len is not None and len(value) > max_len:
        raise errors.string_too_long(param, max_len, len(value))
    if min_len is not None and len(value) < min_len:
        raise errors.string_too_short(param, min_len, len(value))
    return value


def boolean(body, key, prefix="", nullable=True):
    value = body.get(key)
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(prefix + key, "a boolean", value)
        return value
    if not isinstance(value, bool):
        raise errors.invalid_type(prefix + key, "a boolean", value)
    return value


def integer(body, key, minimum=None, maximum=None, prefix="", nullable=True):
    value = body.get(key)
    param = prefix + key
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(param, "an integer", value)
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise errors.invalid_type(param, "an integer", value)
    if minimum is not None and value < minimum:
        raise errors.below_minimum(param, minimum, value)
    if maximum is not None and value > maximum:
        raise errors.above_maximum(param, maximum, value)
    return value


def number(body, key, minimum, maximum, prefix=""):
    """A float in [minimum, maximum] (temperature 0..2, top_p 0..1); returned as float."""
    value = body.get(key)
    param = prefix + key
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise errors.invalid_type(param, "a number", value)
    if value < minimum:
        raise errors.below_minimum(param, minimum, value, "decimal")
    if value > maximum:
        raise errors.above_maximum(param, maximum, value, "decimal")
    return float(value)


def enum(body, key, allowed, prefix="", nullable=True):
    value = body.get(key)
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(prefix + key, "a string", value)
        return value
    if not isinstance(value, str):
        raise errors.invalid_type(prefix + key, "a string", value)
    if value not in allowed:
        raise errors.invalid_value(prefix + key, value, allowed)
    return value


def array(body, key, max_items=None, min_items=None, prefix="", nullable=True):
    value = body.get(key)
    param = prefix + key
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(param, "an array", value)
        return value
    if not isinstance(value, list):
        raise errors.invalid_type(param, "an array", value)
    if max_items is not None and len(value) > max_items:
        raise errors.array_too_long(param, max_items, len(value))
    if min_items is not None and len(value) < min_items:
        raise errors.array_too_short(param, min_items, len(value))
    return value


def obj(body, key, prefix="", nullable=True):
    value = body.get(key)
    if value is None:
        if key in body and not nullable:
            raise errors.invalid_type(prefix + key, "an object", value)
        return value
    if not isinstance(value, dict):
        raise errors.invalid_type(prefix + key, "an object", value)
    return value


def metadata(body, key="metadata", prefix=""):
    """Metadata: at most 16 string pairs, keys <= 64 chars, values <= 512 chars. Returns a dict or None."""
    param = prefix + key
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise errors.invalid_type(param, "an object", value)
    if len(value) > METADATA_MAX_KEYS:
        raise errors.too_many_properties(param, METADATA_MAX_KEYS, len(value))
    for k, v in value.items():
        if len(k) > METADATA_MAX_KEY_LEN:
            raise errors.invalid(
                "Invalid '%s': key too long. Expected a key with maximum length %d, but got a key with "
                "length %d instead." % (param, METADATA_MAX_KEY_LEN, len(k)),
                param, "string_above_max_length",
            )
        if not isinstance(v, str):
            raise errors.invalid_type("%s.%s" % (param, k), "a string", v)
        if len(v) > METADATA_MAX_VALUE_LEN:
            raise errors.string_too_long("%s.%s" % (param, k), METADATA_MAX_VALUE_LEN, len(v))
    return dict(value)


def tools(body, key="tools", max_items=128, prefix=""):
    """Assistant tools (code_interpreter, file_search, function), with server defaults filled in."""
    value = array(body, key, max_items=max_items, prefix=prefix)
    if value is None:
        return None
    result = []
    for index, tool in enumerate(value):
        param = "%s%s[%d]" % (prefix, key, index)
        if not isinstance(tool, dict):
            raise errors.invalid_type(param, "an object", tool)
        kind = require(tool, "type", param + ".")
        if kind == "code_interpreter":
            only(tool, ("type",), param + ".")
            result.append({"type": "code_interpreter"})
        elif kind == "file_search":
            only(tool, ("type", "file_search"), param + ".")
            options = obj(tool, "file_search", param + ".") or {}
            only(options, ("max_num_results", "ranking_options"), param + ".file_search.")
            integer(options, "max_num_results", 1, 50, param + ".file_search.")
            ranking = obj(options, "ranking_options", param + ".file_search.") or {}
            filled = {"ranking_options": {
                "ranker": ranking.get("ranker", "default_2024_08_21"),
                "score_threshold": float(ranking.get("score_threshold", 0.0)),
            }}
            if "max_num_results" in options:
                filled["max_num_results"] = options["max_num_results"]
            result.append({"type": "file_search", "file_search": filled})
        elif kind == "function":
            only(tool, ("type", "function"), param + ".")
            function = obj(tool, "function", param + ".")
            if function is None:
                raise errors.missing(param + ".function")
            only(function, ("name", "description", "parameters", "strict"), param + ".function.")
            name = string(function, "name", prefix=param + ".function.")
            if name is None:
                raise errors.missing(param + ".function.name")
            if not FUNCTION_NAME.match(name):
                raise errors.pattern_mismatch(param + ".function.name", "^[a-zA-Z0-9_-]+$")
            string(function, "description", prefix=param + ".function.")
            obj(function, "parameters", param + ".function.")
            boolean(function, "strict", param + ".function.")
            filled = {"name": name}
            if function.get("description") is not None:
                filled["description"] = function["description"]
            # as the real API answers: no parameters means an object without properties
            filled["parameters"] = function["parameters"] if function.get("parameters") is not None \
                else {"type": "object", "properties": {}}
            filled["strict"] = bool(function.get("strict"))
            result.append({"type": "function", "function": filled})
        else:
            raise errors.invalid_value(param + ".type", kind, ["code_interpreter", "file_search", "function"])
    return result


def tool_resources(body, key="tool_resources", prefix="", allow_vector_stores=False):
    """``{code_interpreter: {file_ids}, file_search: {vector_store_ids}}`` as the server returns them."""
    value = obj(body, key, prefix)
    if value is None:
        return None
    param = prefix + key
    only(value, ("code_interpreter", "file_search"), param + ".")
    result = {}
    code = obj(value, "code_interpreter", param + ".")
    if code is not None:
        only(code, ("file_ids",), param + ".code_interpreter.")
        ids = array(code, "file_ids", max_items=20, prefix=param + ".code_interpreter.") or []
        _strings(ids, param + ".code_interpreter.file_ids")
        result["code_interpreter"] = {"file_ids": list(ids)}
    search = obj(value, "file_search", param + ".")
    if search is not None:
        allowed = ("vector_store_ids", "vector_stores") if allow_vector_stores else ("vector_store_ids",)
        only(search, allowed, param + ".file_search.")
        ids = array(search, "vector_store_ids", max_items=1, prefix=param + ".file_search.") or []
        _strings(ids, param + ".file_search.vector_store_ids")
        stores = array(search, "vector_stores", max_items=1, prefix=param + ".file_search.") or []
        if ids and stores:
            raise errors.invalid(
                "Invalid '%s.file_search': only one of vector_store_ids or vector_stores may be given." % param,
                param + ".file_search",
            )
        if stores:
            # the real API creates a vector store here; the emulator just makes up its id
            from .store import random_alnum

            ids = ["vs_" + random_alnum()]
        result["file_search"] = {"vector_store_ids": list(ids)}
    return result


def _strings(values, param):
    for index, item in enumerate(values):
        if not isinstance(item, str):
            raise errors.invalid_type("%s[%d]" % (param, index), "a string", item)


def response_format(body, key="response_format", prefix=""):
    """``"auto"`` or ``{"type": "text" | "json_object" | "json_schema", ...}``."""
    value = body.get(key)
    param = prefix + key
    if value is None:
        return None
    if isinstance(value, str):
        if value != "auto":
            raise errors.invalid_value(param, value, ["auto"])
        return value
    if not isinstance(value, dict):
        raise errors.invalid_type(param, "an object or 'auto'", value)
    kind = enum(value, "type", ("text", "json_object", "json_schema"), param + ".")
    if kind is None:
        raise errors.missing(param + ".type")
    if kind == "json_schema":
        schema = obj(value, "json_schema", param + ".")
        if schema is None:
            raise errors.missing(param + ".json_schema")
        if not isinstance(schema.get("name"), str):
            raise errors.missing(param + ".json_schema.name")
    return dict(value)


def reasoning_effort(body, key="reasoning_effort"):
    return enum(body, key, REASONING_EFFORTS)


def include(query_values, allowed, param):
    for value in query_values:
        if value not in allowed:
            raise errors.invalid_value(param, value, allowed)
    return list(query_values)
