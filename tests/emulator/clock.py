"""The run clock: a run's status evaluated lazily from timestamps, and run streaming.

A run takes ``--run-seconds`` (default 1.0 s, call it D) from creation to completion. Its status is
evaluated whenever its thread is touched (no background threads, so the emulator stays simple and
deterministic); each transition happens at a well-defined time and stamps its objects with it:

    queued --0.2 D--> in_progress --0.8 D--> completed (or incomplete: see below)
                                  \\--0.3 D--> requires_action --(submit_tool_outputs)--> queued
                                                 --0.2 D--> in_progress --0.6 D--> completed
    queued | in_progress | requires_action --(cancel)--> cancelling --0.2 D--> cancelled
    requires_action --(expires_at, 10 min)--> expired
    in_progress --(fail:<code> trigger)--> failed

A run whose prompt (its instructions and the thread's messages, in words) is over its
``max_prompt_tokens``, or whose reply is over its ``max_completion_tokens``, ends ``incomplete``
instead of ``completed`` (``incomplete_details.reason`` names the limit); its reply message is
``incomplete`` (reason ``max_tokens``), cut to the limit (empty over the prompt limit).

When a run starts (in_progress) it creates its run step(s), and for the answer the assistant's reply
message (status ``in_progress``, empty content); on completion the reply gets its text (``"Emulated
reply: <last user message>"``, or a summary of the tool outputs), the steps complete, and the run
gets ``usage`` (token counts are word counts).

Streaming (``stream: true``) follows the same clock in real time and emits the real event names:
``thread.created``, ``thread.run.created``, ``thread.run.queued``, ``thread.run.in_progress``,
``thread.run.step.created``, ``thread.run.step.in_progress``, ``thread.message.created``,
``thread.message.in_progress``, ``thread.message.delta``, ``thread.message.completed``,
``thread.run.step.completed``, ``thread.run.requires_action``, ``thread.run.completed``,
``thread.run.cancelled``, ``thread.run.failed``, ``thread.run.expired``...; the HTTP layer ends the
stream with ``event: done`` / ``data: [DONE]``.
"""

import time

from . import messages
from .router import StreamResponse
from .store import public

ACTIVE = ("queued", "in_progress", "requires_action", "cancelling")
TERMINAL = ("completed", "cancelled", "failed", "expired", "incomplete")


def _words(text):
    return len(text.split())


def text_of(message):
    return " ".join(p["text"]["value"] for p in message["content"] if p.get("type") == "text")


def active_run(store, thread_id):
    for run in store.ordered("runs", thread_id):
        if run["status"] in ACTIVE:
            return run
    return None


# ---- transitions-----------------------------------------------------------------------------------
def _snapshot(obj):
    return public(obj)


def _new_step(store, run, kind, details, at):
    step = {
        "id": store.create_id("step"),
        "object": "thread.run.step",
        "created_at": int(at),
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": kind,
        "status": "in_progress",
        "cancelled_at": None,
        "completed_at": None,
        "expires_at": run["expires_at"],  # the real API's key (the spec says expired_at); no metadata key
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": None,
    }
    return store.put("steps", step, run["id"])


def _start(store, run, at, events):
    """queued -> in_progress: create the steps (and the reply message) of this phase."""
    run["status"] = "in_progress"
    if run["started_at"] is None:
        run["started_at"] = int(at)
    events.append(("thread.run.in_progress", _snapshot(run)))
    d = run["_d"]
    if run["_calls"] and not run["_resumed"] and not run["_fail"]:
        details = {"type": "tool_calls", "tool_calls": [
            {"id": c["id"], "type": "function",
             "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"], "output": None}}
            for c in run["_calls"]]}
        step = _new_step(store, run, "tool_calls", details, at)
        run["_tool_step"] = step["id"]
        events.append(("thread.run.step.created", _snapshot(step)))
        events.append(("thread.run.step.in_progress", _snapshot(step)))
        run["_t"] = at + 0.3 * d
        return
    message = messages.add_message(store, run["thread_id"], {"role": "assistant", "content": []}, at,
                                   run_id=run["id"], assistant_id=run["assistant_id"], status="in_progress")
    run["_msg"] = message["id"]
    step = _new_step(store, run, "message_creation",
                     {"type": "message_creation", "message_creation": {"message_id": message["id"]}}, at)
    run["_msg_step"] = step["id"]
    events.append(("thread.run.step.created", _snapshot(step)))
    events.append(("thread.run.step.in_progress", _snapshot(step)))
    events.append(("thread.message.created", _snapshot(message)))
    events.append(("thread.message.in_progress", _snapshot(message)))
    run["_t"] = at + (0.6 if run["_resumed"] else 0.8) * d


def _reply_text(store, run):
    if run["_outputs"]:
        names = {c["id"]: c["function"]["name"] for c in run["_calls"]}
        return "Emulated reply using tool outputs: " + "; ".join(
            "%s=%s" % (names.get(o["tool_call_id"], o["tool_call_id"]), o["output"]) for o in run["_outputs"])
    last_user = ""
    for message in store.ordered("messages", run["thread_id"]):
        if message["role"] == "user":
            last_user = text_of(message)
    return "Emulated reply: " + last_user if last_user else "Emulated reply."


def _prompt_tokens(store, run):
    total = _words(run["instructions"] or "")
    for message in store.ordered("messages", run["thread_id"]):
        if message["id"] != run["_msg"]:
            total += _words(text_of(message))
    return total


def _token_limit(run, prompt, completion):
    """The limit a run's tokens (words) go over, if any: it then ends incomplete."""
    if run.get("max_prompt_tokens") and prompt > run["max_prompt_tokens"]:
        return "max_prompt_tokens"
    if run.get("max_completion_tokens") and completion > run["max_completion_tokens"]:
        return "max_completion_tokens"
    return None


def _complete(store, run, at, events):
    """in_progress -> completed (or incomplete, over a token limit): fill the reply, complete the step, set usage."""
    text = _reply_text(store, run)
    message = store.get("messages", run["_msg"], run["thread_id"])
    completion = _words(text)
    prompt = _prompt_tokens(store, run)
    over = _token_limit(run, prompt, completion)
    if over == "max_prompt_tokens":
        text, completion = "", 0
    elif over == "max_completion_tokens":
        completion = run["max_completion_tokens"]
        text = " ".join(text.split()[:completion])
    if message is not None:
        message["content"] = [{"type": "text", "text": {"value": text, "annotations": []}}] if text else []
        if text:
            events.append(("thread.message.delta", {
                "id": message["id"], "object": "thread.message.delta",
                "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text, "annotations": []}}]}}))
        if over:
            message["status"] = "incomplete"
            message["incomplete_at"] = int(at)
            message["incomplete_details"] = {"reason": "max_tokens"}
            events.append(("thread.message.incomplete", _snapshot(message)))
        else:
            message["status"] = "completed"
            message["completed_at"] = int(at)
            events.append(("thread.message.completed", _snapshot(message)))
    step = store.get("steps", run["_msg_step"], run["id"])
    if step is not None:
        step["status"] = "completed"
        step["completed_at"] = int(at)
        step["expires_at"] = None
        step["usage"] = {"prompt_tokens": prompt, "completion_tokens": completion,
                         "total_tokens": prompt + completion}
        events.append(("thread.run.step.completed", _snapshot(step)))
    tool_tokens = 10 * len(run["_calls"]) if run["_resumed"] else 0
    run["status"] = "incomplete" if over else "completed"
    run["completed_at"] = int(at)
    run["incomplete_details"] = {"reason": over} if over else None
    run["expires_at"] = None
    run["usage"] = {"prompt_tokens": prompt + tool_tokens, "completion_tokens": completion + tool_tokens,
                    "total_tokens": prompt + completion + 2 * tool_tokens,
                    # the real API's keys (note the singular prompt_token_details)
                    "prompt_token_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}}
    run["_t"] = None
    events.append(("thread.run.%s" % run["status"], _snapshot(run)))


def _require_action(store, run, at, events):
    run["status"] = "requires_action"
    run["required_action"] = {"type": "submit_tool_outputs", "submit_tool_outputs": {
        "tool_calls": [dict(c, function=dict(c["function"])) for c in run["_calls"]]}}
    run["_t"] = float(run["expires_at"])
    events.append(("thread.run.requires_action", _snapshot(run)))


def _finish_steps(store, run, status, at, events, last_error=None):
    stamp = {"cancelled": "cancelled_at", "failed": "failed_at"}.get(status)
    for step in store.ordered("steps", run["id"]):
        if step["status"] == "in_progress":
            step["status"] = status
            step["expires_at"] = int(at) if status == "expired" else None
            if stamp is not None:
                step[stamp] = int(at)
            step["last_error"] = last_error
            events.append(("thread.run.step.%s" % status, _snapshot(step)))
    message = store.get("messages", run["_msg"], run["thread_id"]) if run["_msg"] else None
    if message is not None and message["status"] == "in_progress":
        message["status"] = "incomplete"
        message["incomplete_at"] = int(at)
        message["incomplete_details"] = {"reason": "run_%s" % status}
        events.append(("thread.message.incomplete", _snapshot(message)))


def _cancelled(store, run, at, events):
    _finish_steps(store, run, "cancelled", at, events)
    run["status"] = "cancelled"
    run["cancelled_at"] = int(at)
    run["required_action"] = None
    run["expires_at"] = None
    run["_t"] = None
    events.append(("thread.run.cancelled", _snapshot(run)))


def _failed(store, run, at, events):
    code = run["_fail"]
    message = {"server_error": "Sorry, something went wrong.",
               "rate_limit_exceeded": "You exceeded your current quota, please check your plan and billing details.",
               "invalid_prompt": "Invalid prompt: the emulator was asked to fail this run."}[code]
    step_error = {"code": code if code != "invalid_prompt" else "server_error", "message": message}
    _finish_steps(store, run, "failed", at, events, step_error)
    run["status"] = "failed"
    run["failed_at"] = int(at)
    run["last_error"] = {"code": code, "message": message}
    run["expires_at"] = None
    run["_t"] = None
    events.append(("thread.run.failed", _snapshot(run)))


def _expired(store, run, at, events):
    _finish_steps(store, run, "expired", at, events)
    run["status"] = "expired"
    run["required_action"] = None
    run["_t"] = None
    events.append(("thread.run.expired", _snapshot(run)))


def advance(store, run, now):
    """Apply every transition due by ``now``; returns the stream events they produce."""
    events = []
    while run.get("_t") is not None and now >= run["_t"]:
        at = run["_t"]
        status = run["status"]
        if status == "queued":
            _start(store, run, at, events)
        elif status == "in_progress":
            if run["_fail"]:
                _failed(store, run, at, events)
            elif run["_calls"] and not run["_resumed"]:
                _require_action(store, run, at, events)
            else:
                _complete(store, run, at, events)
        elif status == "requires_action":
            _expired(store, run, at, events)
        elif status == "cancelling":
            _cancelled(store, run, at, events)
        else:
            run["_t"] = None
        store.touch()
    return events


def advance_thread(store, thread_id, now):
    for run in store.ordered("runs", thread_id):
        if run.get("_t") is not None:
            advance(store, run, now)


# ---- streaming -----------------------------------------------------------------------------------
def stream(app, run, leading, resumed=False):
    store = app.store
    thread_id, run_id = run["thread_id"], run["id"]
    first = list(leading)
    if resumed:
        first.append(("thread.run.queued", _snapshot(run)))
    else:
        first += [("thread.run.created", _snapshot(run)), ("thread.run.queued", _snapshot(run))]

    def events():
        yield from first
        while True:
            with store.lock:
                current = store.get("runs", run_id, thread_id)
                if current is None:
                    return
                produced = advance(store, current, store.now())
                store.save()
                status, due = current["status"], current.get("_t")
            yield from produced
            if status in TERMINAL or status == "requires_action" or due is None:
                return
            time.sleep(min(0.25, max(0.005, due - store.now())))

    return StreamResponse(events())
