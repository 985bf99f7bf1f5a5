"""openai_thread_run_step_info through main(), against the emulator (runs finish in 0.3 s)."""

import pytest

from ansible_collections.openai.beta.plugins.module_utils.limits import RUN_INCLUDE_VALUES as INCLUDE_VALUES
from ansible_collections.openai.beta.plugins.modules import (
    openai_assistant,
    openai_thread,
    openai_thread_message_info,
    openai_thread_run,
    openai_thread_run_step_info,
)

from emulator.harness import Emulator
from modrun import ModuleFail, run

WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
STEPS = "GET /v1/threads/{thread_id}/runs/{run_id}/steps"
STEP = "GET /v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}"


@pytest.fixture(scope="module")
def server():
    with Emulator(run_seconds=0.3) as emulator:
        emulator.conn = {"api_key": emulator.api_key, "base_url": emulator.base_url}
        yield emulator


@pytest.fixture
def api(server):
    server.reset(state=True)
    return server


def finished_run(api, content, outputs=None):
    """(thread_id, run) of a run of an assistant with a function tool on a thread asking `content`."""
    assistant_id = run(openai_assistant.main, dict(api.conn, name="helper", model="gpt-4o",
                                                   tools=[WEATHER_TOOL]))["assistant"]["id"]
    thread_id = run(openai_thread.main, dict(api.conn, messages=[{"role": "user", "content": content}]))["thread"]["id"]
    started = run(openai_thread_run.main, dict(api.conn, thread_id=thread_id, assistant_id=assistant_id,
                                               metadata={"purpose": "steps"}, wait=True, wait_timeout=30))["run"]
    if outputs is not None:
        calls = started["required_action"]["submit_tool_outputs"]["tool_calls"]
        started = run(openai_thread_run.main, dict(
            api.conn, thread_id=thread_id, run_id=started["id"], wait=True, wait_timeout=30,
            tool_outputs=[{"tool_call_id": call["id"], "output": outputs} for call in calls]))["run"]
    assert started["status"] == "completed"
    api.reset()
    return thread_id, started


def steps(api, thread_id, run_id, **args):
    result = run(openai_thread_run_step_info.main, dict(api.conn, thread_id=thread_id, run_id=run_id, **args))
    assert result["changed"] is False
    return result["steps"]


def test_steps_of_a_completed_run(api):
    thread_id, done = finished_run(api, "Hello there")
    found = steps(api, thread_id, done["id"])
    assert len(found) == 1
    step = found[0]
    assert step["id"].startswith("step_") and step["object"] == "thread.run.step"
    assert (step["type"], step["status"], step["run_id"], step["thread_id"]) == (
        "message_creation", "completed", done["id"], thread_id)
    reply = run(openai_thread_message_info.main, dict(api.conn, thread_id=thread_id, run_id=done["id"]))["messages"]
    assert step["step_details"] == {"type": "message_creation",
                                    "message_creation": {"message_id": reply[0]["id"]}}
    assert api.stats()["requests"][STEPS] == 1 and api.stats()["writes"] == 0


def test_steps_of_a_function_run(api):
    thread_id, done = finished_run(api, "call:get_weather", outputs="21 C")
    found = steps(api, thread_id, done["id"], order="asc")
    assert [(step["type"], step["status"]) for step in found] == [("tool_calls", "completed"),
                                                                  ("message_creation", "completed")]
    calls = found[0]["step_details"]["tool_calls"]
    assert [(call["type"], call["function"]["name"], call["function"]["output"]) for call in calls] == [
        ("function", "get_weather", "21 C")]
    newest_first = steps(api, thread_id, done["id"])
    assert [step["id"] for step in newest_first] == [step["id"] for step in found][::-1]
    assert [step["id"] for step in steps(api, thread_id, done["id"], order="asc", max_items=1)] == [found[0]["id"]]
    assert [step["id"] for step in steps(api, thread_id, done["id"], order="asc", after=found[0]["id"])] == [
        found[1]["id"]]


def test_step_by_id_with_include_and_missing_id(api):
    thread_id, done = finished_run(api, "call:get_weather", outputs="21 C")
    listed = steps(api, thread_id, done["id"], order="asc")
    by_id = steps(api, thread_id, done["id"], step_id=listed[0]["id"])
    assert by_id == [listed[0]]
    with_include = steps(api, thread_id, done["id"], step_id=listed[1]["id"], include=INCLUDE_VALUES)
    assert with_include == [listed[1]]
    assert steps(api, thread_id, done["id"], include=INCLUDE_VALUES, order="asc") == listed
    assert steps(api, thread_id, done["id"], step_id="step_doesnotexist") == []
    assert api.stats()["requests"][STEP] == 3 and api.stats()["writes"] == 0


def test_include_is_checked_before_any_request(api):
    with pytest.raises(ModuleFail, match="include"):
        steps(api, "thread_x", "run_x", include=["step_details.everything"])
    assert api.stats()["total"] == 0


def test_steps_of_an_unknown_run_fail_with_the_api_error(api):
    thread_id, run = finished_run(api, "Hello")
    with pytest.raises(ModuleFail) as failed:
        steps(api, thread_id, "run_doesnotexist")
    assert failed.value.result["error"]["status"] == 404 and "run_doesnotexist" in failed.value.result["msg"]
