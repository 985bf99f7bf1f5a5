"""The emulator's responses against OpenAI's official OpenAPI spec.

Every endpoint the emulator serves is called here with valid requests, and each request/response
pair is validated with openapi-core (see conftest.py). Each test checks that it covered every
operation of its family; ``test_families_cover_the_spec`` checks that the families together are
exactly the spec's operations and the emulator's routes. Streams are not described by the spec:
their event names and the final ``[DONE]`` are checked instead.
"""

import json

import pytest
import requests

from emulator.harness import Emulator

pytestmark = pytest.mark.conformance

A = "/v1/assistants"
FAMILIES = {
    "assistants": {
        "POST /v1/assistants", "GET /v1/assistants", "GET /v1/assistants/{assistant_id}",
        "POST /v1/assistants/{assistant_id}", "DELETE /v1/assistants/{assistant_id}",
    },
    "threads_and_messages": {
        "POST /v1/threads", "GET /v1/threads/{thread_id}", "POST /v1/threads/{thread_id}",
        "DELETE /v1/threads/{thread_id}",
        "POST /v1/threads/{thread_id}/messages", "GET /v1/threads/{thread_id}/messages",
        "GET /v1/threads/{thread_id}/messages/{message_id}", "POST /v1/threads/{thread_id}/messages/{message_id}",
        "DELETE /v1/threads/{thread_id}/messages/{message_id}",
    },
    "runs": {
        "POST /v1/threads/runs", "POST /v1/threads/{thread_id}/runs", "GET /v1/threads/{thread_id}/runs",
        "GET /v1/threads/{thread_id}/runs/{run_id}", "POST /v1/threads/{thread_id}/runs/{run_id}",
        "POST /v1/threads/{thread_id}/runs/{run_id}/cancel",
        "POST /v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
        "GET /v1/threads/{thread_id}/runs/{run_id}/steps",
        "GET /v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}",
    },
    "chatkit": {
        "POST /v1/chatkit/sessions", "POST /v1/chatkit/sessions/{session_id}/cancel",
        "GET /v1/chatkit/threads", "GET /v1/chatkit/threads/{thread_id}",
        "DELETE /v1/chatkit/threads/{thread_id}", "GET /v1/chatkit/threads/{thread_id}/items",
    },
    "conversations": {
        "POST /v1/conversations", "GET /v1/conversations/{conversation_id}",
        "POST /v1/conversations/{conversation_id}", "DELETE /v1/conversations/{conversation_id}",
        "POST /v1/conversations/{conversation_id}/items", "GET /v1/conversations/{conversation_id}/items",
        "GET /v1/conversations/{conversation_id}/items/{item_id}",
        "DELETE /v1/conversations/{conversation_id}/items/{item_id}",
    },
}
FUNCTION_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "Weather of a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}


def stored_message(emu, thread_id, message_id):
    """A thread message as the emulator keeps it: with the status that only stream events show (REST has none)."""
    return emu.state()["data"]["messages"][thread_id][message_id]


def assert_covered(client, family):
    missing = FAMILIES[family] - set(client.validated)
    assert not missing, "not exercised: %s" % sorted(missing)


# ---- coverage --------------------------------------------------------------------------------------
def test_families_cover_the_spec(spec_operations):
    from emulator.app import build_router

    union = set().union(*FAMILIES.values())
    assert union == spec_operations
    routes = {"%s %s" % (route.method, route.template) for route in build_router().routes}
    assert routes == spec_operations
    assert len(spec_operations) == 37


# ---- assistants ------------------------------------------------------------------------------------
def test_assistants(spec_client, spec_emulator):
    c = spec_client
    spec_emulator.reset(state=True)
    empty = c.get(A)
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}

    minimal = c.post(A, {"model": "gpt-4o"})
    assert minimal["id"].startswith("asst_") and len(minimal["id"]) == 29
    assert minimal["metadata"] == {} and minimal["tools"] == [] and minimal["tool_resources"] == {}
    assert minimal["temperature"] == 1.0 and minimal["top_p"] == 1.0 and minimal["response_format"] == "auto"
    assert minimal["name"] is None and minimal["description"] is None and minimal["instructions"] is None

    full = c.post(A, {
        "model": "gpt-4o-mini", "name": "Helper", "description": "Answers questions", "instructions": "Be brief.",
        "tools": [{"type": "code_interpreter"}, {"type": "file_search"}, FUNCTION_TOOL],
        "tool_resources": {"code_interpreter": {"file_ids": ["file-abc"]}, "file_search": {"vector_store_ids": ["vs_1"]}},
        "metadata": {"env": "test"}, "temperature": 0.5, "top_p": 0.9, "reasoning_effort": "low",
        "response_format": {"type": "json_object"},
    })
    assert full["tools"][2]["function"]["name"] == "get_weather"
    assert full["tool_resources"]["file_search"] == {"vector_store_ids": ["vs_1"]}
    schema_format = c.post(A, {"model": "gpt-4o", "response_format": {"type": "json_schema", "json_schema": {
        "name": "answer", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}})

    assert c.get("%s/%s" % (A, full["id"])) == full
    modified = c.post("%s/%s" % (A, full["id"]), {"name": "Renamed", "metadata": {"team": "x"}})
    assert modified["name"] == "Renamed" and modified["metadata"] == {"team": "x"}
    assert modified["instructions"] == "Be brief." and modified["temperature"] == 0.5
    reset = {"tools": [], "temperature": 2, "top_p": 0, "response_format": "auto", "tool_resources": {},
             "model": "gpt-4.1"}
    c.post("%s/%s" % (A, minimal["id"]), reset)

    page = c.get(A, {"limit": 2})
    assert page["has_more"] is True and len(page["data"]) == 2
    assert page["first_id"] == schema_format["id"] and page["last_id"] == full["id"]
    rest = c.get(A, {"limit": 2, "after": page["last_id"]})
    assert [a["id"] for a in rest["data"]] == [minimal["id"]] and rest["has_more"] is False
    asc = c.get(A, {"order": "asc", "limit": 100, "before": schema_format["id"]})
    assert [a["id"] for a in asc["data"]] == [minimal["id"], full["id"]]

    deleted = c.delete("%s/%s" % (A, minimal["id"]))
    assert deleted == {"id": minimal["id"], "object": "assistant.deleted", "deleted": True}
    assert_covered(c, "assistants")


# ---- conversations ---------------------------------------------------------------------------------
def test_conversations(spec_client):
    c = spec_client
    bare = c.post("/v1/conversations", send_body=False, beta=None)
    assert bare["object"] == "conversation" and bare["metadata"] == {}
    assert bare["id"].startswith("conv_") and len(bare["id"]) == 5 + 48
    empty = c.post("/v1/conversations", {}, beta=None)
    conv = c.post("/v1/conversations", beta=None, body={
        "metadata": {"topic": "demo"},
        "items": [{"type": "message", "role": "user", "content": "Hello!"},
                  {"role": "assistant", "content": "Hi, how can I help?"}],
    })
    base = "/v1/conversations/%s" % conv["id"]
    assert c.get(base, beta=None) == conv
    updated = c.post(base, {"metadata": {"topic": "changed", "k": "v"}}, beta=None)
    assert updated["metadata"] == {"topic": "changed", "k": "v"}

    none = c.get("/v1/conversations/%s/items" % empty["id"], beta=None)
    assert none == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}

    items = c.get(base + "/items", beta=None, params={"order": "asc"})
    user, assistant = items["data"]
    assert user["content"] == [{"type": "input_text", "text": "Hello!"}]
    assert assistant["content"] == [{"type": "output_text", "text": "Hi, how can I help?",
                                     "annotations": [], "logprobs": []}]
    assert user["id"].startswith("msg_") and user["status"] == "completed"

    created = c.post(base + "/items", beta=None, params=[("include", "message.output_text.logprobs")], body={
        "items": [
            {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "Look at this"},
                {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "low"}]},
            {"type": "message", "role": "system", "content": "Be kind."},
            {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "dev note"}]},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "{\"temp\": 3}"},
            {"type": "message", "role": "assistant", "content": [{"type": "input_text", "text": "It is 3."}]},
            {"id": "msg_replayed_output_1", "type": "message", "role": "assistant", "status": "completed",
             "content": [{"type": "output_text", "text": "It is 3 degrees.", "annotations": [], "logprobs": []}]},
        ]})
    assert created["object"] == "list" and len(created["data"]) == 7 and created["has_more"] is False
    assert created["data"][5]["content"] == [{"type": "output_text", "text": "It is 3.", "annotations": [],
                                              "logprobs": []}]
    assert created["data"][6]["id"] == "msg_replayed_output_1"
    assert created["first_id"] == created["data"][0]["id"] and created["last_id"] == created["data"][-1]["id"]
    function_call = created["data"][3]
    assert function_call["type"] == "function_call" and function_call["status"] == "completed"

    newest = c.get(base + "/items", beta=None, params={"limit": 3})
    assert newest["has_more"] is True and newest["first_id"] == created["data"][-1]["id"]
    older = c.get(base + "/items", beta=None, params={"limit": 100, "after": newest["last_id"]})
    assert older["has_more"] is False and len(older["data"]) == 6
    got = c.get(base + "/items/%s" % function_call["id"], beta=None,
                params=[("include", "code_interpreter_call.outputs")])
    assert got == function_call
    for item in created["data"]:
        assert c.get(base + "/items/%s" % item["id"], beta=None) == item
    parent = c.delete(base + "/items/%s" % user["id"], beta=None)
    assert parent == updated
    deleted = c.delete(base, beta=None)
    assert deleted == {"id": conv["id"], "object": "conversation.deleted", "deleted": True}
    assert_covered(c, "conversations")


# ---- threads and messages --------------------------------------------------------------------------
def test_threads_and_messages(spec_client):
    c = spec_client
    bare = c.post("/v1/threads", send_body=False)
    assert bare["metadata"] == {} and bare["tool_resources"] == {} and bare["id"].startswith("thread_")
    thread = c.post("/v1/threads", {
        "metadata": {"k": "v"},
        "tool_resources": {"code_interpreter": {"file_ids": ["file-1"]}},
        "messages": [
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": [{"type": "text", "text": "Hi!"}], "metadata": {"m": "1"}},
        ],
    })
    base = "/v1/threads/%s" % thread["id"]
    assert c.get(base) == thread
    modified = c.post(base, {"metadata": {"k2": "v2"}, "tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}}})
    assert modified["metadata"] == {"k2": "v2"}

    empty = c.get("/v1/threads/%s/messages" % bare["id"])
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    listed = c.get(base + "/messages", {"order": "asc"})
    first, second = listed["data"]
    assert first["content"] == [{"type": "text", "text": {"value": "Hello", "annotations": []}}]
    assert first["role"] == "user" and first["attachments"] == [] and "status" not in first
    assert first["assistant_id"] is None and first["run_id"] is None and second["metadata"] == {"m": "1"}

    created = c.post(base + "/messages", {
        "role": "user",
        "content": [{"type": "text", "text": "Look"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                    {"type": "image_file", "image_file": {"file_id": "file-img", "detail": "high"}}],
        "attachments": [{"file_id": "file-doc", "tools": [{"type": "file_search"}, {"type": "code_interpreter"}]}],
        "metadata": {"a": "b"},
    })
    image = {"url": "https://example.com/a.png", "detail": "auto"}
    assert created["content"][1] == {"type": "image_url", "image_url": image}
    path = base + "/messages/%s" % created["id"]
    assert c.get(path) == created
    updated = c.post(path, {"metadata": {"x": "y"}})
    assert updated["metadata"] == {"x": "y"} and updated["content"] == created["content"]
    page = c.get(base + "/messages", {"limit": 2})
    assert page["has_more"] is True and page["first_id"] == created["id"]
    before = c.get(base + "/messages", {"before": created["id"], "order": "asc"})
    assert [m["id"] for m in before["data"]] == [first["id"], second["id"]]
    assert c.get(base + "/messages", {"run_id": "run_none"})["data"] == []

    assert c.delete(path) == {"id": created["id"], "object": "thread.message.deleted", "deleted": True}
    assert c.delete(base) == {"id": thread["id"], "object": "thread.deleted", "deleted": True}
    assert_covered(c, "threads_and_messages")


# ---- runs and steps --------------------------------------------------------------------------------
def _assistant(c, **extra):
    body = {"model": "gpt-4o", "name": "Runner", "instructions": "Help.", "tools": [FUNCTION_TOOL]}
    body.update(extra)
    return c.post(A, body)


def test_run_lifecycle(spec_client, spec_emulator):
    """queued -> in_progress -> completed, with the reply message and a message_creation step."""
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c)
    thread = c.post("/v1/threads", {"messages": [{"role": "user", "content": "What is 2+2?"}]})
    base = "/v1/threads/%s/runs" % thread["id"]
    assert c.get(base) == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}

    run = c.post(base, {"assistant_id": assistant["id"], "metadata": {"r": "1"}},
                 params=[("include[]", "step_details.tool_calls[*].file_search.results[*].content")])
    assert run["status"] == "queued" and run["id"].startswith("run_")
    assert run["model"] == "gpt-4o" and run["instructions"] == "Help." and run["tools"] == assistant["tools"]
    assert run["started_at"] is None and run["usage"] is None and run["required_action"] is None
    path = "%s/%s" % (base, run["id"])
    steps = path + "/steps"
    assert c.get(steps)["data"] == []

    emu.advance_clock(1.5)
    running = c.get(path)
    assert running["status"] == "in_progress" and running["started_at"] is not None
    assert int(c.last_response.headers["openai-poll-after-ms"]) > 0
    in_progress_steps = c.get(steps)
    assert [s["status"] for s in in_progress_steps["data"]] == ["in_progress"]
    reply = c.get("/v1/threads/%s/messages" % thread["id"], {"run_id": run["id"]})["data"]
    assert reply[0]["content"] == [] and stored_message(emu, thread["id"], reply[0]["id"])["status"] == "in_progress"
    c.post(path, {"metadata": {"r": "2"}})

    emu.advance_clock(4)
    done = c.get(path)
    assert done["status"] == "completed" and done["completed_at"] is not None
    assert done["metadata"] == {"r": "2"} and done["expires_at"] is None
    assert done["usage"]["total_tokens"] == done["usage"]["prompt_tokens"] + done["usage"]["completion_tokens"]
    reply = c.get("/v1/threads/%s/messages" % thread["id"], {"run_id": run["id"]})["data"][0]
    assert reply["role"] == "assistant" and reply["assistant_id"] == assistant["id"] and reply["run_id"] == run["id"]
    assert "2+2" in reply["content"][0]["text"]["value"]
    assert stored_message(emu, thread["id"], reply["id"])["status"] == "completed"
    step_list = c.get(steps, [("include[]", "step_details.tool_calls[*].file_search.results[*].content")])
    (step,) = step_list["data"]
    assert step["type"] == "message_creation" and step["status"] == "completed"
    assert step["step_details"]["message_creation"]["message_id"] == reply["id"]
    assert c.get("%s/%s" % (steps, step["id"])) == step
    assert c.get("%s/%s" % (steps, step["id"]),
                 [("include[]", "step_details.tool_calls[*].file_search.results[*].content")]) == step

    second = c.post(base, {"assistant_id": assistant["id"], "model": "gpt-4.1", "instructions": "Other.",
                           "additional_instructions": "Be nice.", "tools": [{"type": "code_interpreter"}],
                           "additional_messages": [{"role": "user", "content": "Again"}],
                           "temperature": 0.2, "top_p": 0.5, "max_prompt_tokens": 1000,
                           "max_completion_tokens": 500,
                           "truncation_strategy": {"type": "last_messages", "last_messages": 5},
                           "tool_choice": "auto", "parallel_tool_calls": False, "response_format": "auto",
                           "reasoning_effort": "low"})
    assert second["instructions"] == "Other.\n\nBe nice." and second["model"] == "gpt-4.1"
    listed = c.get(base, {"limit": 1})
    assert listed["first_id"] == second["id"] and listed["has_more"] is True
    assert [r["id"] for r in c.get(base, {"order": "asc"})["data"]] == [run["id"], second["id"]]
    emu.advance_clock(6)
    assert c.get("%s/%s" % (base, second["id"]))["status"] == "completed"


def test_run_requires_action_and_tool_outputs(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c)
    thread = c.post("/v1/threads", {"messages": [
        {"role": "user", "content": 'Weather please: call:get_weather{"city": "Oslo"}'}]})
    base = "/v1/threads/%s/runs" % thread["id"]
    run = c.post(base, {"assistant_id": assistant["id"]})
    path = "%s/%s" % (base, run["id"])
    emu.advance_clock(3)
    waiting = c.get(path)
    assert waiting["status"] == "requires_action"
    (call,) = waiting["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert call["function"] == {"name": "get_weather", "arguments": '{"city": "Oslo"}'}
    assert call["id"].startswith("call_")
    (tool_step,) = c.get(path + "/steps")["data"]
    assert tool_step["type"] == "tool_calls" and tool_step["status"] == "in_progress"
    assert tool_step["step_details"]["tool_calls"][0]["function"]["output"] is None

    resumed = c.post(path + "/submit_tool_outputs", {"tool_outputs": [{"tool_call_id": call["id"], "output": "3C"}]})
    assert resumed["status"] == "queued" and resumed["required_action"] is None
    emu.advance_clock(1.5)
    assert c.get(path)["status"] == "in_progress"
    emu.advance_clock(3)
    done = c.get(path)
    assert done["status"] == "completed"
    steps = c.get(path + "/steps", {"order": "asc"})["data"]
    assert [s["type"] for s in steps] == ["tool_calls", "message_creation"]
    assert steps[0]["step_details"]["tool_calls"][0]["function"]["output"] == "3C"
    assert c.get("%s/steps/%s" % (path, steps[0]["id"])) == steps[0]
    reply = c.get("/v1/threads/%s/messages" % thread["id"], {"limit": 1})["data"][0]
    assert "get_weather=3C" in reply["content"][0]["text"]["value"]

    # a run left in requires_action expires after 10 minutes
    c.post("/v1/threads/%s/messages" % thread["id"], {"role": "user", "content": "call:get_weather again"})
    late = c.post(base, {"assistant_id": assistant["id"]})
    emu.advance_clock(3)
    assert c.get("%s/%s" % (base, late["id"]))["status"] == "requires_action"
    emu.advance_clock(601)
    expired = c.get("%s/%s" % (base, late["id"]))
    assert expired["status"] == "expired" and expired["required_action"] is None
    assert c.get("%s/%s/steps" % (base, late["id"]))["data"][0]["status"] == "expired"
    every = c.get(base)
    assert {r["status"] for r in every["data"]} == {"completed", "expired"}


def test_run_cancel_and_failure(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c, tools=[])
    thread = c.post("/v1/threads", {"messages": [{"role": "user", "content": "hi"}]})
    base = "/v1/threads/%s/runs" % thread["id"]
    run = c.post(base, {"assistant_id": assistant["id"]})
    emu.advance_clock(1.5)
    cancelling = c.post("%s/%s/cancel" % (base, run["id"]))
    assert cancelling["status"] == "cancelling"
    emu.advance_clock(1.5)
    cancelled = c.get("%s/%s" % (base, run["id"]))
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] is not None
    (step,) = c.get("%s/%s/steps" % (base, run["id"]))["data"]
    assert step["status"] == "cancelled" and step["cancelled_at"] is not None
    message = c.get("/v1/threads/%s/messages" % thread["id"], {"run_id": run["id"]})["data"][0]
    message = stored_message(emu, thread["id"], message["id"])
    assert message["status"] == "incomplete" and message["incomplete_details"] == {"reason": "run_cancelled"}

    c.post("/v1/threads/%s/messages" % thread["id"], {"role": "user", "content": "please fail:server_error"})
    failing = c.post(base, {"assistant_id": assistant["id"]})
    emu.advance_clock(6)
    failed = c.get("%s/%s" % (base, failing["id"]))
    assert failed["status"] == "failed" and failed["last_error"]["code"] == "server_error"
    (step,) = c.get("%s/%s/steps" % (base, failing["id"]))["data"]
    assert step["status"] == "failed" and step["last_error"]["code"] == "server_error"


def test_run_over_a_token_limit_ends_incomplete(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c, tools=[])
    thread = c.post("/v1/threads", {"messages": [{"role": "user", "content": " ".join(["word"] * 300)}]})
    base = "/v1/threads/%s/runs" % thread["id"]
    for limit in ("max_completion_tokens", "max_prompt_tokens"):
        run = c.post(base, {"assistant_id": assistant["id"], limit: 256})
        emu.advance_clock(6)
        ended = c.get("%s/%s" % (base, run["id"]))
        assert ended["status"] == "incomplete" and ended["incomplete_details"] == {"reason": limit}
        (step,) = c.get("%s/%s/steps" % (base, run["id"]))["data"]
        assert step["status"] == "completed"
        message = c.get("/v1/threads/%s/messages" % thread["id"], {"run_id": run["id"]})["data"][0]
        message = stored_message(emu, thread["id"], message["id"])
        assert message["status"] == "incomplete" and message["incomplete_details"] == {"reason": "max_tokens"}


def test_create_thread_and_run(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c)
    run = c.post("/v1/threads/runs", {
        "assistant_id": assistant["id"],
        "thread": {"messages": [{"role": "user", "content": "Hello there"}], "metadata": {"t": "1"}},
        "metadata": {"r": "1"}, "tool_resources": {"code_interpreter": {"file_ids": []}},
        "temperature": 0.7, "tool_choice": "none",
    })
    assert run["status"] == "queued" and run["metadata"] == {"r": "1"} and run["tool_choice"] == "none"
    thread = c.get("/v1/threads/%s" % run["thread_id"])
    assert thread["metadata"] == {"t": "1"}
    minimal = c.post("/v1/threads/runs", {"assistant_id": assistant["id"]})
    emu.advance_clock(6)
    assert c.get("/v1/threads/%s/runs/%s" % (run["thread_id"], run["id"]))["status"] == "completed"
    assert c.get("/v1/threads/%s/runs/%s" % (minimal["thread_id"], minimal["id"]))["status"] == "completed"
    messages = c.get("/v1/threads/%s/messages" % run["thread_id"], {"order": "asc"})["data"]
    assert [m["role"] for m in messages] == ["user", "assistant"]


def test_runs_family_covered(spec_client, spec_emulator):
    """All run operations, in one client, so that the family's coverage is checked in one place."""
    c, emu = spec_client, spec_emulator
    assistant = _assistant(c)
    run = c.post("/v1/threads/runs", {"assistant_id": assistant["id"], "thread": {"messages": [
        {"role": "user", "content": "call:get_weather"}]}})
    thread_id = run["thread_id"]
    base = "/v1/threads/%s/runs" % thread_id
    path = "%s/%s" % (base, run["id"])
    emu.advance_clock(3)
    call = c.get(path)["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    c.post(path, {"metadata": {"x": "1"}})
    c.post(path + "/submit_tool_outputs", {"tool_outputs": [{"tool_call_id": call["id"], "output": "ok"}]})
    emu.advance_clock(6)
    step = c.get(path + "/steps")["data"][0]
    c.get("%s/steps/%s" % (path, step["id"]))
    c.get(base)
    other = c.post(base, {"assistant_id": assistant["id"],
                          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                          "response_format": {"type": "json_schema", "json_schema": {"name": "out", "schema": {}}},
                          "truncation_strategy": {"type": "auto"}})
    assert other["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    c.post("%s/%s/cancel" % (base, other["id"]))
    assert_covered(c, "runs")


# ---- streaming (not described by the spec: event names and [DONE] are checked) -----------------------
def read_events(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events, name = [], None
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            data = line[len("data: "):]
            events.append((name, data if data == "[DONE]" else json.loads(data)))
    return events


@pytest.fixture(scope="module")
def fast_emulator():
    with Emulator(run_seconds=0.3) as server:
        yield server


def _stream(emu, path, body):
    headers = {"Authorization": "Bearer %s" % emu.api_key, "OpenAI-Beta": "assistants=v2"}
    with requests.post(emu.base_url + path, json=body, headers=headers, stream=True, timeout=30) as response:
        return read_events(response)


def test_streaming_runs(fast_emulator):
    emu = fast_emulator
    headers = {"Authorization": "Bearer %s" % emu.api_key, "OpenAI-Beta": "assistants=v2"}
    assistant = requests.post(emu.base_url + "/assistants", headers=headers,
                              json={"model": "gpt-4o", "tools": [FUNCTION_TOOL]}).json()
    body = {"assistant_id": assistant["id"], "stream": True,
            "thread": {"messages": [{"role": "user", "content": "Hi"}]}}
    events = _stream(emu, "/threads/runs", body)
    names = [name for name, _data in events]
    assert names == [
        "thread.created", "thread.run.created", "thread.run.queued", "thread.run.in_progress",
        "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
        "thread.message.in_progress", "thread.message.delta", "thread.message.completed",
        "thread.run.step.completed", "thread.run.completed", "done",
    ]
    assert events[-1] == ("done", "[DONE]")
    objects = dict(events[:-1])
    assert objects["thread.run.completed"]["status"] == "completed"
    assert objects["thread.message.delta"]["object"] == "thread.message.delta"
    assert objects["thread.message.completed"]["content"][0]["text"]["value"] == "Emulated reply: Hi"
    thread_id = objects["thread.created"]["id"]

    requests.post(emu.base_url + "/threads/%s/messages" % thread_id, headers=headers,
                  json={"role": "user", "content": "call:get_weather"})
    events = _stream(emu, "/threads/%s/runs" % thread_id, {"assistant_id": assistant["id"], "stream": True})
    names = [name for name, _data in events]
    assert names == ["thread.run.created", "thread.run.queued", "thread.run.in_progress",
                     "thread.run.step.created", "thread.run.step.in_progress", "thread.run.requires_action", "done"]
    run = events[-2][1]
    call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    events = _stream(emu, "/threads/%s/runs/%s/submit_tool_outputs" % (thread_id, run["id"]),
                     {"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}], "stream": True})
    names = [name for name, _data in events]
    assert names == ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress",
                     "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
                     "thread.message.in_progress", "thread.message.delta", "thread.message.completed",
                     "thread.run.step.completed", "thread.run.completed", "done"]
    assert events[-1] == ("done", "[DONE]")


# ---- ChatKit ---------------------------------------------------------------------------------------
def test_chatkit(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    ck = "chatkit_beta=v1"
    minimal = c.post("/v1/chatkit/sessions", {"workflow": {"id": "wf_123"}, "user": "user_1"}, beta=ck)
    assert minimal["status"] == "active" and minimal["client_secret"].startswith("ek_")
    assert minimal["workflow"] == {"id": "wf_123", "version": None, "state_variables": None,
                                   "tracing": {"enabled": True}}
    assert minimal["id"].startswith("cksess_")
    full = c.post("/v1/chatkit/sessions", beta=ck, body={
        "workflow": {"id": "wf_123", "version": "3", "state_variables": {"plan": "pro", "beta": True, "n": 2.5},
                     "tracing": {"enabled": False}},
        "user": "user_2",
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "rate_limits": {"max_requests_per_1_minute": 30},
        "chatkit_configuration": {"automatic_thread_titling": {"enabled": False},
                                  "file_upload": {"enabled": True, "max_file_size": 16, "max_files": 5},
                                  "history": {"enabled": True, "recent_threads": 7}},
    })
    assert full["max_requests_per_1_minute"] == 30 and full["rate_limits"] == {"max_requests_per_1_minute": 30}
    assert full["chatkit_configuration"]["file_upload"] == {"enabled": True, "max_file_size": 16, "max_files": 5}
    cancelled = c.post("/v1/chatkit/sessions/%s/cancel" % full["id"], beta=ck, send_body=False)
    assert cancelled["status"] == "cancelled" and cancelled["id"] == full["id"]
    assert c.post("/v1/chatkit/sessions/%s/cancel" % full["id"], beta=ck, send_body=False) == cancelled

    user = "user_chatkit_spec"
    empty = c.get("/v1/chatkit/threads", {"user": user}, beta=ck)
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    bare = emu.seed_chatkit_thread(user)
    seeded = emu.seed_chatkit_thread(user, title="Demo feedback", items=[
        {"role": "user", "text": "Hello"}, {"role": "assistant", "text": "Hi! How can I help?"}])
    locked = emu.seed_chatkit_thread("someone_else", title="Locked", status={"type": "locked", "reason": "spam"})
    closed = emu.seed_chatkit_thread("someone_else", status="closed", items=[
        {"type": "chatkit.user_message", "content": [{"type": "input_text", "text": "q"},
                                                     {"type": "quoted_text", "text": "earlier"}]},
        {"type": "chatkit.assistant_message", "content": [{"type": "output_text", "text": "a", "annotations": []}]},
    ])
    assert c.get("/v1/chatkit/threads/%s" % locked["id"], beta=ck)["status"] == {"type": "locked", "reason": "spam"}
    assert c.get("/v1/chatkit/threads/%s" % closed["id"], beta=ck)["status"] == {"type": "closed", "reason": None}
    assert len(c.get("/v1/chatkit/threads/%s/items" % closed["id"], beta=ck)["data"]) == 2
    assert seeded["object"] == "chatkit.thread" and seeded["status"] == {"type": "active"}

    listed = c.get("/v1/chatkit/threads", {"user": user, "limit": 1}, beta=ck)
    assert [t["id"] for t in listed["data"]] == [seeded["id"]] and listed["has_more"] is True
    rest = c.get("/v1/chatkit/threads", {"user": user, "after": listed["last_id"]}, beta=ck)
    assert [t["id"] for t in rest["data"]] == [bare["id"]] and rest["has_more"] is False
    everyone = c.get("/v1/chatkit/threads", {"order": "asc", "limit": 100}, beta=ck)
    assert {bare["id"], seeded["id"], locked["id"]} <= {t["id"] for t in everyone["data"]}
    assert c.get("/v1/chatkit/threads/%s" % seeded["id"], beta=ck) == seeded

    no_items = c.get("/v1/chatkit/threads/%s/items" % bare["id"], beta=ck)
    assert no_items["data"] == [] and no_items["first_id"] is None
    items = c.get("/v1/chatkit/threads/%s/items" % seeded["id"], {"order": "asc"}, beta=ck)
    user_item, assistant_item = items["data"]
    assert user_item["type"] == "chatkit.user_message" and user_item["content"] == [{"type": "input_text",
                                                                                     "text": "Hello"}]
    assert assistant_item["type"] == "chatkit.assistant_message" and assistant_item["thread_id"] == seeded["id"]
    page = c.get("/v1/chatkit/threads/%s/items" % seeded["id"], {"limit": 1, "order": "asc", "before": assistant_item["id"]},
                 beta=ck)
    assert [i["id"] for i in page["data"]] == [user_item["id"]] and page["has_more"] is False

    deleted = c.delete("/v1/chatkit/threads/%s" % seeded["id"], beta=ck)
    assert deleted == {"id": seeded["id"], "object": "chatkit.thread.deleted", "deleted": True}
    assert [t["id"] for t in c.get("/v1/chatkit/threads", {"user": user}, beta=ck)["data"]] == [bare["id"]]
    assert_covered(c, "chatkit")
