"""Runs: create, create-and-run, list, get, modify (metadata), cancel, submit_tool_outputs.

How a run's status moves over time, and streaming, are in clock.py. This module validates requests,
creates runs and decides, at creation, what a run will do:

The function-call trigger
-------------------------
When the run's tools (the assistant's, unless the run overrides them) include a function tool
named NAME and the last user message of the thread contains ``call:NAME``, the run does not answer
right away: it creates a ``tool_calls`` run step and goes to ``requires_action`` with
``required_action.submit_tool_outputs.tool_calls`` (one call per distinct ``call:NAME`` found, ids
``call_...``). ``call:NAME{"city": "Paris"}`` passes those JSON arguments (default ``"{}"``).
After ``submit_tool_outputs`` (one output per pending call) the run queues again, completes, and
its reply quotes the outputs. ``tool_choice: "none"`` disables the trigger.

The failure trigger
-------------------
A last user message containing ``fail:server_error`` (or ``fail:rate_limit_exceeded``,
``fail:invalid_prompt``) makes the run end ``failed`` instead, with that ``last_error.code``.

A run's ``instructions`` are its own, else its assistant's, ``null`` when neither has any (as the real
API answers). A run on a thread without a user message, with no instructions, is a 400
``invalid_thread`` (the real API's answer).

Rules kept from the real API: one active run per thread (400 otherwise); ``cancel`` only from
queued/in_progress/requires_action (400 otherwise); tool outputs only in ``requires_action`` and for
exactly the pending calls. Responses about a run carry ``openai-poll-after-ms`` (time to the next
change). ``stream: true`` on create, create-and-run and submit_tool_outputs answers a stream.
"""

import json
import math
import re

from . import assistants, clock, errors, messages, threads, validation as v
from .clock import TERMINAL
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public

BETA = "assistants=v2"
CANCELLABLE = ("queued", "in_progress", "requires_action")
RUN_INCLUDE = ("step_details.tool_calls[*].file_search.results[*].content",)
EXPIRY_SECONDS = 600
TRIGGER = re.compile(r"call:([A-Za-z0-9_-]{1,64})(\{[^{}]*\})?")
FAIL_TRIGGER = re.compile(r"fail:(server_error|rate_limit_exceeded|invalid_prompt)")

RUN_FIELDS = ("assistant_id", "model", "reasoning_effort", "instructions", "additional_instructions",
              "additional_messages", "tools", "metadata", "temperature", "top_p", "stream",
              "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice",
              "parallel_tool_calls", "response_format")
THREAD_AND_RUN_FIELDS = ("assistant_id", "thread", "model", "instructions", "tools", "tool_resources",
                         "metadata", "temperature", "top_p", "stream", "max_prompt_tokens",
                         "max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls",
                         "response_format")


# ---- helpers -------------------------------------------------------------------------------------
def get_run(store, thread_id, run_id):
    run = store.get("runs", run_id, thread_id)
    if run is None:
        raise errors.not_found("run", run_id, "run_id")
    return run


def poll_after_ms(run, now):
    if run["status"] in TERMINAL or run.get("_t") is None:
        return 1000
    return int(min(1000, max(10, math.ceil((run["_t"] - now) * 1000))))


def _run_response(run, now):
    return Response(public(run), headers={"openai-poll-after-ms": str(poll_after_ms(run, now))})


# ---- validation ----------------------------------------------------------------------------------
def _truncation(body):
    value = v.obj(body, "truncation_strategy")
    if value is None:
        return {"type": "auto", "last_messages": None}
    v.only(value, ("type", "last_messages"), "truncation_strategy.")
    kind = v.enum(value, "type", ("auto", "last_messages"), "truncation_strategy.")
    if kind is None:
        raise errors.missing("truncation_strategy.type")
    last = v.integer(value, "last_messages", 1, None, "truncation_strategy.")
    return {"type": kind, "last_messages": last}


def _tool_choice(body):
    value = body.get("tool_choice")
    if value is None:
        return "auto"
    if isinstance(value, str):
        if value not in ("none", "auto", "required"):
            raise errors.invalid_value("tool_choice", value, ["none", "auto", "required"])
        return value
    if not isinstance(value, dict):
        raise errors.invalid_type("tool_choice", "a string or an object", value)
    kind = v.enum(value, "type", ("function", "code_interpreter", "file_search"), "tool_choice.")
    if kind is None:
        raise errors.missing("tool_choice.type")
    if kind == "function":
        function = v.obj(value, "function", "tool_choice.")
        if not function or not isinstance(function.get("name"), str):
            raise errors.missing("tool_choice.function.name")
        return {"type": "function", "function": {"name": function["name"]}}
    return {"type": kind}


def _run_options(body):
    """Validate the run options shared by create and create-and-run (not assistant_id/thread)."""
    options = {}
    if body.get("model") is not None:
        options["model"] = v.string(body, "model")
    options["instructions"] = v.string(body, "instructions", 256000)
    options["tools"] = v.tools(body, max_items=20)
    options["metadata"] = v.metadata(body) or {}
    options["temperature"] = v.number(body, "temperature", 0, 2)
    options["top_p"] = v.number(body, "top_p", 0, 1)
    options["stream"] = bool(v.boolean(body, "stream"))
    options["max_prompt_tokens"] = v.integer(body, "max_prompt_tokens", 256)
    options["max_completion_tokens"] = v.integer(body, "max_completion_tokens", 256)
    options["truncation_strategy"] = _truncation(body)
    options["tool_choice"] = _tool_choice(body)
    parallel = v.boolean(body, "parallel_tool_calls")
    options["parallel_tool_calls"] = True if parallel is None else parallel
    options["response_format"] = v.response_format(body)
    return options


def check_include(req):
    return v.include(req.qlist("include[]") + req.qlist("include"), RUN_INCLUDE, "include")


# ---- creation ------------------------------------------------------------------------------------
def _last_user_text(store, thread_id):
    text = None
    for message in store.ordered("messages", thread_id):
        if message["role"] == "user":
            text = clock.text_of(message)
    return text


def _find_failure(store, thread_id):
    match = FAIL_TRIGGER.search(_last_user_text(store, thread_id) or "")
    return match.group(1) if match else None


def _find_calls(store, thread_id, tools, tool_choice):
    if tool_choice == "none":
        return []
    names = {t["function"]["name"] for t in tools if t["type"] == "function"}
    last_user = _last_user_text(store, thread_id)
    if not names or last_user is None:
        return []
    calls, seen = [], set()
    for match in TRIGGER.finditer(last_user):
        name, arguments = match.group(1), match.group(2)
        if name not in names or name in seen:
            continue
        seen.add(name)
        if arguments:
            try:
                arguments = json.dumps(json.loads(arguments))
            except ValueError:
                arguments = "{}"
        calls.append({"id": store.create_id("call"), "type": "function",
                      "function": {"name": name, "arguments": arguments or "{}"}})
    return calls


def _instructions(options, assistant, additional_instructions):
    instructions = options.get("instructions")
    if instructions is None:
        instructions = assistant.get("instructions")
    if additional_instructions:
        instructions = (instructions + "\n\n" + additional_instructions) if instructions else additional_instructions
    return instructions


def _check_runnable(roles, instructions):
    """The real API's 400 for a run with nothing to answer: no user message and no instructions."""
    if "user" not in roles and not instructions:
        raise errors.invalid("Run creation requires a Thread with a user message or an assistant with instructions.",
                             None, "invalid_thread")


def new_run(app, thread_id, assistant, options, now, additional_instructions=None, reasoning_effort=None):
    store = app.store
    instructions = _instructions(options, assistant, additional_instructions)
    tools = options["tools"] if options.get("tools") is not None else list(assistant.get("tools") or [])
    duration = app.run_seconds
    run = {
        "id": store.create_id("run"),
        "object": "thread.run",
        "created_at": int(now),
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": int(now) + EXPIRY_SECONDS,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": options.get("model") or assistant["model"],
        "instructions": instructions,
        "tools": tools,
        "tool_resources": {},
        "metadata": options["metadata"],
        "temperature": options["temperature"] if options["temperature"] is not None
        else assistant.get("temperature", 1.0),
        "top_p": options["top_p"] if options["top_p"] is not None else assistant.get("top_p", 1.0),
        "reasoning_effort": reasoning_effort if reasoning_effort is not None else assistant.get("reasoning_effort"),
        "max_completion_tokens": options["max_completion_tokens"],
        "max_prompt_tokens": options["max_prompt_tokens"],
        "truncation_strategy": options["truncation_strategy"],
        "incomplete_details": None,
        "usage": None,
        "response_format": options["response_format"] if options["response_format"] is not None
        else assistant.get("response_format") or "auto",
        "tool_choice": options["tool_choice"],
        "parallel_tool_calls": options["parallel_tool_calls"],
        # internal clock state (stripped from responses)
        "_t0": now,
        "_d": duration,
        "_t": now + 0.2 * duration,
        "_calls": _find_calls(store, thread_id, tools, options["tool_choice"]),
        "_fail": _find_failure(store, thread_id),
        "_resumed": False,
        "_outputs": [],
        "_tool_step": None,
        "_msg_step": None,
        "_msg": None,
    }
    store.put("runs", run, thread_id)
    store.table("steps", run["id"])
    return run


def _prepare_create(app, req, thread_id):
    body = v.body_object(req.body, required=True)
    v.only(body, RUN_FIELDS)
    check_include(req)
    assistant_id = v.string(body, "assistant_id")
    if assistant_id is None:
        raise errors.missing("assistant_id")
    options = _run_options(body)
    reasoning_effort = v.reasoning_effort(body)
    additional_instructions = v.string(body, "additional_instructions")
    extra = v.array(body, "additional_messages") or []
    extra_fields = [messages.validate_create(m, "additional_messages[%d]." % i) for i, m in enumerate(extra)]
    assistant = assistants.get_assistant(app.store, assistant_id, "assistant_id")
    return options, assistant, extra_fields, additional_instructions, reasoning_effort


def create(app, req):
    thread_id = req.params["thread_id"]
    store = app.store
    threads.get_thread(store, thread_id)
    clock.advance_thread(store, thread_id, req.now)
    options, assistant, extra_fields, extra_instructions, effort = _prepare_create(app, req, thread_id)
    active = clock.active_run(store, thread_id)
    if active is not None:
        raise errors.invalid("Thread %s already has an active run %s." % (thread_id, active["id"]))
    roles = [m["role"] for m in store.ordered("messages", thread_id)] + [f["role"] for f in extra_fields]
    _check_runnable(roles, _instructions(options, assistant, extra_instructions))
    for fields in extra_fields:
        messages.add_message(store, thread_id, fields, req.now)
    run = new_run(app, thread_id, assistant, options, req.now, extra_instructions, effort)
    if options["stream"]:
        return clock.stream(app, run, [])
    return _run_response(run, req.now)


def create_thread_and_run(app, req):
    store = app.store
    body = v.body_object(req.body, required=True)
    v.only(body, THREAD_AND_RUN_FIELDS)
    assistant_id = v.string(body, "assistant_id")
    if assistant_id is None:
        raise errors.missing("assistant_id")
    thread_body = v.obj(body, "thread") or {}
    thread_fields, message_fields = threads.validate_create(thread_body, "thread.")
    tool_resources = v.tool_resources(body)
    options = _run_options(body)
    assistant = assistants.get_assistant(store, assistant_id, "assistant_id")
    _check_runnable([f["role"] for f in message_fields], _instructions(options, assistant, None))
    if tool_resources:
        thread_fields["tool_resources"] = tool_resources
    thread = threads.add_thread(store, thread_fields, message_fields, req.now)
    run = new_run(app, thread["id"], assistant, options, req.now)
    if options["stream"]:
        return clock.stream(app, run, [("thread.created", threads.read_view(thread))])
    return _run_response(run, req.now)


# ---- handlers ------------------------------------------------------------------------------------
def _locate(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    return get_run(app.store, thread_id, req.params["run_id"])


def list_(app, req):
    thread_id = req.params["thread_id"]
    threads.get_thread(app.store, thread_id)
    clock.advance_thread(app.store, thread_id, req.now)
    params = parse_list_params(req.qdict("limit", "order", "after", "before"), app.store)
    page, has_more = paginate(app.store.ordered("runs", thread_id), params, app.store.seq)
    return Response(list_object([public(r) for r in page], has_more))


def retrieve(app, req):
    return _run_response(_locate(app, req), req.now)


def modify(app, req):
    run = _locate(app, req)
    body = v.body_object(req.body, required=True)
    v.only(body, ("metadata",))
    if "metadata" in body:
        run["metadata"] = v.metadata(body) or {}
        app.store.touch()
    return _run_response(run, req.now)


def cancel(app, req):
    run = _locate(app, req)
    if run["status"] not in CANCELLABLE:
        raise errors.invalid("Cannot cancel run with status '%s'." % run["status"])
    run["status"] = "cancelling"
    run["_t"] = req.now + 0.2 * run["_d"]
    app.store.touch()
    return _run_response(run, req.now)


def submit_tool_outputs(app, req):
    run = _locate(app, req)
    body = v.body_object(req.body, required=True)
    v.only(body, ("tool_outputs", "stream"))
    outputs = v.array(body, "tool_outputs")
    if outputs is None:
        raise errors.missing("tool_outputs")
    stream = bool(v.boolean(body, "stream"))
    clean = []
    for index, output in enumerate(outputs):
        param = "tool_outputs[%d]" % index
        if not isinstance(output, dict):
            raise errors.invalid_type(param, "an object", output)
        v.only(output, ("tool_call_id", "output"), param + ".")
        call_id = v.string(output, "tool_call_id", prefix=param + ".")
        if call_id is None:
            raise errors.missing(param + ".tool_call_id")
        clean.append({"tool_call_id": call_id, "output": v.string(output, "output", prefix=param + ".") or ""})
    if run["status"] != "requires_action":
        raise errors.invalid('Runs in status "%s" do not accept tool outputs.' % run["status"])
    expected = sorted(c["id"] for c in run["_calls"])
    got = sorted(o["tool_call_id"] for o in clean)
    if expected != got:
        raise errors.invalid("Expected tool outputs for call_ids %s, got %s" % (expected, got), "tool_outputs")
    now = req.now
    run["_outputs"] = clean
    run["_resumed"] = True
    run["required_action"] = None
    run["status"] = "queued"
    run["_t"] = now + 0.2 * run["_d"]
    step = app.store.get("steps", run["_tool_step"], run["id"])
    events = []
    if step is not None:
        by_id = {o["tool_call_id"]: o["output"] for o in clean}
        for call in step["step_details"]["tool_calls"]:
            call["function"]["output"] = by_id.get(call["id"])
        step["status"] = "completed"
        step["completed_at"] = int(now)
        step["expires_at"] = None
        step["usage"] = {"prompt_tokens": 10 * len(clean), "completion_tokens": 10 * len(clean),
                         "total_tokens": 20 * len(clean)}
        events.append(("thread.run.step.completed", public(step)))
    app.store.touch()
    if stream:
        return clock.stream(app, run, events, resumed=True)
    return _run_response(run, now)


def register(router):
    router.add("POST", "/v1/threads/runs", create_thread_and_run, BETA)
    router.add("POST", "/v1/threads/{thread_id}/runs", create, BETA)
    router.add("GET", "/v1/threads/{thread_id}/runs", list_, BETA)
    router.add("GET", "/v1/threads/{thread_id}/runs/{run_id}", retrieve, BETA)
    router.add("POST", "/v1/threads/{thread_id}/runs/{run_id}", modify, BETA)
    router.add("POST", "/v1/threads/{thread_id}/runs/{run_id}/cancel", cancel, BETA)
    router.add("POST", "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", submit_tool_outputs, BETA)
