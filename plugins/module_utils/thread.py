# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Threads: found by id only (the API cannot list them); their first messages are set at creation."""

from __future__ import annotations

from . import assistant_options
from .client import ASSISTANTS_BETA
from .errors import OpenAIError
from .info import Info
from .message_content import check_messages, messages_body, message_matches
from .resource import Resource
from .unlistable import create_empty_then_fill


class Thread(Resource):
    name = "thread"
    id_option = "thread_id"
    id_prefix = "thread"
    beta = ASSISTANTS_BETA
    fields = ("messages", "tool_resources")
    create_only = ("messages",)
    retired = True

    def collection_path(self):
        return "/threads"

    def desired(self):
        desired = super().desired()
        if "messages" in desired:
            desired["messages"] = messages_body(desired["messages"])
        return desired

    def validate(self):
        super().validate()
        check_messages("messages", self.params.get("messages"))
        assistant_options.check_tool_resources("tool_resources", self.params.get("tool_resources"))

    def check_update(self, current, changes):
        assistant_options.refuse_vector_store_on_update(self.name, current["id"], changes)

    def matches(self, obj, field, value):
        if field == "messages":
            # The thread's first messages must be the ones the task lists (read only when messages are set).
            stored = list(self.client.list("%s/messages" % self.object_path(obj["id"]), {"order": "asc"},
                                           max_items=len(value)))
            return len(stored) == len(value) and all(
                message_matches(have, want["role"], want["content"], want.get("attachments"))
                for have, want in zip(stored, value))
        if field == "tool_resources":
            value = assistant_options.comparable_tool_resources(value, obj.get(field))
        return super().matches(obj, field, value)

    def create(self, body):
        # A vector store to make (file_search.vector_stores) is accepted by a create only: it goes in the create.
        first = {"tool_resources": body["tool_resources"]} \
            if assistant_options.makes_vector_store(body.get("tool_resources")) else None
        return create_empty_then_fill(self.client, self.collection_path(), self.name, self.id_option,
                                      lambda thread: self.fill(thread, body, first or {}), first_body=first)

    def fill(self, thread, body, sent):
        settings = dict((field, body[field]) for field in ("metadata", "tool_resources")
                        if body.get(field) and field not in sent)
        if settings:
            thread = self.client.post(self.object_path(thread["id"]), settings)
        messages = body.get("messages") or []
        for index, message in enumerate(messages):
            self.add_message(thread["id"], index, message)
        if any(message.get("attachments") for message in messages):
            thread = self.client.get(self.object_path(thread["id"]))  # file_search attachments add a vector store
        return thread

    def add_message(self, thread_id, index, message):
        """Add the index-th message to a new thread that only this task knows of."""
        path = "%s/messages" % self.object_path(thread_id)

        def recover():
            stored = list(self.client.list(path, {"order": "asc"}))
            if len(stored) == index:
                return None
            if len(stored) == index + 1 and message_matches(stored[index], message["role"], message["content"],
                                                            message.get("attachments")):
                return stored[index]
            raise OpenAIError("thread %s, which only this task knows of, holds messages other than the %d this task "
                              "sent so far" % (thread_id, index + 1), method="POST", path=path)

        return self.client.post_once(path, message, recover=recover)

    def would_be(self, body):
        return {"id": None, "object": "thread", "created_at": None, "tool_resources": body.get("tool_resources"),
                "metadata": body.get("metadata") or {}}


class ThreadInfo(Info):
    plural = "threads"
    id_option = "thread_id"
    id_prefix = "thread"
    beta = ASSISTANTS_BETA
    retired = True

    def collection_path(self):
        return "/threads"
