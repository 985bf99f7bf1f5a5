"""openai_thread_run and openai_thread_run_info through main(), against the emulator.

Runs progress on the emulator's clock: the shared emulator of this file finishes a run in 0.3 s; the
tests that need a run to stay active (cancel, wait_timeout) use one whose runs take 5 s.
"""

import time

import pytest

from ansible_collections.openai.beta.plugins.module_utils import thread_run, wait as wait_utils
from ansible_collections.openai.beta.plugins.module_utils.planner import Held
from ansible_collections.openai.beta.plugins.modules import (
    openai_assistant,
    openai_thread,
    openai_thread_message_info,
    openai_thread_run,
    openai_thread_run_info,
)

from emulator.harness import Emulator
from modrun import ModuleFail, run

RUNS = "POST /v1/threads/{thread_id}/runs"
RUN = "POST /v1/threads/{thread_id}/runs/{run_id}"
GET_RUN = "GET /v1/threads/{thread_id}/runs/{run_id}"
SUBMIT = "POST /v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"
CANCEL = "POST /v1/threads/{thread_id}/runs/{run_id}/cancel"
WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                                 "parameters": {"type": "object",
                                                                "properties": {"city": {"type": "string"}}}}}
QUESTION = "What is the weather in Oslo?"
CALLING = 'Weather please: call:get_weather{"city": "Oslo"}'


def _start(emulator):
    emulator.conn = {"api_key": emulator.api_key, "base_url": emulator.base_url}
    return emulator


@pytest.fixture(scope="module")
def server():
    with Emulator(run_seconds=0.3) as emulator:
        yield _start(emulator)


@pytest.fixture(scope="module")
def slow_server():
    with Emulator(run_seconds=5) as emulator:
        yield _start(emulator)


class Story:
    """An emptied emulator with an assistant (with a function tool) and a thread holding one question."""

    def __init__(self, emulator, content=QUESTION):
        emulator.reset(state=True)
        self.emulator = emulator
        self.conn = emulator.conn
        self.assistant_id = run(openai_assistant.main, dict(self.conn, name="helper", model="gpt-4o",
                                                            tools=[WEATHER_TOOL]))["assistant"]["id"]
        self.thread_id = run(openai_thread.main, dict(self.conn, messages=[{"role": "user", "content": content}]
                                                      ))["thread"]["id"]
        emulator.reset()

    def run(self, check_mode=False, diff=False, **args):
        args.setdefault("assistant_id", self.assistant_id)
        args.setdefault("wait_timeout", 30)
        return run(openai_thread_run.main, dict(self.conn, thread_id=self.thread_id, **args),
                   check_mode=check_mode, diff=diff)

    def by_id(self, run_id, check_mode=False, diff=False, **args):
        """The task form that names the run (no assistant_id)."""
        args.setdefault("wait_timeout", 30)
        return run(openai_thread_run.main, dict(self.conn, thread_id=self.thread_id, run_id=run_id, **args),
                   check_mode=check_mode, diff=diff)

    def info(self, **args):
        result = run(openai_thread_run_info.main, dict(self.conn, thread_id=self.thread_id, **args))
        assert result["changed"] is False
        return result["runs"]

    def stats(self):
        return self.emulator.stats()

    def requests(self, key):
        return self.stats()["requests"].get(key, 0)


@pytest.fixture
def story(server):
    return Story(server)


@pytest.fixture
def calling(server):
    """A thread whose question makes a run call get_weather."""
    return Story(server, content=CALLING)


@pytest.fixture
def slow(slow_server):
    return Story(slow_server)


def tool_calls(started):
    return started["required_action"]["submit_tool_outputs"]["tool_calls"]


# ---- starting and identity -----------------------------------------------------------------------
def test_check_mode_start_sends_no_write(story):
    result = story.run(check_mode=True, metadata={"purpose": "summary"}, wait=True, model="gpt-4o-mini")
    assert result["changed"] is True
    would_be = result["run"]
    assert would_be["id"] is None and would_be["status"] == "queued"
    assert would_be["thread_id"] == story.thread_id and would_be["assistant_id"] == story.assistant_id
    assert would_be["metadata"] == {"purpose": "summary"} and would_be["model"] == "gpt-4o-mini"
    assert story.stats()["writes"] == 0
    assert story.info() == []


def test_start_with_metadata_and_wait_then_same_task_is_not_a_change(story):
    first = story.run(metadata={"purpose": "summary"}, wait=True)
    started = first["run"]
    assert first["changed"] is True
    assert started["id"].startswith("run_") and started["status"] == "completed"
    assert started["metadata"] == {"purpose": "summary"} and started["usage"]["total_tokens"] > 0
    assert story.requests(RUNS) == 1
    story.emulator.reset()
    again = story.run(metadata={"purpose": "summary"}, wait=True)
    assert again["changed"] is False
    assert again["run"]["id"] == started["id"] and again["run"]["status"] == "completed"
    assert story.requests(RUNS) == 0 and story.stats()["writes"] == 0
    assert [found["id"] for found in story.info()] == [started["id"]]


def test_other_metadata_starts_another_run(story):
    one = story.run(metadata={"purpose": "a"}, wait=True)["run"]
    other = story.run(metadata={"purpose": "b"}, wait=True)
    assert other["changed"] is True and other["run"]["id"] != one["id"]
    assert story.requests(RUNS) == 2


def test_without_metadata_every_present_starts_a_run(story):
    first = story.run(wait=True)
    second = story.run(wait=True)
    assert first["changed"] is True and second["changed"] is True
    assert first["run"]["id"] != second["run"]["id"]
    assert first["run"]["status"] == second["run"]["status"] == "completed"
    assert story.requests(RUNS) == 2
    assert len(story.info()) == 2


def test_run_options_are_sent(story):
    started = story.run(metadata={"purpose": "options"}, model="gpt-4o-mini", instructions="Be brief.",
                        temperature=0.5, top_p=0.9, max_completion_tokens=512, tool_choice="none",
                        truncation_strategy={"type": "last_messages", "last_messages": 5},
                        additional_messages=[{"role": "user", "content": "And tomorrow?"}], wait=True)["run"]
    assert started["status"] == "completed"
    assert (started["model"], started["instructions"], started["temperature"], started["top_p"]) == (
        "gpt-4o-mini", "Be brief.", 0.5, 0.9)
    assert started["max_completion_tokens"] == 512 and started["tool_choice"] == "none"
    assert started["truncation_strategy"] == {"type": "last_messages", "last_messages": 5}
    # the same task again finds it: the echoed options match, additional_messages is not compared
    story.emulator.reset()
    again = story.run(metadata={"purpose": "options"}, model="gpt-4o-mini", instructions="Be brief.",
                      temperature=0.5, top_p=0.9, max_completion_tokens=512, tool_choice="none",
                      truncation_strategy={"type": "last_messages", "last_messages": 5},
                      additional_messages=[{"role": "user", "content": "And tomorrow?"}], wait=True)
    assert again["changed"] is False and again["run"]["id"] == started["id"]
    assert story.stats()["writes"] == 0


def test_other_model_on_the_run_found_by_metadata_fails_naming_it(story):
    started = story.run(metadata={"purpose": "summary"}, wait=True)["run"]
    story.emulator.reset()
    with pytest.raises(ModuleFail) as failed:
        story.run(metadata={"purpose": "summary"}, model="gpt-4o-mini", temperature=0.1, wait=True)
    msg = failed.value.result["msg"]
    assert msg.startswith("model, temperature of an existing run cannot be changed")
    assert started["id"] in msg
    assert story.stats()["writes"] == 0


def test_other_model_on_the_run_given_by_id_fails_naming_it(story):
    started = story.run(metadata={"purpose": "summary"}, wait=True)["run"]
    story.emulator.reset()
    with pytest.raises(ModuleFail, match="^model of an existing run cannot be changed"):
        story.by_id(started["id"], model="gpt-4o-mini")
    assert story.stats()["writes"] == 0


def test_two_runs_matching_the_metadata_are_an_error_listing_both(story):
    one = story.run(metadata={"batch": "1", "n": "1"}, wait=True)["run"]["id"]
    two = story.run(metadata={"batch": "1", "n": "2"}, wait=True)["run"]["id"]
    story.emulator.reset()
    with pytest.raises(ModuleFail) as failed:
        story.run(metadata={"batch": "1"}, wait=True)
    msg = failed.value.result["msg"]
    assert one in msg and two in msg and "set run_id" in msg
    assert story.stats()["writes"] == 0


def test_metadata_update_in_place(story):
    started = story.run(metadata={"purpose": "summary"}, wait=True)["run"]
    story.emulator.reset()
    result = run(openai_thread_run.main, dict(story.conn, thread_id=story.thread_id, run_id=started["id"],
                                              metadata={"purpose": "summary", "reviewed": "yes"}), diff=True)
    assert result["changed"] is True and result["run"]["id"] == started["id"]
    assert result["run"]["metadata"] == {"purpose": "summary", "reviewed": "yes"}
    assert result["diff"] == {"before": {"metadata": {"purpose": "summary"}},
                              "after": {"metadata": {"purpose": "summary", "reviewed": "yes"}}}
    assert story.stats()["requests"] == {GET_RUN: 1, RUN: 1}
    story.emulator.reset()
    again = story.by_id(started["id"], metadata={"purpose": "summary", "reviewed": "yes"})
    assert again["changed"] is False and story.stats()["writes"] == 0
    # found by a part of its metadata, without purge_metadata the run is left as it is
    found = story.run(metadata={"reviewed": "yes"}, purge_metadata=False)
    assert found["changed"] is False and found["run"]["id"] == started["id"]
    assert story.stats()["writes"] == 0


def test_check_mode_metadata_update_sends_no_write(story):
    started = story.run(metadata={"purpose": "summary"}, wait=True)["run"]
    story.emulator.reset()
    result = run(openai_thread_run.main, dict(story.conn, thread_id=story.thread_id, run_id=started["id"],
                                              metadata={"purpose": "other"}), check_mode=True)
    assert result["changed"] is True and result["run"]["metadata"] == {"purpose": "other"}
    assert story.stats()["writes"] == 0


def test_unknown_run_id_is_an_error_on_present(story):
    with pytest.raises(ModuleFail, match="run run_doesnotexist was not found; omit run_id"):
        story.by_id("run_doesnotexist", wait=True)
    assert story.stats()["writes"] == 0


def test_starting_needs_an_assistant(story):
    with pytest.raises(ModuleFail, match="assistant_id is required to start a run"):
        run(openai_thread_run.main, dict(story.conn, thread_id=story.thread_id, metadata={"purpose": "x"}))
    assert story.stats()["writes"] == 0


# ---- requires_action and tool outputs ------------------------------------------------------------
def test_requires_action_then_tool_outputs_complete_the_run(calling):
    first = calling.run(metadata={"purpose": "weather"}, wait=True)
    paused = first["run"]
    assert first["changed"] is True and paused["status"] == "requires_action"
    calls = tool_calls(paused)
    assert [(call["type"], call["function"]["name"], call["function"]["arguments"]) for call in calls] == [
        ("function", "get_weather", '{"city": "Oslo"}')]
    assert calls[0]["id"].startswith("call_")
    # the same task again: the run is found, it still waits for outputs, nothing is sent
    calling.emulator.reset()
    again = calling.run(metadata={"purpose": "weather"}, wait=True)
    assert again["changed"] is False and again["run"]["status"] == "requires_action"
    assert calling.stats()["writes"] == 0
    # answer it, and wait for the end
    outputs = [{"tool_call_id": calls[0]["id"], "output": '{"temp_c": 21}'}]
    answered = calling.by_id(paused["id"], tool_outputs=outputs, wait=True)
    assert answered["changed"] is True
    assert answered["run"]["id"] == paused["id"] and answered["run"]["status"] == "completed"
    assert answered["run"]["required_action"] is None
    assert calling.requests(SUBMIT) == 1 and calling.requests(RUNS) == 0
    # the same task again is not a change: the outputs are ignored once the run no longer needs them
    calling.emulator.reset()
    repeat = calling.by_id(paused["id"], tool_outputs=outputs, wait=True)
    assert repeat["changed"] is False and repeat["run"]["status"] == "completed"
    assert calling.stats()["writes"] == 0


def test_tool_outputs_on_the_run_found_by_metadata(calling):
    paused = calling.run(metadata={"purpose": "weather"}, wait=True)["run"]
    outputs = [{"tool_call_id": tool_calls(paused)[0]["id"], "output": "21 C"}]
    answered = calling.run(metadata={"purpose": "weather"}, tool_outputs=outputs, wait=True)
    assert answered["changed"] is True and answered["run"]["status"] == "completed"
    assert answered["run"]["id"] == paused["id"]
    calling.emulator.reset()
    assert calling.run(metadata={"purpose": "weather"}, tool_outputs=outputs, wait=True)["changed"] is False
    assert calling.stats()["writes"] == 0


def test_check_mode_tool_outputs_send_no_write(calling):
    paused = calling.run(metadata={"purpose": "weather"}, wait=True)["run"]
    calling.emulator.reset()
    outputs = [{"tool_call_id": tool_calls(paused)[0]["id"], "output": "21 C"}]
    result = run(openai_thread_run.main, dict(calling.conn, thread_id=calling.thread_id, run_id=paused["id"],
                                              tool_outputs=outputs, wait=True), check_mode=True)
    assert result["changed"] is True and result["run"]["status"] == "queued"
    assert calling.stats()["writes"] == 0
    assert calling.info(run_id=paused["id"])[0]["status"] == "requires_action"


def test_a_missing_tool_output_is_an_error_before_any_write(calling):
    paused = calling.run(metadata={"purpose": "weather"}, wait=True)["run"]
    call_id = tool_calls(paused)[0]["id"]
    calling.emulator.reset()
    with pytest.raises(ModuleFail) as failed:
        calling.by_id(paused["id"], tool_outputs=[{"tool_call_id": "call_other", "output": "x"}], wait=True)
    assert failed.value.result["msg"] == "tool_outputs has no output for tool call(s) %s of run %s" % (
        call_id, paused["id"])
    assert calling.stats()["writes"] == 0
    # not even a metadata change of the same task is sent
    with pytest.raises(ModuleFail, match="tool_outputs has no output for tool call"):
        calling.by_id(paused["id"], tool_outputs=[], metadata={"purpose": "weather", "answered": "no"})
    assert calling.stats()["writes"] == 0
    assert calling.info(run_id=paused["id"])[0]["metadata"] == {"purpose": "weather"}


# ---- waiting -------------------------------------------------------------------------------------
def test_wait_timeout_fails_with_the_last_status_and_returns_the_run(slow):
    started = time.monotonic()
    with pytest.raises(ModuleFail) as failed:
        slow.run(metadata={"purpose": "slow"}, wait=True, wait_timeout=0.5)
    elapsed = time.monotonic() - started
    result = failed.value.result
    last = result["run"]
    assert last["id"].startswith("run_") and last["status"] == "queued"  # queued for the first 1 s of 5
    assert result["msg"] == ("run %s did not finish within wait_timeout=0.5s; its last status was %s"
                             % (last["id"], last["status"]))
    assert elapsed < 3
    assert slow.requests(RUNS) == 1
    # the run was started: the same task finds it rather than starting another
    slow.emulator.reset()
    found = slow.run(metadata={"purpose": "slow"})
    assert found["changed"] is False and found["run"]["id"] == last["id"]
    assert slow.stats()["writes"] == 0


def test_wait_returns_soon_after_the_run_completes(monkeypatch):
    """The module polls at the pace of openai-poll-after-ms: it returns within a poll of the end.

    The fallback interval is made long, so that a waiter that ignored the server's hint would overshoot.
    """
    monkeypatch.setattr(wait_utils, "DEFAULT_INTERVAL", 5.0)
    run_seconds = 1.0
    with Emulator(run_seconds=run_seconds) as emulator:
        story = Story(_start(emulator))
        started = time.monotonic()
        result = story.run(metadata={"purpose": "pace"}, wait=True)
        elapsed = time.monotonic() - started
        assert result["run"]["status"] == "completed"
        assert run_seconds * 0.9 <= elapsed < run_seconds + 1.5
        # queued -> in_progress -> completed: a handful of polls, not a busy loop
        assert 2 <= story.requests(GET_RUN) <= 6


def test_stream_returns_the_completed_run_without_polling(story):
    result = story.run(metadata={"purpose": "stream"}, stream=True, wait=True)
    assert result["changed"] is True
    streamed = result["run"]
    assert streamed["id"].startswith("run_") and streamed["status"] == "completed"
    assert streamed["metadata"] == {"purpose": "stream"} and streamed["usage"]["total_tokens"] > 0
    assert story.requests(RUNS) == 1 and story.requests(GET_RUN) == 0
    assert story.info(run_id=streamed["id"])[0]["status"] == "completed"
    story.emulator.reset()
    again = story.run(metadata={"purpose": "stream"}, stream=True, wait=True)
    assert again["changed"] is False and again["run"]["id"] == streamed["id"]
    assert story.stats()["writes"] == 0


def test_stream_with_tool_outputs(calling):
    paused = calling.run(metadata={"purpose": "weather"}, stream=True)["run"]
    assert paused["status"] == "requires_action"
    outputs = [{"tool_call_id": tool_calls(paused)[0]["id"], "output": "21 C"}]
    answered = calling.by_id(paused["id"], tool_outputs=outputs, stream=True)
    assert answered["changed"] is True and answered["run"]["status"] == "completed"
    assert calling.requests(SUBMIT) == 1 and calling.requests(GET_RUN) == 1  # the read of run_id only


@pytest.mark.parametrize("kind,submits", [("drop_after", 1), ("drop_before", 2)])
@pytest.mark.parametrize("stream", [False, True])
def test_tool_outputs_whose_answer_was_lost_are_looked_for_before_sending_again(calling, kind, submits, stream):
    paused = calling.run(metadata={"purpose": "weather"}, wait=True)["run"]
    outputs = [{"tool_call_id": tool_calls(paused)[0]["id"], "output": "21 C"}]
    calling.emulator.reset()
    calling.emulator.set_faults(1.0, kinds=[kind], requests=[SUBMIT], count=1)
    answered = calling.by_id(paused["id"], tool_outputs=outputs, wait=True, stream=stream)
    assert answered["changed"] is True and answered["run"]["status"] == "completed"
    # sent once more only when the run still waited for the outputs (a second submit would be a 400)
    assert calling.requests(SUBMIT) == submits
    assert calling.stats()["faults"] == {kind: 1}


# ---- absent: cancel ------------------------------------------------------------------------------
def test_cancel_whose_answer_was_lost_is_a_change_and_is_not_sent_again(slow):
    started = slow.run(metadata={"purpose": "cancel"})["run"]
    slow.emulator.reset()
    slow.emulator.set_faults(1.0, kinds=["drop_after"], requests=[CANCEL], count=1)
    cancelled = slow.by_id(started["id"], state="absent")
    assert cancelled["changed"] is True and cancelled["run"]["status"] == "cancelling"
    assert slow.requests(CANCEL) == 1  # the run was read instead: it was cancelling already
    assert slow.stats()["faults"] == {"drop_after": 1}


def test_absent_cancels_an_active_run(slow):
    started = slow.run(metadata={"purpose": "cancel"})["run"]
    assert started["status"] == "queued"
    slow.emulator.reset()
    checked = run(openai_thread_run.main, dict(slow.conn, thread_id=slow.thread_id, run_id=started["id"],
                                               state="absent"), check_mode=True)
    assert checked["changed"] is True and checked["run"]["status"] == "cancelling"
    assert slow.stats()["writes"] == 0
    cancelled = slow.by_id(started["id"], state="absent")
    assert cancelled["changed"] is True and cancelled["run"]["id"] == started["id"]
    assert cancelled["run"]["status"] == "cancelling"
    assert slow.requests(CANCEL) == 1
    assert slow.info(run_id=started["id"])[0]["status"] == "cancelling"
    # asked again while it is cancelling: nothing more to do
    again = slow.by_id(started["id"], state="absent")
    assert again["changed"] is False and again["run"]["status"] == "cancelling"
    assert slow.requests(CANCEL) == 1


def test_absent_finds_the_run_by_metadata_cancels_and_waits(slow):
    started = slow.run(metadata={"purpose": "cancel"})["run"]
    slow.emulator.reset()
    cancelled = slow.run(metadata={"purpose": "cancel"}, state="absent", wait=True)
    assert cancelled["changed"] is True and cancelled["run"]["id"] == started["id"]
    assert cancelled["run"]["status"] == "cancelled"
    assert slow.requests(CANCEL) == 1
    again = slow.run(metadata={"purpose": "cancel"}, state="absent", wait=True)
    assert again["changed"] is False and again["run"]["status"] == "cancelled"
    assert slow.requests(CANCEL) == 1


def test_absent_cancels_a_run_that_requires_action(calling):
    paused = calling.run(metadata={"purpose": "weather"}, wait=True)["run"]
    assert paused["status"] == "requires_action"
    cancelled = calling.by_id(paused["id"], state="absent", wait=True)
    assert cancelled["changed"] is True and cancelled["run"]["status"] == "cancelled"
    assert cancelled["run"]["required_action"] is None


def test_absent_on_a_finished_run_is_not_a_change(story):
    started = story.run(metadata={"purpose": "done"}, wait=True)["run"]
    story.emulator.reset()
    result = story.by_id(started["id"], state="absent", wait=True)
    assert result["changed"] is False and result["run"]["status"] == "completed"
    result = story.run(metadata={"purpose": "done"}, state="absent")
    assert result["changed"] is False and result["run"]["id"] == started["id"]
    assert story.stats()["writes"] == 0


def test_absent_without_a_matching_run_is_not_a_change(story):
    result = story.run(metadata={"purpose": "never"}, state="absent")
    assert result["changed"] is False and result["run"] is None
    result = story.by_id("run_doesnotexist", state="absent")
    assert result["changed"] is False and result["run"] is None
    assert story.stats()["writes"] == 0


def test_absent_needs_an_id_or_metadata(story):
    with pytest.raises(ModuleFail, match="state=absent needs run_id, or metadata"):
        story.run(state="absent")
    assert story.stats()["total"] == 0


# ---- input checks --------------------------------------------------------------------------------
@pytest.mark.parametrize("args,fragment", [
    ({"temperature": 2.5}, "temperature"),
    ({"top_p": 1.5}, "top_p"),
    ({"max_prompt_tokens": 100}, "max_prompt_tokens must be at least 256, got 100"),
    ({"truncation_strategy": {"type": "last_messages", "last_messages": 0}}, "truncation_strategy.last_messages"),
    ({"tool_choice": "sometimes"}, "tool_choice must be none, auto, required"),
    ({"tool_choice": {"type": "function"}}, "tool_choice.function.name is required"),
    ({"wait_timeout": 0}, "wait_timeout must be greater than 0"),
    ({"tools": [{"type": "browser"}]}, "tools[0].type must be one of"),
    ({"additional_messages": [{"role": "user", "content": ""}]}, "additional_messages[0].content must not be empty"),
    ({"assistant_id": "asst/../x"}, "assistant_id must be an id"),
    ({"run_id": "run x"}, "run_id must be an id"),
])
def test_bad_input_fails_before_any_request(story, args, fragment):
    with pytest.raises(ModuleFail) as failed:
        story.run(**args)
    assert fragment in failed.value.result["msg"]
    assert story.stats()["total"] == 0


# ---- openai_thread_run_info ----------------------------------------------------------------------
def test_info_by_id_list_and_missing_id(story):
    one = story.run(metadata={"n": "1"}, wait=True)["run"]
    two = story.run(metadata={"n": "2"}, wait=True)["run"]
    story.emulator.reset()
    assert [found["id"] for found in story.info()] == [two["id"], one["id"]]
    assert [found["id"] for found in story.info(order="asc")] == [one["id"], two["id"]]
    assert [found["id"] for found in story.info(order="asc", max_items=1)] == [one["id"]]
    assert [found["id"] for found in story.info(order="asc", after=one["id"])] == [two["id"]]
    by_id = story.info(run_id=one["id"])
    assert len(by_id) == 1 and by_id[0]["id"] == one["id"] and by_id[0]["metadata"] == {"n": "1"}
    assert by_id[0]["status"] == "completed" and by_id[0]["assistant_id"] == story.assistant_id
    assert story.info(run_id="run_doesnotexist") == []
    assert story.stats()["writes"] == 0


def test_absent_on_a_run_that_finished_after_it_was_read_is_not_an_error(story, monkeypatch):
    # The run finishes between the module's read and its cancel: the API refuses the cancel (400).
    finished = story.run(metadata={"purpose": "race"}, wait=True)["run"]
    assert finished["status"] == "completed"
    stale = dict(finished, status="in_progress")
    monkeypatch.setattr(thread_run.FAMILY, "read", lambda reader, wish: Held(stale))
    story.emulator.reset()
    result = story.by_id(finished["id"], state="absent")
    assert result["changed"] is False and result["run"]["status"] == "completed"
    assert story.requests(CANCEL) == 1


@pytest.mark.parametrize("limit,reason,reply_words", [("max_completion_tokens", "max_completion_tokens", 256),
                                                      ("max_prompt_tokens", "max_prompt_tokens", 0)])
@pytest.mark.parametrize("stream", [False, True])
def test_a_run_over_a_token_limit_ends_incomplete_and_the_wait_returns_it(server, limit, reason, reply_words, stream):
    story = Story(server, content=" ".join(["word"] * 300))
    ended = story.run(metadata={"purpose": "long"}, wait=True, stream=stream, **{limit: 256})
    assert ended["run"]["status"] == "incomplete"
    assert ended["run"]["incomplete_details"] == {"reason": reason}
    (reply,) = run(openai_thread_message_info.main, dict(story.conn, thread_id=story.thread_id,
                                                         run_id=ended["run"]["id"]))["messages"]
    assert reply["status"] == "incomplete" and reply["incomplete_details"] == {"reason": "max_tokens"}
    assert sum(len(part["text"]["value"].split()) for part in reply["content"]) == reply_words
    # the run is found again, finished: nothing more to do
    assert story.run(metadata={"purpose": "long"}, wait=True, **{limit: 256})["changed"] is False
