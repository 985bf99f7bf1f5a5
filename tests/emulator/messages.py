"""Thread messages: create, list (``run_id`` filter), get, modify (metadata), delete.

A string ``content`` becomes ``[{"type": "text", "text": {"value": ..., "annotations": []}}]``;
request parts ``{"type": "text", "text": "..."}`` are converted the same way, image parts get
``detail: "auto"``. Messages cannot be added while a run of the thread is active (400, as in the
real API).

The REST answers (create, get, list, modify) have no ``status``, ``incomplete_details``,
``completed_at`` or ``incomplete_at``, as the real API's do (``rest_view``); the emulator keeps them, and
the ``thread.message.*`` stream events show them.
"""

from . import clock, errors, threads, validation as v
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public

BETA = "assistants=v2"
ATTACHMENT_TOOLS = ("code_interpreter", "file_search")


def _part(part, param):
    if not isinstance(part, dict):
        raise errors.invalid_type(param, "an object", part)
    kind = v.require(part, "type", param + ".")
    if kind == "text":
        v.only(part, ("type", "text"), param + ".")
        text = v.string(part, "text", prefix=param + ".")
        if text is None:
            raise errors.missing(param + ".text")
        return {"type": "text", "text": {"value": text, "annotations": []}}
    if kind in ("image_file", "image_url"):
        v.only(part, ("type", kind), param + ".")
        inner = v.obj(part, kind, param + ".")
        if inner is None:
            raise errors.missing(param + "." + kind)
        key = "file_id" if kind == "image_file" else "url"
        v.only(inner, (key, "detail"), "%s.%s." % (param, kind))
        if v.string(inner, key, prefix="%s.%s." % (param, kind)) is None:
            raise errors.missing("%s.%s.%s" % (param, kind, key))
        detail = v.enum(inner, "detail", ("auto", "low", "high"), "%s.%s." % (param, kind)) or "auto"
        return {"type": kind, kind: {key: inner[key], "detail": detail}}
    raise errors.invalid_value(param + ".type", kind, ["text", "image_file", "image_url"])


def _attachments(body, prefix):
    attachments = v.array(body, "attachments", prefix=prefix)
    if attachments is None:
        return []
    result = []
    for index, attachment in enumerate(attachments):
        param = "%sattachments[%d]" % (prefix, index)
        if not isinstance(attachment, dict):
            raise errors.invalid_type(param, "an object", attachment)
        v.only(attachment, ("file_id", "tools"), param + ".")
        file_id = v.string(attachment, "file_id", prefix=param + ".")
        if file_id is None:
            raise errors.missing(param + ".file_id")
        tools = v.array(attachment, "tools", prefix=param + ".") or []
        clean = []
        for t_index, tool in enumerate(tools):
            t_param = "%s.tools[%d]" % (param, t_index)
            if not isinstance(tool, dict):
                raise errors.invalid_type(t_param, "an object", tool)
            kind = v.enum(tool, "type", ATTACHMENT_TOOLS, t_param + ".")
            if kind is None:
                raise errors.missing(t_param + ".type")
            clean.append({"type": kind})
        result.append({"file_id": file_id, "tools": clean})
    return result


def validate_create(body, prefix=""):
    """Check a CreateMessageRequest; returns the normalized fields (nothing is stored)."""
    if not isinstance(body, dict):
        raise errors.invalid_type(prefix.rstrip(".") or "body", "an object", body)
    v.only(body, ("role", "content", "attachments", "metadata"), prefix)
    role = v.require(body, "role", prefix)
    if role not in ("user", "assistant"):
        raise errors.invalid_value(prefix + "role", role, ["user", "assistant"])
    content = v.require(body, "content", prefix)
    if isinstance(content, str):
        parts = [{"type": "text", "text": {"value": content, "annotations": []}}]
    elif isinstance(content, list):
        if not content:
            raise errors.array_too_short(prefix + "content", 1, 0)
        parts = [_part(p, "%scontent[%d]" % (prefix, i)) for i, p in enumerate(content)]
    else:
        raise errors.invalid_type(prefix + "content", "a string or an array", content)
    return {"role": role, "content": parts, "attachments": _attachments(body, prefix),
            "metadata": v.metadata(body, prefix=prefix) or {}}


STREAM_ONLY = ("status", "incomplete_details", "completed_at", "incomplete_at")


def rest_view(message):
    """The message as the REST endpoints answer it: without the keys only stream events carry."""
    return {key: value for key, value in public(message).items() if key not in STREAM_ONLY}


def add_message(store, thread_id, fields, now, run_id=None, assistant_id=None, status="completed"):
    message = {
        "id": store.create_id("msg"),
        "object": "thread.message",
        "created_at": int(now),
        "assistant_id": assistant_id,
        "thread_id": thread_id,
        "run_id": run_id,
        "role": fields["role"],
        "content": fields["content"],
        "attachments": fields.get("attachments", []),
        "metadata": fields.get("metadata", {}),
        "status": status,
        "incomplete_details": None,
        "completed_at": int(now) if status == "completed" else None,
        "incomplete_at": None,
    }
    return store.put("messages", message, thread_id)


def _get_message(store, thread_id, message_id):
    message = store.get("messages", message_id, thread_id)
    if message is None:
        raise errors.not_found("message", message_id, "message_id")
    return message


def create(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    fields = validate_create(v.body_object(req.body, required=True))
    active = clock.active_run(app.store, thread_id)
    if active is not None:
        raise errors.invalid("Can't add messages to %s while a run %s is active." % (thread_id, active["id"]))
    return Response(rest_view(add_message(app.store, thread_id, fields, req.now)))


def list_(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    params = parse_list_params(req.qdict("limit", "order", "after", "before"), app.store)
    items = app.store.ordered("messages", thread_id)
    run_id = req.q("run_id")
    if run_id:
        items = [m for m in items if m["run_id"] == run_id]
    page, has_more = paginate(items, params, app.store.seq)
    return Response(list_object([rest_view(m) for m in page], has_more))


def retrieve(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    return Response(rest_view(_get_message(app.store, thread_id, req.params["message_id"])))


def modify(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    message = _get_message(app.store, thread_id, req.params["message_id"])
    body = v.body_object(req.body, required=True)
    v.only(body, ("metadata",))
    if "metadata" in body:
        message["metadata"] = v.metadata(body) or {}
        app.store.touch()
    return Response(rest_view(message))


def delete(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    message_id = req.params["message_id"]
    _get_message(app.store, thread_id, message_id)
    app.store.delete("messages", message_id, thread_id)
    return Response({"id": message_id, "object": "thread.message.deleted", "deleted": True})


def register(router):
    router.add("POST", "/v1/threads/{thread_id}/messages", create, BETA)
    router.add("GET", "/v1/threads/{thread_id}/messages", list_, BETA)
    router.add("GET", "/v1/threads/{thread_id}/messages/{message_id}", retrieve, BETA)
    router.add("POST", "/v1/threads/{thread_id}/messages/{message_id}", modify, BETA)
    router.add("DELETE", "/v1/threads/{thread_id}/messages/{message_id}", delete, BETA)
