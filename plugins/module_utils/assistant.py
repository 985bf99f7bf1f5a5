# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Assistants: found by id or by name; every field updates in place."""

from __future__ import annotations

from . import assistant_options, endpoints, limits, validate
from .info import Info
from .planner import Fields, ObjectPlanner, wanted as common_wanted
from .runner import Family, Held, read_by_id

ENDPOINT = endpoints.ASSISTANT


def assistant_spec():
    """The argument spec of an assistant's own fields: openai_assistant's options, and the role's definitions."""
    return dict(
        name=dict(type="str"),
        model=dict(type="str"),
        description=dict(type="str"),
        instructions=dict(type="str"),
        reasoning_effort=dict(type="str", choices=list(limits.REASONING_EFFORTS)),
        response_format=dict(type="raw"),
        temperature=dict(type="float"),
        top_p=dict(type="float"),
        tools=dict(type="list", elements="dict"),
        tool_resources=assistant_options.tool_resources_spec(),
    )


FIELDS = Fields(assistant_spec())


def wanted(params):
    wish = common_wanted(ENDPOINT, FIELDS, params)
    validate.max_length("name", params.get("name"), limits.ASSISTANT_NAME_MAX)
    validate.max_length("description", params.get("description"), limits.ASSISTANT_DESCRIPTION_MAX)
    validate.max_length("instructions", params.get("instructions"), limits.ASSISTANT_INSTRUCTIONS_MAX)
    assistant_options.check_sampling(params)
    assistant_options.check_response_format("response_format", params.get("response_format"))
    assistant_options.check_tools("tools", params.get("tools"), limits.ASSISTANT_TOOLS_MAX)
    assistant_options.check_tool_resources("tool_resources", params.get("tool_resources"))
    return wish


def named(listing, name):
    """The assistant of the listing called `name`, or None; more than one is an error that lists their ids."""
    matches = [obj for obj in listing if obj.get("name") == name]
    if len(matches) > 1:
        raise validate.InvalidInput("%d assistants are named %r (%s); set assistant_id to choose one"
                                    % (len(matches), name, ", ".join(obj["id"] for obj in matches)))
    return matches[0] if matches else None


def read(reader, wish):
    if wish.object_id or not wish.params.get("name"):
        return read_by_id(reader, ENDPOINT, wish)
    return Held(named(reader.list(ENDPOINT.collection_path(wish.params)), wish.params["name"]))


class AssistantPlanner(ObjectPlanner):
    endpoint = ENDPOINT
    fields = FIELDS
    finds_again = True

    def find_again(self, listing, body):
        return named(listing, body.get("name")) if body.get("name") else None

    def check_create(self, body):
        if not body.get("model"):
            raise validate.InvalidInput("model is required to create an assistant (no assistant named %r exists)"
                                        % self.params.get("name"))

    def check_update(self, current, changes):
        assistant_options.refuse_vector_store_on_update(self.endpoint.key, current["id"], changes)

    def matches(self, held, field, value):
        if field == "tool_resources":
            value = assistant_options.comparable_tool_resources(value, held.obj.get(field))
        return super().matches(held, field, value)


FAMILY = Family(ENDPOINT, wanted, read, AssistantPlanner)


class AssistantInfo(Info):
    endpoint = ENDPOINT

    def filtering(self):
        return self.params.get("name") is not None

    def keep(self, obj):
        wanted_name = self.params.get("name")
        return wanted_name is None or obj.get("name") == wanted_name
