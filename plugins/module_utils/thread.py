# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Threads: found by id only (the API cannot list them); their first messages are set at creation."""

from __future__ import annotations

from . import assistant_options, endpoints
from .errors import OpenAIError
from .info import Info
from .message_content import check_messages, message_matches, message_spec, messages_body
from .plan import NEW, ReadBack, Send
from .planner import Fields, wanted as common_wanted
from .runner import Family, Held
from .unlistable import NamedPlanner, claim_name, create_empty_then_fill, read_named

ENDPOINT = endpoints.THREAD
MESSAGES = endpoints.THREAD_MESSAGE
IN_ORDER = {"order": "asc"}


def thread_spec():
    """The argument spec of a thread's own fields (openai_thread's options)."""
    return dict(
        messages=dict(type="list", elements="dict", options=message_spec()),
        tool_resources=assistant_options.tool_resources_spec(),
    )


FIELDS = Fields(thread_spec(), create_only=("messages",))


def wanted(params):
    wish = common_wanted(ENDPOINT, FIELDS, params)
    check_messages("messages", params.get("messages"))
    assistant_options.check_tool_resources("tool_resources", params.get("tool_resources"))
    if "messages" in wish.fields:
        wish.fields["messages"] = messages_body(wish.fields["messages"])
    return wish


def messages_path(thread_id):
    return MESSAGES.collection_path({"thread_id": thread_id})


def read(reader, wish):
    held = read_named(reader, ENDPOINT, wish)
    messages = wish.fields.get("messages")
    if held.obj is not None and messages is not None:
        # the thread's first messages must be the ones the task lists: read as many as it lists
        held = Held(held.obj, reader.list(messages_path(held.obj["id"]), IN_ORDER, max_items=len(messages)),
                    held.recorded)
    return held


def same_message(stored, message):
    return message_matches(stored, message["role"], message["content"], message.get("attachments"))


class ThreadPlanner(NamedPlanner):
    endpoint = ENDPOINT
    fields = FIELDS

    def matches(self, held, field, value):
        if field == "messages":
            stored = held.children or []
            return len(stored) == len(value) and all(same_message(have, want) for have, want in zip(stored, value))
        if field == "tool_resources":
            value = assistant_options.comparable_tool_resources(value, held.obj.get(field))
        return super().matches(held, field, value)

    def check_update(self, current, changes):
        assistant_options.refuse_vector_store_on_update(self.endpoint.key, current["id"], changes)

    def create_operations(self, body):
        # A vector store to make (file_search.vector_stores) is accepted by a create only: it goes in the create.
        first = {"tool_resources": body["tool_resources"]} \
            if assistant_options.makes_vector_store(body.get("tool_resources")) else {}
        fill = []
        settings = dict((field, body[field]) for field in ("metadata", "tool_resources")
                        if body.get(field) and field not in first)
        if settings:
            fill.append(Send("POST", self.endpoint.object_path(self.params, NEW), settings))
        messages = body.get("messages") or []
        fill.extend(add_message(index, message) for index, message in enumerate(messages))
        if any(message.get("attachments") for message in messages):
            # file_search attachments add a vector store to the thread: read what they made
            fill.append(Send("GET", self.endpoint.object_path(self.params, NEW)))
        return create_empty_then_fill(self.endpoint, self.params, first, fill)

    def would_be(self, body):
        return {"id": None, "object": "thread", "created_at": None, "tool_resources": body.get("tool_resources"),
                "metadata": body.get("metadata") or {}}


def add_message(index, message):
    """The POST of the index-th message of a new thread that only this task knows of, found again by its place."""
    path = messages_path(NEW)

    def pick(stored, thread_id):
        if len(stored) == index:
            return None
        if len(stored) == index + 1 and same_message(stored[index], message):
            return stored[index]
        raise OpenAIError("thread %s, which only this task knows of, holds messages other than the %d this task "
                          "sent so far" % (thread_id, index + 1), method="POST", path=messages_path(thread_id))

    return Send("POST", path, message, once=True, recover=ReadBack(path, pick, IN_ORDER), keep=None)


FAMILY = Family(ENDPOINT, wanted, read, ThreadPlanner, claim=claim_name)


class ThreadInfo(Info):
    endpoint = ENDPOINT
