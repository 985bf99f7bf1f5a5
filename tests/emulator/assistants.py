"""Assistants: create, get, modify, delete, list (``OpenAI-Beta: assistants=v2``).

The server fills the defaults the real API returns: ``metadata: {}``, ``tools: []``,
``tool_resources: {}``, ``temperature: 1.0``, ``top_p: 1.0``, ``response_format: "auto"``,
``reasoning_effort: null``, and ``null`` for ``name``/``description``/``instructions``.
A modify changes only the fields it sends; ``metadata`` sent on a modify replaces the whole map,
and ``null`` resets a field to its default.
"""

from . import errors, validation as v
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public

BETA = "assistants=v2"
FIELDS = ("model", "name", "description", "instructions", "reasoning_effort", "tools", "tool_resources",
          "metadata", "temperature", "top_p", "response_format")
DEFAULTS = {"name": None, "description": None, "instructions": None, "tools": [], "tool_resources": {},
            "metadata": {}, "temperature": 1.0, "top_p": 1.0, "response_format": "auto",
            "reasoning_effort": None}


def _validated(body, creating):
    v.only(body, FIELDS)
    out = {}
    if creating or "model" in body:
        model = v.require(body, "model") if creating else body.get("model")
        if not isinstance(model, str) or not model:
            raise errors.invalid_type("model", "a string", model)
        out["model"] = model
    checks = {
        "name": lambda: v.string(body, "name", 256),
        "description": lambda: v.string(body, "description", 512),
        "instructions": lambda: v.string(body, "instructions", 256000),
        "reasoning_effort": lambda: v.reasoning_effort(body),
        "tools": lambda: v.tools(body, max_items=128),
        "tool_resources": lambda: v.tool_resources(body, allow_vector_stores=creating),
        "metadata": lambda: v.metadata(body),
        "temperature": lambda: v.number(body, "temperature", 0, 2),
        "top_p": lambda: v.number(body, "top_p", 0, 1),
        "response_format": lambda: v.response_format(body),
    }
    for key, check in checks.items():
        if key in body:
            value = check()
            out[key] = DEFAULTS[key] if value is None else value
    return out


def get_assistant(store, assistant_id, param=None):
    assistant = store.get("assistants", assistant_id)
    if assistant is None:
        raise errors.not_found("assistant", assistant_id, param)
    return assistant


def create(app, req):
    body = v.body_object(req.body, required=True)
    fields = _validated(body, creating=True)
    store = app.store
    assistant = {
        "id": store.create_id("asst"),
        "object": "assistant",
        "created_at": int(req.now),
        "name": None,
        "description": None,
        "model": fields["model"],
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "tool_resources": {},
        "metadata": {},
        "response_format": "auto",
    }
    assistant.update(fields)
    store.put("assistants", assistant)
    return Response(public(assistant))


def retrieve(app, req):
    return Response(public(get_assistant(app.store, req.params["assistant_id"])))


def modify(app, req):
    assistant = get_assistant(app.store, req.params["assistant_id"])
    body = v.body_object(req.body, required=True)
    fields = _validated(body, creating=False)
    assistant.update(fields)
    app.store.touch()
    return Response(public(assistant))


def delete(app, req):
    assistant_id = req.params["assistant_id"]
    get_assistant(app.store, assistant_id)
    app.store.delete("assistants", assistant_id)
    return Response({"id": assistant_id, "object": "assistant.deleted", "deleted": True})


def list_(app, req):
    params = parse_list_params(req.qdict("limit", "order", "after", "before"), app.store)
    page, has_more = paginate(app.store.ordered("assistants"), params, app.store.seq)
    return Response(list_object([public(a) for a in page], has_more))


def register(router):
    router.add("POST", "/v1/assistants", create, BETA)
    router.add("GET", "/v1/assistants", list_, BETA)
    router.add("GET", "/v1/assistants/{assistant_id}", retrieve, BETA)
    router.add("POST", "/v1/assistants/{assistant_id}", modify, BETA)
    router.add("DELETE", "/v1/assistants/{assistant_id}", delete, BETA)
