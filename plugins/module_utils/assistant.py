# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Assistants: found by id or by name; every field updates in place."""

from __future__ import annotations

from . import assistant_options, validate
from .client import ASSISTANTS_BETA
from .info import Info
from .resource import Resource

MAX_NAME = 256
MAX_DESCRIPTION = 512
MAX_INSTRUCTIONS = 256000


def assistant_spec():
    """The argument spec of an assistant's own fields: openai_assistant's options, and the role's definitions."""
    return dict(
        name=dict(type="str"),
        model=dict(type="str"),
        description=dict(type="str"),
        instructions=dict(type="str"),
        reasoning_effort=dict(type="str", choices=assistant_options.REASONING_EFFORTS),
        response_format=dict(type="raw"),
        temperature=dict(type="float"),
        top_p=dict(type="float"),
        tools=dict(type="list", elements="dict"),
        tool_resources=assistant_options.tool_resources_spec(),
    )


FIELDS = tuple(assistant_spec())


class Assistant(Resource):
    name = "assistant"
    id_option = "assistant_id"
    id_prefix = "asst"
    beta = ASSISTANTS_BETA
    fields = FIELDS
    retired = True
    can_recover_create = True

    def collection_path(self):
        return "/assistants"

    def validate(self):
        super().validate()
        params = self.params
        validate.max_length("name", params.get("name"), MAX_NAME)
        validate.max_length("description", params.get("description"), MAX_DESCRIPTION)
        validate.max_length("instructions", params.get("instructions"), MAX_INSTRUCTIONS)
        assistant_options.check_sampling(params)
        assistant_options.check_response_format("response_format", params.get("response_format"))
        assistant_options.check_tools("tools", params.get("tools"))
        assistant_options.check_tool_resources("tool_resources", params.get("tool_resources"))

    def find(self):
        wanted = self.params.get("name")
        if not wanted:
            return None
        matches = [obj for obj in self.client.list(self.collection_path()) if obj.get("name") == wanted]
        if len(matches) > 1:
            raise validate.InvalidInput("%d assistants are named %r (%s); set assistant_id to choose one"
                                        % (len(matches), wanted, ", ".join(obj["id"] for obj in matches)))
        return matches[0] if matches else None

    def recover_create(self, body):
        return self.find()

    def check_update(self, current, changes):
        assistant_options.refuse_vector_store_on_update(self.name, current["id"], changes)

    def matches(self, obj, field, value):
        if field == "tool_resources":
            value = assistant_options.comparable_tool_resources(value, obj.get(field))
        return super().matches(obj, field, value)

    def check_create(self, body):
        if not body.get("model"):
            raise validate.InvalidInput("model is required to create an assistant (no assistant named %r exists)"
                                        % self.params.get("name"))


class AssistantInfo(Info):
    plural = "assistants"
    id_option = "assistant_id"
    id_prefix = "asst"
    beta = ASSISTANTS_BETA
    retired = True

    def collection_path(self):
        return "/assistants"

    def filtering(self):
        return self.params.get("name") is not None

    def keep(self, obj):
        wanted = self.params.get("name")
        return wanted is None or obj.get("name") == wanted
