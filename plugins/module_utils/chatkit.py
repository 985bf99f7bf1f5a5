# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ChatKit: sessions (minted, cancelled, never read back) and threads (made by ChatKit itself)."""

from __future__ import annotations

import re
import time

from . import endpoints, validate
from .info import Info
from .limits import (CHATKIT_EXPIRY_ANCHORS, CHATKIT_EXPIRY_SECONDS_RANGE, CHATKIT_FILE_SIZE_MB_RANGE,
                     CHATKIT_MAX_FILES_MIN, CHATKIT_RATE_LIMIT_MIN, CHATKIT_RECENT_THREADS_MIN,
                     CHATKIT_STATE_VARIABLES_MAX)
from .plan import NEW, Plan, Record, Resend, Send
from .planner import Fields, ObjectPlanner, wanted as common_wanted
from .runner import Family, Held
from .unlistable import claim_name

SESSION = endpoints.CHATKIT_SESSION
SESSION_RENEW_BEFORE = 60  # seconds: a named session that expires sooner is minted again
THREAD = endpoints.CHATKIT_THREAD
THREAD_ITEMS = endpoints.CHATKIT_THREAD_ITEM


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
            anchor=dict(type="str", default=CHATKIT_EXPIRY_ANCHORS[0], choices=list(CHATKIT_EXPIRY_ANCHORS)),
            seconds=dict(type="int", required=True),
        )),
        rate_limits=dict(type="dict", options=dict(max_requests_per_1_minute=dict(type="int"))),
    )


SESSION_FIELDS = Fields(session_spec())


def session_wanted(params):
    wish = common_wanted(SESSION, SESSION_FIELDS, params)
    if params["state"] == "present":
        if params.get("session_id"):
            raise validate.InvalidInput("session_id is only used with state=absent: ChatKit sessions cannot be "
                                        "read, so state=present always mints a new session")
        for option in ("user", "workflow"):
            if not params.get(option):
                raise validate.InvalidInput("%s is required to create a ChatKit session" % option)
    workflow = params.get("workflow") or {}
    variables = workflow.get("state_variables") or {}
    if len(variables) > CHATKIT_STATE_VARIABLES_MAX:
        raise validate.InvalidInput("workflow.state_variables has %d keys; at most %d are allowed"
                                    % (len(variables), CHATKIT_STATE_VARIABLES_MAX))
    for key, value in variables.items():
        if isinstance(value, (dict, list)) or value is None:
            raise validate.InvalidInput("workflow.state_variables.%s must be a string, number or boolean" % key)
    expires = params.get("expires_after") or {}
    validate.number_range("expires_after.seconds", expires.get("seconds"), *CHATKIT_EXPIRY_SECONDS_RANGE)
    rate_limits = params.get("rate_limits") or {}
    validate.number_range("rate_limits.max_requests_per_1_minute", rate_limits.get("max_requests_per_1_minute"),
                          CHATKIT_RATE_LIMIT_MIN)
    configuration = params.get("chatkit_configuration") or {}
    upload = configuration.get("file_upload") or {}
    validate.number_range("chatkit_configuration.file_upload.max_file_size", upload.get("max_file_size"),
                          *CHATKIT_FILE_SIZE_MB_RANGE)
    validate.number_range("chatkit_configuration.file_upload.max_files", upload.get("max_files"),
                          CHATKIT_MAX_FILES_MIN)
    history = configuration.get("history") or {}
    validate.number_range("chatkit_configuration.history.recent_threads", history.get("recent_threads"),
                          CHATKIT_RECENT_THREADS_MIN)
    return wish


def read_session(reader, wish):
    """Sessions cannot be read. present mints, unless the session recorded for the task's name is still valid;
    absent cancels the session given by id, or the one recorded for the name."""
    params = wish.params
    recorded = reader.names.record(SESSION.key, params["name"]) if params.get("name") else None
    if wish.state == "present":
        if recorded and (recorded.get("expires_at") or 0) - SESSION_RENEW_BEFORE > time.time():
            return Held({"id": recorded["id"], "object": "chatkit.session", "expires_at": recorded["expires_at"],
                         "status": "active"}, recorded=recorded["id"])
        return Held(None, recorded=(recorded or {}).get("id"))
    session_id = params.get("session_id") or (recorded or {}).get("id")
    return Held({"id": session_id} if session_id else None, recorded=(recorded or {}).get("id"))


class ChatKitSessionPlanner(ObjectPlanner):
    """present mints a new session (sessions are short-lived credentials that cannot be read back), unless the task
    names one that is still valid; the name keeps the session's id and expiry, never its secret."""

    endpoint = SESSION
    fields = SESSION_FIELDS
    secret_fields = ("client_secret",)

    def create_operations(self, body):
        lost = Resend("a session whose client secret nobody received, so that nobody can use it; it expires by "
                      "itself")
        unknown = ("workflow.id %r names no workflow of this project: check the ID of the published workflow (Agent "
                   "Builder), and the project the API key belongs to" % (body.get("workflow") or {}).get("id"))
        operations = [Send("POST", self.endpoint.collection_path(self.params), body, once=True, recover=lost,
                           binds_new=True, explain={404: unknown})]
        if self.params.get("name"):
            operations.append(Record(self.endpoint.key, self.params["name"], NEW, fields=("expires_at",)))
        return operations, None

    def plan_absent(self, held):
        if held.obj is None:
            return self.make_plan(False, None)
        # The API answers a cancel with the whole session, secret included: that secret belongs in the result of
        # the task that minted the session, and nowhere else. A 404: no such session, nothing to cancel.
        operations = [Send("POST", self.endpoint.action_path(self.params, held.obj["id"], "cancel"),
                           missing="unchanged")]
        if self.params.get("name") and held.recorded == held.obj["id"]:
            operations.append(Record(self.endpoint.key, self.params["name"]))
        return self.make_plan(True, held.obj, operations, before={"status": "unknown"}, after_fields=("status",),
                              after_base={"status": "cancelled"}, assemble=self.without_secrets)

    def without_secrets(self, obj, _items):
        return dict((key, value) for key, value in obj.items() if key not in self.secret_fields)

    def would_be(self, body):
        return dict(body, id=None, object="chatkit.session", status="active", client_secret=None)


SESSION_FAMILY = Family(SESSION, session_wanted, read_session, ChatKitSessionPlanner, claim=claim_name)


AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def age_seconds(option, value):
    """"30d", "12h", "90m", "45s", "2w", or a number of seconds: the age in seconds (InvalidInput otherwise)."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw]?)\s*", str(value))
    if not match or int(match.group(1)) <= 0:
        raise validate.InvalidInput("%s must be a positive age such as 30d, 12h, 90m, 45s or 2w (or seconds), got %r"
                                    % (option, value))
    return int(match.group(1)) * AGE_UNITS[match.group(2) or "s"]


def thread_wanted(params):
    wish = common_wanted(THREAD, None, params, older_than=age_seconds("older_than", params.get("older_than")))
    if params.get("user") and params["state"] != "absent":
        raise validate.InvalidInput("user selects the threads to delete: it is only used with state=absent")
    if wish.older_than and not params.get("user"):
        raise validate.InvalidInput("older_than is only used with user (the threads of a user that are older)")
    return wish


def read_thread(reader, wish):
    params = wish.params
    if params.get("user"):  # every thread of the user (older than older_than): a retention purge
        threads = reader.list(THREAD.collection_path(params), {"user": params["user"], "order": "asc"})
        if wish.older_than:
            cutoff = time.time() - wish.older_than
            threads = [thread for thread in threads if (thread.get("created_at") or 0) < cutoff]
        return Held(None, threads)
    obj = reader.get(THREAD.object_path(params, params["thread_id"]))
    if obj is None and wish.state == "present":
        raise validate.InvalidInput("ChatKit thread %s was not found (ChatKit creates threads itself; this module "
                                    "can only check that one exists, or delete it)" % params["thread_id"])
    return Held(obj)


class ChatKitThreadPlanner(ObjectPlanner):
    endpoint = THREAD
    fields = Fields({})

    def plan_absent(self, held):
        if not self.params.get("user"):
            return super().plan_absent(held)
        threads = held.children
        deletes = [Send("DELETE", self.endpoint.object_path(self.params, thread["id"]), keep=None, missing="ignore")
                   for thread in threads]
        return Plan("threads", bool(threads), threads, deletes, before={"threads": [t["id"] for t in threads]},
                    after_of=lambda _threads: {"threads": []}, extra={"deleted": len(threads)},
                    concurrency=self.params.get("concurrency") or 1)


THREAD_FAMILY = Family(THREAD, thread_wanted, read_thread, ChatKitThreadPlanner)


class ChatKitThreadInfo(Info):
    endpoint = THREAD
    query_options = ("user",)

    def run_query(self):
        found = super().run_query()
        if self.params.get("include_items"):
            for thread in found:
                thread["thread_items"] = list(self.client.list(THREAD_ITEMS.collection_path({"thread_id": thread["id"]}),
                                                               {"order": "asc"}))
        return found
