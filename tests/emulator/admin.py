"""Admin endpoints under ``/__emulator`` (no auth, never counted, never faulted).

``GET  /__emulator/health``          ``{"status": "ok"}``
``GET  /__emulator/stats``           request counters (see stats.py)
``GET  /__emulator/state``           every stored object, by collection (also those the API cannot list)
``POST /__emulator/reset``           zero the counters; ``{"state": true}`` also deletes every object
``GET  /__emulator/faults``          the fault configuration
``POST /__emulator/faults``          ``{"rate": 0.2, "seed": 1, "kinds": [...], "count": N, "requests": [...]}`` (rate 0 disables)
``POST /__emulator/chatkit/threads`` seed a ChatKit thread: ``{"user", "title", "items", "status"}``
``POST /__emulator/clock``           ``{"advance_seconds": 600}`` moves the emulator's clock forward (expiry tests)
``GET  /__emulator/latency``         ``{"latency_ms": N}``
``POST /__emulator/latency``         ``{"latency_ms": 300}`` delays every /v1 request by that much (0: none)
``GET  /__emulator/chatkit/workflows`` ``{"workflows": [...] or null}`` (null: any workflow id exists)
``POST /__emulator/chatkit/workflows`` ``{"workflows": ["wf_1"]}`` the workflow ids that exist (null: any)
"""

from . import chatkit, errors
from .faults import FaultConfigError
from .router import Response


def check_latency_ms(value):
    """A latency in milliseconds: a non-negative integer (ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("latency must be a non-negative integer number of milliseconds, not %r" % (value,))
    return value


def _body(req):
    body = req.body
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise errors.invalid_type("body", "an object", body)
    return body


def health(app, req):
    return Response({"status": "ok"})


def stats(app, req):
    return Response(app.stats.snapshot())


def state(app, req):
    with app.store.lock:
        return Response(app.store.snapshot())


def reset(app, req):
    body = _body(req)
    app.stats.reset()
    if body.get("state"):
        with app.store.lock:
            app.store.clear()
            app.save()
    return Response({"reset": True, "state": bool(body.get("state"))})


def get_faults(app, req):
    return Response(app.faults.describe())


def set_faults(app, req):
    body = _body(req)
    try:
        config = app.faults.configure(
            rate=body.get("rate", 0.0), seed=body.get("seed", 0), kinds=body.get("kinds"),
            count=body.get("count"), retry_after_ms=body.get("retry_after_ms", 50),
            slow_ms=body.get("slow_ms", 300), requests=body.get("requests"),
        )
    except FaultConfigError as exc:
        raise errors.invalid(str(exc), "faults")
    return Response(config)


def clock(app, req):
    body = _body(req)
    advance = body.get("advance_seconds", 0)
    if isinstance(advance, bool) or not isinstance(advance, (int, float)) or advance < 0:
        raise errors.invalid("advance_seconds must be a non-negative number", "advance_seconds")
    with app.store.lock:
        app.store.clock_offset += float(advance)
        app.store.touch()
        app.save()
        return Response({"now": app.now(), "offset": app.store.clock_offset})


def get_latency(app, req):
    return Response({"latency_ms": app.latency_ms})


def set_latency(app, req):
    body = _body(req)
    try:
        app.latency_ms = check_latency_ms(body.get("latency_ms", 0))
    except ValueError as exc:
        raise errors.invalid(str(exc), "latency_ms")
    return get_latency(app, req)


def get_workflows(app, req):
    return Response({"workflows": app.chatkit_workflows})


def set_workflows(app, req):
    workflows = _body(req).get("workflows")
    if workflows is not None and not (isinstance(workflows, list) and all(isinstance(w, str) for w in workflows)):
        raise errors.invalid("workflows must be a list of workflow ids, or null for any", "workflows")
    app.chatkit_workflows = workflows
    return get_workflows(app, req)


def seed_chatkit_thread(app, req):
    with app.store.lock:
        thread = chatkit.seed_thread(app.store, _body(req), req.now)
        app.save()
    return Response(thread)


ROUTES = {
    ("GET", "/__emulator/health"): health,
    ("GET", "/__emulator/stats"): stats,
    ("GET", "/__emulator/state"): state,
    ("POST", "/__emulator/reset"): reset,
    ("GET", "/__emulator/faults"): get_faults,
    ("POST", "/__emulator/faults"): set_faults,
    ("POST", "/__emulator/chatkit/threads"): seed_chatkit_thread,
    ("POST", "/__emulator/clock"): clock,
    ("GET", "/__emulator/latency"): get_latency,
    ("POST", "/__emulator/latency"): set_latency,
    ("GET", "/__emulator/chatkit/workflows"): get_workflows,
    ("POST", "/__emulator/chatkit/workflows"): set_workflows,
}


def handle(app, req):
    handler = ROUTES.get((req.method, req.path.rstrip("/")))
    if handler is None:
        raise errors.APIError(404, "Unknown emulator admin endpoint (%s %s)" % (req.method, req.path))
    return handler(app, req)
