# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options the Assistants family shares (assistants, threads, runs): their specs and their limits."""

from __future__ import annotations

from . import validate
from .limits import (CHUNKING_STRATEGY_TYPES, CODE_INTERPRETER_FILES_MAX, RESPONSE_FORMAT_TYPES, TEMPERATURE_RANGE,
                     TOOL_TYPES, TOP_P_RANGE, VECTOR_STORES_MAX)


def tool_resources_spec():
    return dict(
        type="dict",
        options=dict(
            code_interpreter=dict(type="dict", options=dict(file_ids=dict(type="list", elements="str"))),
            file_search=dict(type="dict", options=dict(
                vector_store_ids=dict(type="list", elements="str"),
                vector_stores=dict(type="list", elements="dict", options=dict(
                    file_ids=dict(type="list", elements="str"),
                    chunking_strategy=dict(type="dict"),
                    metadata=dict(type="dict"),
                )),
            )),
        ),
    )


def check_tools(option, tools, most):
    if tools is None:
        return
    validate.item_count(option, tools, 0, most)
    for index, tool in enumerate(tools):
        kind = tool.get("type")
        if kind not in TOOL_TYPES:
            raise validate.InvalidInput("%s[%d].type must be one of %s, got %r"
                                        % (option, index, ", ".join(TOOL_TYPES), kind))
        if kind == "function" and not (tool.get("function") or {}).get("name"):
            raise validate.InvalidInput("%s[%d].function.name is required for a function tool" % (option, index))


def check_tool_resources(option, resources):
    if not resources:
        return
    code_interpreter = resources.get("code_interpreter") or {}
    validate.item_count(option + ".code_interpreter.file_ids", code_interpreter.get("file_ids"),
                        0, CODE_INTERPRETER_FILES_MAX)
    file_search = resources.get("file_search") or {}
    validate.item_count(option + ".file_search.vector_store_ids", file_search.get("vector_store_ids"),
                        0, VECTOR_STORES_MAX)
    validate.item_count(option + ".file_search.vector_stores", file_search.get("vector_stores"),
                        0, VECTOR_STORES_MAX)
    for index, store in enumerate(file_search.get("vector_stores") or []):
        validate.metadata("%s.file_search.vector_stores[%d].metadata" % (option, index), store.get("metadata"))
        strategy = store.get("chunking_strategy") or {}
        if strategy and strategy.get("type") not in CHUNKING_STRATEGY_TYPES:
            raise validate.InvalidInput("%s.file_search.vector_stores[%d].chunking_strategy.type must be %s, got %r"
                                        % (option, index, " or ".join(CHUNKING_STRATEGY_TYPES), strategy.get("type")))


def makes_vector_store(resources):
    """True when tool_resources asks for a vector store to be made (file_search.vector_stores): a create only."""
    return bool(((resources or {}).get("file_search") or {}).get("vector_stores"))


def refuse_vector_store_on_update(name, object_id, changes):
    """InvalidInput when an update would ask for a vector store to be made, which the API does only on create."""
    if makes_vector_store(changes.get("tool_resources")):
        raise validate.InvalidInput(
            "tool_resources.file_search.vector_stores makes a vector store, which the API does only when the %s is "
            "created, and %s %s has none attached; attach one to it with tool_resources.file_search.vector_store_ids"
            % (name, name, object_id))


def comparable_tool_resources(desired, current):
    """`vector_stores` asks the server to create a vector store, which then shows up only as its id:
    once the object has one attached, the request counts as fulfilled."""
    file_search = (desired or {}).get("file_search")
    if not file_search or "vector_stores" not in file_search:
        return desired
    attached = ((current or {}).get("file_search") or {}).get("vector_store_ids")
    if not attached:
        return desired
    trimmed = dict(file_search)
    del trimmed["vector_stores"]
    return dict(desired, file_search=trimmed)


def check_response_format(option, value):
    if value is None or value == "auto":
        return
    if not isinstance(value, dict) or value.get("type") not in RESPONSE_FORMAT_TYPES:
        raise validate.InvalidInput("%s must be auto or a dictionary whose type is one of %s"
                                    % (option, ", ".join(RESPONSE_FORMAT_TYPES)))
    if value["type"] == "json_schema" and not (value.get("json_schema") or {}).get("name"):
        raise validate.InvalidInput("%s.json_schema.name is required when %s.type is json_schema" % (option, option))


def check_sampling(params):
    validate.number_range("temperature", params.get("temperature"), *TEMPERATURE_RANGE)
    validate.number_range("top_p", params.get("top_p"), *TOP_P_RANGE)
