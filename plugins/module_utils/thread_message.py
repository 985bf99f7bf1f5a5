# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Thread messages: by id, or matched in their thread by role and content, so a repeat adds no copy."""

from __future__ import annotations

from . import endpoints, validate
from .info import Info
from .limits import MESSAGE_ROLES
from .message_content import attachment_spec, check_attachments, check_content, message_matches, normalized_content
from .planner import Fields, ObjectPlanner, wanted as common_wanted
from .runner import Family, Held, read_by_id

ENDPOINT = endpoints.THREAD_MESSAGE
IN_ORDER = {"order": "asc"}


def message_fields_spec():
    """The argument spec of a message's own fields (openai_thread_message's options)."""
    return dict(
        role=dict(type="str", choices=list(MESSAGE_ROLES)),
        content=dict(type="raw"),
        attachments=dict(type="list", elements="dict", options=attachment_spec()),
    )


FIELDS = Fields(message_fields_spec(), create_only=tuple(message_fields_spec()))


def wanted(params):
    wish = common_wanted(ENDPOINT, FIELDS, params)
    if params.get("message_id") is None:
        missing = [option for option in ("role", "content") if params.get(option) is None]
        if missing:
            raise validate.InvalidInput("%s %s required without message_id (the message is found in its thread "
                                        "by role and content)" % (" and ".join(missing),
                                                                  "is" if len(missing) == 1 else "are"))
    if params.get("content") is not None:
        check_content("content", params["content"])
    check_attachments("attachments", params.get("attachments"))
    return wish


def same_content(listing, params):
    """The message of the listing with the task's role and content (and attachments, when set), or None; more
    than one is an error that lists their ids."""
    found = [message for message in listing
             if message_matches(message, params["role"], params["content"], params.get("attachments"))]
    if len(found) > 1:
        raise validate.InvalidInput("%d messages of thread %s have this role and content (%s); set message_id to "
                                    "choose one" % (len(found), params["thread_id"],
                                                    ", ".join(message["id"] for message in found)))
    return found[0] if found else None


def read(reader, wish):
    if wish.object_id:
        return read_by_id(reader, ENDPOINT, wish)
    return Held(same_content(reader.list(ENDPOINT.collection_path(wish.params), IN_ORDER), wish.params))


class ThreadMessagePlanner(ObjectPlanner):
    endpoint = ENDPOINT
    fields = FIELDS
    finds_again = True
    listing_query = IN_ORDER

    def find_again(self, listing, body):
        return same_content(listing, self.params)

    def matches(self, held, field, value):
        obj = held.obj
        if field == "content":
            return message_matches(obj, obj.get("role"), value)
        if field == "attachments":
            return message_matches(obj, obj.get("role"), obj.get("content"), value)
        return obj.get(field) == value

    def would_be(self, body):
        return dict(body, id=None, object="thread.message", thread_id=self.params["thread_id"], status="completed",
                    content=normalized_content(body["content"]), metadata=body.get("metadata") or {})


FAMILY = Family(ENDPOINT, wanted, read, ThreadMessagePlanner)


class ThreadMessageInfo(Info):
    endpoint = ENDPOINT
    query_options = ("run_id",)

    def validate(self):
        super().validate()
        endpoints.check_id("run_id", self.params.get("run_id"), "run")
