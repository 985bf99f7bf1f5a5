"""Threads: create (``messages``, ``tool_resources``, ``metadata``), get, modify, delete.

Threads cannot be listed (the API has no such endpoint). The server fills ``metadata: {}`` and
``tool_resources: {}``; as the real API answers, ``tool_resources`` is what was sent (``{}`` when nothing
was) in the answers to create and modify, but always has ``code_interpreter: {file_ids: []}`` in the
answer to ``GET`` and in the ``thread.created`` stream event (``read_view``). Deleting a thread deletes
its messages, runs and run steps.
"""

from . import errors, messages, validation as v
from .router import Response
from .store import public

BETA = "assistants=v2"


def get_thread(store, thread_id):
    thread = store.get("threads", thread_id)
    if thread is None:
        raise errors.not_found("thread", thread_id, "thread_id")
    return thread


def read_view(thread):
    """The thread as GET and the ``thread.created`` event show it: ``code_interpreter`` always in tool_resources."""
    shown = public(thread)
    shown["tool_resources"] = dict({"code_interpreter": {"file_ids": []}}, **(shown["tool_resources"] or {}))
    return shown


def validate_create(body, prefix=""):
    """Check a CreateThreadRequest; returns ``(thread fields, [message fields])``."""
    v.only(body, ("messages", "tool_resources", "metadata"), prefix)
    items = v.array(body, "messages", prefix=prefix) or []
    message_fields = [messages.validate_create(m, "%smessages[%d]." % (prefix, i)) for i, m in enumerate(items)]
    fields = {"tool_resources": v.tool_resources(body, prefix=prefix, allow_vector_stores=True) or {},
              "metadata": v.metadata(body, prefix=prefix) or {}}
    return fields, message_fields


def add_thread(store, fields, message_fields, now):
    thread = {"id": store.create_id("thread"), "object": "thread", "created_at": int(now),
              "metadata": fields["metadata"], "tool_resources": fields["tool_resources"]}
    store.put("threads", thread)
    store.table("messages", thread["id"])
    for fields_ in message_fields:
        messages.add_message(store, thread["id"], fields_, now)
    return thread


def create(app, req):
    fields, message_fields = validate_create(v.body_object(req.body))
    return Response(public(add_thread(app.store, fields, message_fields, req.now)))


def retrieve(app, req):
    return Response(read_view(get_thread(app.store, req.params["thread_id"])))


def modify(app, req):
    thread = get_thread(app.store, req.params["thread_id"])
    body = v.body_object(req.body, required=True)
    v.only(body, ("metadata", "tool_resources"))
    if "metadata" in body:
        metadata = v.metadata(body)
        thread["metadata"] = metadata or {}
    if "tool_resources" in body:
        thread["tool_resources"] = v.tool_resources(body) or {}
    app.store.touch()
    return Response(public(thread))


def delete(app, req):
    thread_id = req.params["thread_id"]
    get_thread(app.store, thread_id)
    store = app.store
    store.delete("threads", thread_id)
    store.drop_children("messages", thread_id)
    for run_id in list(store.table("runs", thread_id)):
        store.drop_children("steps", run_id)
    store.drop_children("runs", thread_id)
    return Response({"id": thread_id, "object": "thread.deleted", "deleted": True})


def register(router):
    router.add("POST", "/v1/threads", create, BETA)
    router.add("GET", "/v1/threads/{thread_id}", retrieve, BETA)
    router.add("POST", "/v1/threads/{thread_id}", modify, BETA)
    router.add("DELETE", "/v1/threads/{thread_id}", delete, BETA)
