# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ChatKit: sessions (minted, cancelled, never read back) and threads (made by ChatKit itself)."""

from __future__ import annotations

from . import validate
from .client import CHATKIT_BETA
from .errors import OpenAIError
from .info import Info
from .resource import Resource
from .unlistable import resend_when_answer_lost

MAX_STATE_VARIABLES = 64
MAX_EXPIRY_SECONDS = 600
MAX_FILE_SIZE_MB = 512


def session_spec():
    return dict(
        user=dict(type="str"),
        workflow=dict(type="dict", options=dict(
            id=dict(type="str", required=True),
            version=dict(type="str"),
            state_variables=dict(type="dict"),
            tracing=dict(type="dict", options=dict(enabled=dict(type="bool"))),
        )),
        chatkit_configuration=dict(type="dict", options=dict(
            automatic_thread_titling=dict(type="dict", options=dict(enabled=dict(type="bool"))),
            file_upload=dict(type="dict", options=dict(
                enabled=dict(type="bool"),
                max_file_size=dict(type="int"),
                max_files=dict(type="int"),
            )),
            history=dict(type="dict", options=dict(
                enabled=dict(type="bool"),
                recent_threads=dict(type="int"),
            )),
        )),
        expires_after=dict(type="dict", options=dict(
            anchor=dict(type="str", default="created_at", choices=["created_at"]),
            seconds=dict(type="int", required=True),
        )),
        rate_limits=dict(type="dict", options=dict(max_requests_per_1_minute=dict(type="int"))),
    )


class ChatKitSession(Resource):
    """present always mints a new session: sessions are short-lived credentials that cannot be read back."""

    name = "session"
    id_option = "session_id"
    id_prefix = "cksess"
    beta = CHATKIT_BETA
    fields = ("user", "workflow", "chatkit_configuration", "expires_after", "rate_limits")
    secret_fields = ("client_secret",)

    def collection_path(self):
        return "/chatkit/sessions"

    def validate(self):
        super().validate()
        params = self.params
        if params["state"] == "present":
            if params.get("session_id"):
                raise validate.InvalidInput("session_id is only used with state=absent: ChatKit sessions cannot be "
                                            "read, so state=present always mints a new session")
            for option in ("user", "workflow"):
                if not params.get(option):
                    raise validate.InvalidInput("%s is required to create a ChatKit session" % option)
        workflow = params.get("workflow") or {}
        variables = workflow.get("state_variables") or {}
        if len(variables) > MAX_STATE_VARIABLES:
            raise validate.InvalidInput("workflow.state_variables has %d keys; at most %d are allowed"
                                        % (len(variables), MAX_STATE_VARIABLES))
        for key, value in variables.items():
            if isinstance(value, (dict, list)) or value is None:
                raise validate.InvalidInput("workflow.state_variables.%s must be a string, number or boolean" % key)
        expires = params.get("expires_after") or {}
        validate.number_range("expires_after.seconds", expires.get("seconds"), 1, MAX_EXPIRY_SECONDS)
        limits = params.get("rate_limits") or {}
        validate.number_range("rate_limits.max_requests_per_1_minute", limits.get("max_requests_per_1_minute"),
                              1, float("inf"))
        configuration = params.get("chatkit_configuration") or {}
        upload = configuration.get("file_upload") or {}
        validate.number_range("chatkit_configuration.file_upload.max_file_size", upload.get("max_file_size"),
                              1, MAX_FILE_SIZE_MB)
        validate.number_range("chatkit_configuration.file_upload.max_files", upload.get("max_files"), 1, float("inf"))
        history = configuration.get("history") or {}
        validate.number_range("chatkit_configuration.history.recent_threads", history.get("recent_threads"),
                              1, float("inf"))

    def read(self):
        if self.params["state"] == "present":
            return None
        return {"id": self.params["session_id"]}

    def create(self, body):
        lost = resend_when_answer_lost(self.client, self.collection_path(), "a session whose client secret nobody "
                                       "received, so that nobody can use it; it expires by itself")
        return self.client.post_once(self.collection_path(), body, recover=lost)

    def delete(self, obj):
        """Cancel; the API answers with the session, now cancelled."""
        try:
            return self.client.post("%s/cancel" % self.object_path(obj["id"]))
        except OpenAIError as error:
            if error.status == 404:
                return None
            raise

    def ensure_absent(self, current):
        if self.check_mode:
            return self.result(True, current, {"status": "unknown"}, {"status": "cancelled"})
        cancelled = self.delete(current)
        if cancelled is None:
            return self.result(False, None, {}, {})
        # The API answers a cancel with the whole session, secret included: that secret belongs in the result of
        # the task that minted the session, and nowhere else.
        cancelled = dict((key, value) for key, value in cancelled.items() if key not in self.secret_fields)
        return self.result(True, cancelled, {"status": "unknown"}, {"status": cancelled.get("status")})

    def would_be(self, body):
        return dict(body, id=None, object="chatkit.session", status="active", client_secret=None)


class ChatKitThread(Resource):
    name = "thread"
    id_option = "thread_id"
    id_prefix = "cthr"
    beta = CHATKIT_BETA

    def collection_path(self):
        return "/chatkit/threads"

    def read(self):
        obj = self.get(self.params["thread_id"])
        if obj is None and self.params["state"] == "present":
            raise validate.InvalidInput("ChatKit thread %s was not found (ChatKit creates threads itself; this module "
                                        "can only check that one exists, or delete it)" % self.params["thread_id"])
        return obj


class ChatKitThreadInfo(Info):
    plural = "threads"
    id_option = "thread_id"
    id_prefix = "cthr"
    beta = CHATKIT_BETA

    def collection_path(self):
        return "/chatkit/threads"

    def list_query(self):
        query = super().list_query()
        if self.params.get("user"):
            query["user"] = self.params["user"]
        return query

    def run_query(self):
        found = super().run_query()
        if self.params.get("include_items"):
            for thread in found:
                thread["thread_items"] = list(self.client.list("%s/items" % self.object_path(thread["id"]),
                                                               {"order": "asc"}))
        return found
