"""The emulator answers in the real service's shapes (issue 12, section 2: answers recorded from api.openai.com).

One test per family, each asserting the recorded facts. Answers with status 200 go through ``SpecClient``,
so they are also checked against the spec with the documented exceptions (spec_exceptions.py) and no
other; errors, streams and headers, which the spec does not describe, are checked directly.
"""

import json
import re

import pytest
import requests

from conformance.spec_exceptions import EXCEPTIONS
from emulator.harness import Emulator

pytestmark = pytest.mark.conformance

A = "/v1/assistants"
CK = "chatkit_beta=v1"
REQUEST_ID = re.compile(r"^req_[0-9a-f]{32}$")
HEX48 = re.compile(r"^[0-9a-f]{48}$")
MESSAGE_KEYS = {"id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content", "attachments",
                "metadata"}


def _raw(emu, method, path, body=None, beta="assistants=v2", stream=False):
    headers = {"Authorization": "Bearer %s" % emu.api_key}
    if beta:
        headers["OpenAI-Beta"] = beta
    return requests.request(method, emu.base_url + path, json=body, headers=headers, timeout=30, stream=stream)


def _events(response):
    """``[(event, data)]`` of a stream, asserting the wire format: ``event:`` then one compact ``data:`` line."""
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    lines = list(response.iter_lines(decode_unicode=True))
    events = []
    for index in range(0, len(lines), 3):
        event, data, blank = (lines[index:index + 3] + ["", "", ""])[:3]
        assert event.startswith("event: ") and data.startswith("data: ") and blank == "", lines[index:index + 3]
        text = data[len("data: "):]
        if text != "[DONE]":
            assert text == json.dumps(json.loads(text), separators=(",", ":")), "not compact: " + text[:80]
            text = json.loads(text)
        events.append((event[len("event: "):], text))
    return events


def test_conversations(spec_client):
    c = spec_client
    bare = c.post("/v1/conversations", {}, beta=None)
    assert set(bare) == {"id", "object", "created_at", "metadata"} and bare["object"] == "conversation"
    assert bare["metadata"] == {} and bare["id"].startswith("conv_") and HEX48.match(bare["id"][5:])
    made = c.post("/v1/conversations", {"items": [{"role": "user", "content": "hi"}]}, beta=None)
    assert set(made) == {"id", "object", "created_at", "metadata"}  # the items are not echoed
    base = "/v1/conversations/%s/items" % made["id"]
    added = c.post(base, {"items": [{"role": "assistant", "content": "hello"}]}, beta=None)
    assert set(added) == {"object", "data", "first_id", "has_more", "last_id"} and added["object"] == "list"
    for item in c.get(base, beta=None)["data"]:
        assert set(item) == {"id", "type", "status", "content", "role"}  # no object, no created_at
    listed = c.get(base, beta=None)["data"]
    assert [item["role"] for item in listed] == ["assistant", "user"]  # newest first by default
    deleted = c.delete("/v1/conversations/%s" % made["id"], beta=None)
    assert deleted == {"id": made["id"], "object": "conversation.deleted", "deleted": True}


def test_assistants(spec_client):
    c = spec_client
    bare = c.post(A, {"model": "gpt-4o"})
    assert {key: bare[key] for key in ("name", "description", "instructions", "reasoning_effort", "tools",
                                       "tool_resources", "metadata", "response_format", "temperature", "top_p")} == {
        "name": None, "description": None, "instructions": None, "reasoning_effort": None, "tools": [],
        "tool_resources": {}, "metadata": {}, "response_format": "auto", "temperature": 1.0, "top_p": 1.0}
    tooled = c.post(A, {"model": "gpt-4o", "tools": [{"type": "function", "function": {"name": "now"}}]})
    assert tooled["tools"] == [{"type": "function", "function": {
        "name": "now", "parameters": {"type": "object", "properties": {}}, "strict": False}}]
    assert c.get("%s/%s" % (A, tooled["id"]))["tools"] == tooled["tools"]


def test_threads_tool_resources(spec_client):
    c = spec_client
    thread = c.post("/v1/threads", {})
    assert thread["tool_resources"] == {}
    path = "/v1/threads/%s" % thread["id"]
    assert c.post(path, {"metadata": {"a": "b"}})["tool_resources"] == {}
    assert c.get(path)["tool_resources"] == {"code_interpreter": {"file_ids": []}}
    searched = c.post("/v1/threads", {"tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}}})
    assert searched["tool_resources"] == {"file_search": {"vector_store_ids": ["vs_1"]}}
    assert c.get("/v1/threads/%s" % searched["id"])["tool_resources"] == {
        "code_interpreter": {"file_ids": []}, "file_search": {"vector_store_ids": ["vs_1"]}}


def test_thread_messages(spec_client):
    c = spec_client
    thread = c.post("/v1/threads", {})
    base = "/v1/threads/%s/messages" % thread["id"]
    created = c.post(base, {"role": "user", "content": [
        {"type": "text", "text": "Look"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]})
    plain = c.post(base, {"role": "user", "content": "Hello"})
    assert plain["content"] == [{"type": "text", "text": {"value": "Hello", "annotations": []}}]
    image = {"url": "https://example.com/a.png", "detail": "auto"}
    assert created["content"][1] == {"type": "image_url", "image_url": image}
    path = "%s/%s" % (base, created["id"])
    answers = [created, plain, c.get(path), c.post(path, {"metadata": {"k": "v"}})] + c.get(base)["data"]
    for message in answers:
        assert set(message) == MESSAGE_KEYS, sorted(set(message) ^ MESSAGE_KEYS)


def test_runs_and_steps(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    bare = c.post(A, {"model": "gpt-4o"})
    instructed = c.post(A, {"model": "gpt-4o", "instructions": "Be brief."})
    thread = c.post("/v1/threads", {"messages": [{"role": "user", "content": "Hi"}]})
    base = "/v1/threads/%s/runs" % thread["id"]
    run = c.post(base, {"assistant_id": bare["id"]})
    assert run["instructions"] is None and run["expires_at"] == run["created_at"] + 600
    assert run["truncation_strategy"] == {"type": "auto", "last_messages": None} and run["parallel_tool_calls"] is True
    path = "%s/%s" % (base, run["id"])
    emu.advance_clock(1.5)
    running = c.get(path)
    assert running["status"] == "in_progress" and running["expires_at"] == run["created_at"] + 600
    (step,) = c.get(path + "/steps")["data"]
    assert "metadata" not in step and "expired_at" not in step and step["expires_at"] == run["expires_at"]
    emu.advance_clock(5)
    done = c.get(path)
    assert done["status"] == "completed" and done["expires_at"] is None
    usage = done["usage"]
    assert set(usage) == {"prompt_tokens", "completion_tokens", "total_tokens", "prompt_token_details",
                          "completion_tokens_details"}
    assert usage["prompt_token_details"] == {"cached_tokens": 0}
    assert usage["completion_tokens_details"] == {"reasoning_tokens": 0}
    step = c.get("%s/steps/%s" % (path, step["id"]))
    assert step["status"] == "completed" and step["expires_at"] is None and "metadata" not in step

    second = c.post(base, {"assistant_id": instructed["id"]})
    assert second["instructions"] == "Be brief."
    cancelling = c.post("%s/%s/cancel" % (base, second["id"]))
    assert cancelling["status"] == "cancelling" and cancelling["cancelled_at"] is None


def test_a_run_with_nothing_to_answer_is_invalid_thread(spec_client):
    c = spec_client
    bare = c.post(A, {"model": "gpt-4o"})
    empty = c.post("/v1/threads", {"messages": [{"role": "assistant", "content": "I start."}]})
    expected = {"message": "Run creation requires a Thread with a user message or an assistant with instructions.",
                "type": "invalid_request_error", "param": None, "code": "invalid_thread"}
    for path, body in (("/threads/%s/runs" % empty["id"], {"assistant_id": bare["id"]}),
                       ("/threads/runs", {"assistant_id": bare["id"]})):
        response = _raw(c.emulator, "POST", path, body)
        assert response.status_code == 400 and response.json() == {"error": expected}
    # a user message, or instructions, and the run is made
    c.post("/v1/threads/%s/runs" % empty["id"], {"assistant_id": bare["id"], "instructions": "Greet."})


def test_errors_have_all_four_keys(spec_emulator):
    emu = spec_emulator
    thread = _raw(emu, "POST", "/threads", {}).json()
    unknown_step = _raw(emu, "GET", "/threads/%s/runs/run_x/steps/step_123" % thread["id"])
    assert unknown_step.status_code == 404
    for response in (_raw(emu, "GET", "/assistants/asst_nope"), _raw(emu, "POST", "/assistants", {}),
                     _raw(emu, "GET", "/nowhere"), _raw(emu, "GET", "/assistants", beta=None)):
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    assistant = _raw(emu, "POST", "/assistants", {"model": "gpt-4o", "instructions": "x"}).json()
    run = _raw(emu, "POST", "/threads/%s/runs" % thread["id"], {"assistant_id": assistant["id"]}).json()
    missing = _raw(emu, "GET", "/threads/%s/runs/%s/steps/step_123" % (thread["id"], run["id"]))
    assert missing.status_code == 404 and missing.json() == {"error": {
        "message": "No run step found with id 'step_123'.", "type": "invalid_request_error", "param": None,
        "code": None}}


def test_headers_on_every_answer(spec_emulator):
    emu = spec_emulator
    answers = [_raw(emu, "GET", "/assistants"), _raw(emu, "GET", "/assistants/asst_nope"),
               _raw(emu, "GET", "/nowhere"), _raw(emu, "POST", "/conversations", {}, beta=None)]
    for response in answers:
        assert REQUEST_ID.match(response.headers["x-request-id"])
        assert int(response.headers["openai-processing-ms"]) >= 0
        assert response.headers["content-type"] == "application/json"


@pytest.fixture(scope="module")
def fast_emulator():
    with Emulator(run_seconds=0.3) as server:
        yield server


def test_streams(fast_emulator):
    emu = fast_emulator
    assistant = _raw(emu, "POST", "/assistants", {"model": "gpt-4o"}).json()
    with _raw(emu, "POST", "/threads/runs", {"assistant_id": assistant["id"], "stream": True,
                                             "thread": {"messages": [{"role": "user", "content": "Hi"}]}},
              stream=True) as response:
        assert REQUEST_ID.match(response.headers["x-request-id"]) and "openai-processing-ms" in response.headers
        events = _events(response)
    names = [name for name, _data in events]
    assert names[0] == "thread.created" and names[-1] == "done" and events[-1][1] == "[DONE]"
    assert names[1:] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
                         "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress",
                         "thread.message.delta", "thread.message.completed", "thread.run.step.completed",
                         "thread.run.completed", "done"]
    data = dict(events[:-1])
    assert data["thread.created"]["tool_resources"] == {"code_interpreter": {"file_ids": []}}
    # the message events carry what the REST answers do not
    assert data["thread.message.completed"]["status"] == "completed"
    assert {"incomplete_details", "completed_at", "incomplete_at"} <= set(data["thread.message.completed"])
    assert data["thread.run.completed"]["instructions"] is None


def test_chatkit_sessions(spec_client):
    c = spec_client
    before = c.emulator.advance_clock(0)["now"]
    session = c.post("/v1/chatkit/sessions", {"workflow": {"id": "wf_123"}, "user": "user_1"}, beta=CK)
    after = c.emulator.advance_clock(0)["now"]
    assert set(session) == {"id", "object", "status", "chatkit_configuration", "client_secret", "expires_at",
                            "max_requests_per_1_minute", "rate_limits", "user", "workflow"}
    assert session["object"] == "chatkit.session" and session["id"].startswith("cksess_")
    assert HEX48.match(session["id"][len("cksess_"):])
    assert session["chatkit_configuration"] == {"automatic_thread_titling": {"enabled": True},
                                                "file_upload": {"enabled": False, "max_file_size": 512,
                                                                "max_files": 10},
                                                "history": {"enabled": True, "recent_threads": None}}
    assert session["max_requests_per_1_minute"] == 10 and session["rate_limits"] == {"max_requests_per_1_minute": 10}
    assert int(before) + 600 <= session["expires_at"] <= int(after) + 600
    assert session["workflow"] == {"id": "wf_123", "state_variables": None, "tracing": {"enabled": True},
                                   "version": None}


def test_an_unknown_chatkit_workflow_is_a_404():
    body = {"workflow": {"id": "wf_unknown"}, "user": "user_1"}
    with Emulator(chatkit_workflows=["wf_known"]) as emu:
        missing = _raw(emu, "POST", "/chatkit/sessions", body, beta=CK)
        assert missing.status_code == 404 and missing.json() == {"error": {
            "message": "Workflow with id 'wf_unknown' not found.", "type": "invalid_request_error", "param": None,
            "code": None}}
        assert _raw(emu, "POST", "/chatkit/sessions", dict(body, workflow={"id": "wf_known"}), beta=CK).ok
        assert emu.set_chatkit_workflows(None) is None  # any workflow exists again
        assert _raw(emu, "POST", "/chatkit/sessions", body, beta=CK).ok
        assert emu.set_chatkit_workflows([]) == []
        assert _raw(emu, "POST", "/chatkit/sessions", dict(body, workflow={"id": "wf_known"}), beta=CK).status_code == 404
        bad = requests.post(emu.admin_url + "/chatkit/workflows", json={"workflows": "wf_1"}, timeout=10)
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "workflows"


def test_every_exception_is_one_of_these_facts():
    """The list both checkers load holds exactly the schemas whose facts the tests above assert."""
    assert [exception.schema for exception in EXCEPTIONS] == ["MessageObject", "RunObject", "RunStepObject"]
