# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversations: found by id only (the API cannot list them); their first items are set at creation."""

from __future__ import annotations

from .conversation_items import as_sent, check_items, items_match
from .errors import OpenAIError
from .info import Info
from .resource import Resource
from .unlistable import create_empty_then_fill


class Conversation(Resource):
    name = "conversation"
    id_option = "conversation_id"
    id_prefix = "conv"
    fields = ("items",)
    create_only = ("items",)

    def collection_path(self):
        return "/conversations"

    def validate(self):
        super().validate()
        check_items("items", self.params.get("items"), minimum=0)

    def create_body(self, desired):
        body = super().create_body(desired)
        if body.get("items"):
            body["items"] = [as_sent(item) for item in body["items"]]
        return body

    def matches(self, obj, field, value):
        # The conversation's first items must be the ones the task lists (one read, only when items are set).
        path = "%s/items" % self.object_path(obj["id"])
        existing = list(self.client.list(path, {"order": "asc"}, max_items=len(value)))
        return items_match(existing, value)

    def create(self, body):
        return create_empty_then_fill(self.client, self.collection_path(), self.name, self.id_option,
                                      lambda conversation: self.fill(conversation, body))

    def fill(self, conversation, body):
        if body.get("metadata"):
            conversation = self.client.post(self.object_path(conversation["id"]), {"metadata": body["metadata"]})
        if body.get("items"):
            self.add_items(conversation["id"], body["items"])
        return conversation

    def add_items(self, conversation_id, items):
        """Add the first items, in one request, to a new conversation that only this task knows of."""
        path = "%s/items" % self.object_path(conversation_id)

        def recover():
            stored = list(self.client.list(path, {"order": "asc"}))
            if not stored:
                return None
            if items_match(stored, items):
                return {"data": stored}
            raise OpenAIError("conversation %s holds %d items that are not the %d this task sent"
                              % (conversation_id, len(stored), len(items)), method="POST", path=path)

        return self.client.post_once(path, {"items": items}, recover=recover)

    def would_be(self, body):
        return {"id": None, "object": "conversation", "created_at": None, "metadata": body.get("metadata") or {}}


class ConversationInfo(Info):
    plural = "conversations"
    id_option = "conversation_id"
    id_prefix = "conv"

    def collection_path(self):
        return "/conversations"
