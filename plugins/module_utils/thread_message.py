# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Thread messages: by id, or matched in their thread by role and content, so a repeat adds no copy."""

from __future__ import annotations

from . import validate
from .client import ASSISTANTS_BETA
from .info import Info
from .message_content import check_attachments, check_content, message_matches, normalized_content
from .resource import Resource


class ThreadMessage(Resource):
    name = "message"
    id_option = "message_id"
    id_prefix = "msg"
    beta = ASSISTANTS_BETA
    fields = ("role", "content", "attachments")
    create_only = ("role", "content", "attachments")
    retired = True
    can_recover_create = True

    def collection_path(self):
        return "/threads/%s/messages" % self.params["thread_id"]

    def validate(self):
        validate.object_id("thread_id", self.params["thread_id"], "thread")
        super().validate()
        if self.params.get("message_id") is None:
            missing = [option for option in ("role", "content") if self.params.get(option) is None]
            if missing:
                raise validate.InvalidInput("%s %s required without message_id (the message is found in its thread "
                                            "by role and content)" % (" and ".join(missing),
                                                                      "is" if len(missing) == 1 else "are"))
        if self.params.get("content") is not None:
            check_content("content", self.params["content"])
        check_attachments("attachments", self.params.get("attachments"))

    def find(self):
        role, content = self.params["role"], self.params["content"]
        attachments = self.params.get("attachments")
        found = [message for message in self.client.list(self.collection_path(), {"order": "asc"})
                 if message_matches(message, role, content, attachments)]
        if len(found) > 1:
            raise validate.InvalidInput("%d messages of thread %s have this role and content (%s); set message_id "
                                        "to choose one" % (len(found), self.params["thread_id"],
                                                           ", ".join(message["id"] for message in found)))
        return found[0] if found else None

    def recover_create(self, body):
        return self.find()

    def matches(self, obj, field, value):
        if field == "content":
            return message_matches(obj, obj.get("role"), value)
        if field == "attachments":
            return message_matches(obj, obj.get("role"), obj.get("content"), value)
        return obj.get(field) == value

    def would_be(self, body):
        return dict(body, id=None, object="thread.message", thread_id=self.params["thread_id"], status="completed",
                    content=normalized_content(body["content"]), metadata=body.get("metadata") or {})


class ThreadMessageInfo(Info):
    plural = "messages"
    id_option = "message_id"
    id_prefix = "msg"
    beta = ASSISTANTS_BETA
    retired = True

    def collection_path(self):
        return "/threads/%s/messages" % self.params["thread_id"]

    def validate(self):
        validate.object_id("thread_id", self.params["thread_id"], "thread")
        validate.object_id("run_id", self.params.get("run_id"), "run")
        super().validate()

    def list_query(self):
        query = super().list_query()
        if self.params.get("run_id"):
            query["run_id"] = self.params["run_id"]
        return query
