# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversations: found by id only (the API cannot list them); their first items are set at creation."""

from __future__ import annotations

from . import endpoints
from .conversation_items import as_sent, check_items, items_match
from .errors import OpenAIError
from .info import Info
from .plan import NEW, ReadBack, Send
from .planner import Fields, wanted as common_wanted
from .runner import Family, Held
from .unlistable import NamedPlanner, claim_name, create_empty_then_fill, read_named

ENDPOINT = endpoints.CONVERSATION
ITEMS = endpoints.CONVERSATION_ITEM
IN_ORDER = {"order": "asc"}


def conversation_spec():
    """The argument spec of a conversation's own fields (openai_conversation's options)."""
    return dict(items=dict(type="list", elements="dict"))


FIELDS = Fields(conversation_spec(), create_only=("items",))


def wanted(params):
    wish = common_wanted(ENDPOINT, FIELDS, params)
    check_items("items", params.get("items"), minimum=0)
    return wish


def items_path(conversation_id):
    return ITEMS.collection_path({"conversation_id": conversation_id})


def read(reader, wish):
    held = read_named(reader, ENDPOINT, wish)
    items = wish.fields.get("items")
    if held.obj is not None and items is not None:
        # the conversation's first items must be the ones the task lists: read as many as it lists
        held = Held(held.obj, reader.list(items_path(held.obj["id"]), IN_ORDER, max_items=len(items)), held.recorded)
    return held


class ConversationPlanner(NamedPlanner):
    endpoint = ENDPOINT
    fields = FIELDS

    def create_body(self, desired):
        body = super().create_body(desired)
        if body.get("items"):
            body["items"] = [as_sent(item) for item in body["items"]]
        return body

    def matches(self, held, field, value):
        if field == "items":
            return items_match(held.children or [], value)
        return super().matches(held, field, value)

    def create_operations(self, body):
        fill = []
        if body.get("metadata"):
            fill.append(Send("POST", self.endpoint.object_path(self.params, NEW), {"metadata": body["metadata"]}))
        if body.get("items"):
            fill.append(add_items(body["items"]))
        return create_empty_then_fill(self.endpoint, self.params, None, fill)

    def would_be(self, body):
        return {"id": None, "object": "conversation", "created_at": None, "metadata": body.get("metadata") or {}}


def add_items(items):
    """The POST of the first items, in one request, to a new conversation that only this task knows of."""
    path = items_path(NEW)

    def pick(stored, conversation_id):
        if not stored:
            return None
        if items_match(stored, items):
            return {"data": stored}
        raise OpenAIError("conversation %s holds %d items that are not the %d this task sent"
                          % (conversation_id, len(stored), len(items)), method="POST", path=items_path(conversation_id))

    return Send("POST", path, {"items": items}, once=True, recover=ReadBack(path, pick, IN_ORDER), keep=None)


FAMILY = Family(ENDPOINT, wanted, read, ConversationPlanner, claim=claim_name)


class ConversationInfo(Info):
    endpoint = ENDPOINT
