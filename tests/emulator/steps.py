"""Run steps: list and get (read-only), with the ``include[]`` query parameter.

Steps are created by the run clock (see clock.py): a ``message_creation`` step for the reply, and
before it a ``tool_calls`` step when the run called functions. As the real API answers, a step has
``expires_at`` (its run's while it is open, ``null`` once it ended, the time it expired when it did; the
spec says ``expired_at``) and no ``metadata``; an unknown step is a 404 with ``param`` null.
"""

from . import clock, errors, runs, threads
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public

BETA = "assistants=v2"


def _locate_run(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    runs.check_include(req)
    return runs.get_run(app.store, thread_id, req.params["run_id"])


def list_(app, req):
    run = _locate_run(app, req)
    params = parse_list_params(req.qdict("limit", "order", "after", "before"), app.store)
    page, has_more = paginate(app.store.ordered("steps", run["id"]), params, app.store.seq)
    return Response(list_object([public(s) for s in page], has_more))


def retrieve(app, req):
    run = _locate_run(app, req)
    step = app.store.get("steps", req.params["step_id"], run["id"])
    if step is None:
        raise errors.not_found("run step", req.params["step_id"])
    return Response(public(step))


def register(router):
    router.add("GET", "/v1/threads/{thread_id}/runs/{run_id}/steps", list_, BETA)
    router.add("GET", "/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}", retrieve, BETA)
