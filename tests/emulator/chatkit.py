"""ChatKit sessions and threads (``OpenAI-Beta: chatkit_beta=v1``).

Sessions: ``POST /v1/chatkit/sessions`` (``workflow.id`` and ``user`` required) returns an active
session with a ``client_secret`` (``ek_...``) that expires after ``expires_after.seconds`` (default
600); ``POST /v1/chatkit/sessions/{id}/cancel`` sets ``status: cancelled`` (cancelling twice is
harmless and returns the same object). A session past ``expires_at`` reports ``expired``. The API
has no way to read or list sessions, so neither has the emulator. Creating a session does NOT create
any thread.

Threads: the real API creates them only when an end user chats in a ChatKit UI, so the emulator
has an admin endpoint to seed them: ``POST /__emulator/chatkit/threads`` with
``{"user": "user_1", "title": "Demo", "status": "active", "items": [{"role": "user", "text": "hi"},
{"role": "assistant", "text": "hello"}]}``; items may also be ThreadItem objects of any type of the
spec's union (``chatkit.user_message``, ``chatkit.assistant_message``, ``chatkit.widget``,
``chatkit.client_tool_call``, ``chatkit.task``, ``chatkit.task_group``), checked against the vendored
spec, the server's fields filled (``_seed_item``). Then: list (``user`` filter, cursors
``after``/``before``, limit 0..100), get, delete, and list items.

A session for a workflow that does not exist is a 404 ``Workflow with id 'wf_...' not found.``; which
workflow ids exist is set with ``--chatkit-workflows`` or ``POST /__emulator/chatkit/workflows`` (default:
any id exists).
"""

from . import errors, validation as v
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .spec_schemas import FILLER, VALIDATOR, ref
from .store import public

BETA = "chatkit_beta=v1"
DEFAULT_EXPIRES_SECONDS = 600
DEFAULT_RATE_LIMIT = 10


# ---- sessions ------------------------------------------------------------------------------------
def _session_config(body):
    config = v.obj(body, "chatkit_configuration") or {}
    v.only(config, ("automatic_thread_titling", "file_upload", "history"), "chatkit_configuration.")
    p = "chatkit_configuration."
    titling = v.obj(config, "automatic_thread_titling", p) or {}
    v.only(titling, ("enabled",), p + "automatic_thread_titling.")
    upload = v.obj(config, "file_upload", p) or {}
    v.only(upload, ("enabled", "max_file_size", "max_files"), p + "file_upload.")
    history = v.obj(config, "history", p) or {}
    v.only(history, ("enabled", "recent_threads"), p + "history.")
    enabled = v.boolean(titling, "enabled", p + "automatic_thread_titling.")
    upload_enabled = v.boolean(upload, "enabled", p + "file_upload.")
    max_size = v.integer(upload, "max_file_size", 1, 512, p + "file_upload.")
    max_files = v.integer(upload, "max_files", 1, None, p + "file_upload.")
    history_enabled = v.boolean(history, "enabled", p + "history.")
    recent = v.integer(history, "recent_threads", 1, None, p + "history.")
    return {
        "automatic_thread_titling": {"enabled": True if enabled is None else enabled},
        "file_upload": {
            "enabled": bool(upload_enabled),
            "max_file_size": 512 if max_size is None else max_size,
            "max_files": 10 if max_files is None else max_files,
        },
        "history": {"enabled": True if history_enabled is None else history_enabled, "recent_threads": recent},
    }


def _workflow(body):
    workflow = v.obj(body, "workflow")
    if workflow is None:
        raise errors.missing("workflow")
    v.only(workflow, ("id", "version", "state_variables", "tracing"), "workflow.")
    workflow_id = v.string(workflow, "id", prefix="workflow.")
    if not workflow_id:
        raise errors.missing("workflow.id")
    version = v.string(workflow, "version", prefix="workflow.")
    variables = v.obj(workflow, "state_variables", "workflow.")
    if variables is not None:
        if len(variables) > 64:
            raise errors.too_many_properties("workflow.state_variables", 64, len(variables))
        for key, value in variables.items():
            if not isinstance(value, (str, bool, int, float)):
                raise errors.invalid_type("workflow.state_variables." + key, "a string, boolean or number", value)
    tracing = v.obj(workflow, "tracing", "workflow.") or {}
    v.only(tracing, ("enabled",), "workflow.tracing.")
    tracing_enabled = v.boolean(tracing, "enabled", "workflow.tracing.")
    return {"id": workflow_id, "version": version, "state_variables": variables,
            "tracing": {"enabled": True if tracing_enabled is None else tracing_enabled}}


def _refresh_session(session, now):
    if session["status"] == "active" and now >= session["expires_at"]:
        session["status"] = "expired"
    return session


def create_session(app, req):
    body = v.body_object(req.body, required=True)
    v.only(body, ("workflow", "user", "expires_after", "rate_limits", "chatkit_configuration"))
    workflow = _workflow(body)
    if app.chatkit_workflows is not None and workflow["id"] not in app.chatkit_workflows:
        # as the real API answers (param and code null); which ids exist: --chatkit-workflows, the admin API
        raise errors.APIError(404, "Workflow with id '%s' not found." % workflow["id"])
    user = v.string(body, "user", min_len=1)
    if user is None:
        raise errors.missing("user")
    expires = v.obj(body, "expires_after") or {}
    v.only(expires, ("anchor", "seconds"), "expires_after.")
    if expires:
        v.enum(expires, "anchor", ("created_at",), "expires_after.")
        if "seconds" not in expires:
            raise errors.missing("expires_after.seconds")
    seconds = v.integer(expires, "seconds", 1, 600, "expires_after.") or DEFAULT_EXPIRES_SECONDS
    limits = v.obj(body, "rate_limits") or {}
    v.only(limits, ("max_requests_per_1_minute",), "rate_limits.")
    per_minute = v.integer(limits, "max_requests_per_1_minute", 1, None, "rate_limits.") or DEFAULT_RATE_LIMIT
    config = _session_config(body)
    store = app.store
    session = {
        "id": store.create_id("cksess"),
        "object": "chatkit.session",
        "expires_at": int(req.now) + seconds,
        "client_secret": store.create_id("ek"),
        "workflow": workflow,
        "user": user,
        "rate_limits": {"max_requests_per_1_minute": per_minute},
        "max_requests_per_1_minute": per_minute,
        "status": "active",
        "chatkit_configuration": config,
    }
    store.put("chatkit_sessions", session)
    return Response(public(session))


def cancel_session(app, req):
    session_id = req.params["session_id"]
    session = app.store.get("chatkit_sessions", session_id)
    if session is None:
        raise errors.not_found("session", session_id, "session_id")
    _refresh_session(session, req.now)
    if session["status"] == "active":
        session["status"] = "cancelled"
        app.store.touch()
    return Response(public(session))


# ---- threads -------------------------------------------------------------------------------------
THREAD_ITEM = ref("ThreadItem")
ITEM_TYPES = sorted(VALIDATOR.type_values(THREAD_ITEM))  # chatkit.user_message, chatkit.widget, chatkit.task...


def _overlay(filled, given):
    """``filled`` with every value of ``given`` put back (deeply): what was sent, plus what the server fills."""
    if isinstance(filled, dict) and isinstance(given, dict):
        return dict(filled, **{key: _overlay(filled.get(key), value) for key, value in given.items()})
    if isinstance(filled, list) and isinstance(given, list) and len(filled) == len(given):
        return [_overlay(f, g) for f, g in zip(filled, given)]
    return given


def _seed_item(store, thread_id, item, index, now):
    """A ThreadItem of any type of the spec's union, from a full object or the ``{role, text}`` shorthand.

    The server's fields (``id``, ``object``, ``created_at``, ``thread_id``) are filled, and so is what the
    spec's shape requires and the seed left out (``attachments: []``, ``inference_options: null``, a
    tool call's ``status: completed`` and ``output: null``, a task's ``heading``/``summary: null``...).
    Anything else that does not fit the shape is a 400 naming ``items[i]...``.
    """
    param = "items[%d]" % index
    if not isinstance(item, dict):
        raise errors.invalid_type(param, "an object", item)
    if "type" not in item:
        v.only(item, ("role", "text", "created_at"), param + ".")
        role = item.get("role")
        if role not in ("user", "assistant"):
            raise errors.invalid_value(param + ".role", role, ["user", "assistant"])
        text = v.string(item, "text", prefix=param + ".") or ""
        item = ({"type": "chatkit.user_message", "content": [{"type": "input_text", "text": text}]} if role == "user"
                else {"type": "chatkit.assistant_message",
                      "content": [{"type": "output_text", "text": text, "annotations": []}]})
    given = dict(item, object="chatkit.thread_item", thread_id=thread_id, id="",
                 created_at=int(item.get("created_at") or now))
    try:
        filled = FILLER.complete(given, THREAD_ITEM)
    except LookupError:  # a field no default exists for: the check names it
        VALIDATOR.check(given, THREAD_ITEM, param)
        raise
    result = _overlay(filled, given)
    VALIDATOR.check(result, THREAD_ITEM, param)
    result["id"] = store.create_id("cthi")
    return result


def _status(value):
    if value is None:
        return {"type": "active"}
    if isinstance(value, str):
        value = {"type": value}
    if not isinstance(value, dict) or value.get("type") not in ("active", "locked", "closed"):
        raise errors.invalid_value("status", value, ["active", "locked", "closed"])
    if value["type"] == "active":
        return {"type": "active"}
    return {"type": value["type"], "reason": value.get("reason")}


def seed_thread(store, body, now):
    """Create a ChatKit thread (admin endpoint); returns the ThreadResource."""
    v.only(body, ("user", "title", "items", "status", "created_at"))
    user = v.string(body, "user", min_len=1)
    if user is None:
        raise errors.missing("user")
    title = v.string(body, "title")
    status = _status(body.get("status"))
    items = v.array(body, "items") or []
    thread = {"id": store.create_id("cthr"), "object": "chatkit.thread",
              "created_at": int(body.get("created_at") or now), "title": title, "status": status, "user": user}
    built = [_seed_item(store, thread["id"], item, i, now) for i, item in enumerate(items)]
    store.put("chatkit_threads", thread)
    store.table("chatkit_items", thread["id"])
    for item in built:
        store.put("chatkit_items", item, thread["id"])
    return public(thread)


def _get_thread(store, thread_id):
    thread = store.get("chatkit_threads", thread_id)
    if thread is None:
        raise errors.not_found("thread", thread_id, "thread_id")
    return thread


def _chatkit_list_params(req, store):
    return parse_list_params(req.qdict("limit", "order", "after", "before"), store, min_limit=0)


def list_threads(app, req):
    params = _chatkit_list_params(req, app.store)
    user = req.q("user")
    threads = app.store.ordered("chatkit_threads")
    if user:
        threads = [t for t in threads if t["user"] == user]
    page, has_more = paginate(threads, params, app.store.seq)
    return Response(list_object([public(t) for t in page], has_more))


def retrieve_thread(app, req):
    return Response(public(_get_thread(app.store, req.params["thread_id"])))


def delete_thread(app, req):
    thread_id = req.params["thread_id"]
    _get_thread(app.store, thread_id)
    app.store.delete("chatkit_threads", thread_id)
    app.store.drop_children("chatkit_items", thread_id)
    return Response({"id": thread_id, "object": "chatkit.thread.deleted", "deleted": True})


def list_items(app, req):
    thread_id = req.params["thread_id"]
    _get_thread(app.store, thread_id)
    params = _chatkit_list_params(req, app.store)
    page, has_more = paginate(app.store.ordered("chatkit_items", thread_id), params, app.store.seq)
    return Response(list_object([public(i) for i in page], has_more))


def register(router):
    router.add("POST", "/v1/chatkit/sessions", create_session, BETA)
    router.add("POST", "/v1/chatkit/sessions/{session_id}/cancel", cancel_session, BETA)
    router.add("GET", "/v1/chatkit/threads", list_threads, BETA)
    router.add("GET", "/v1/chatkit/threads/{thread_id}", retrieve_thread, BETA)
    router.add("DELETE", "/v1/chatkit/threads/{thread_id}", delete_thread, BETA)
    router.add("GET", "/v1/chatkit/threads/{thread_id}/items", list_items, BETA)
