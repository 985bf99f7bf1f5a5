"""module_utils.wait (on a fake clock) and module_utils.sse (event-stream parsing): pure unit tests."""

import json

import pytest

from ansible_collections.openai.beta.plugins.module_utils import sse, validate
from ansible_collections.openai.beta.plugins.module_utils.client import poll_after_seconds
from ansible_collections.openai.beta.plugins.module_utils.thread_run import last_run
from ansible_collections.openai.beta.plugins.module_utils.wait import (
    DEFAULT_INTERVAL,
    MAX_INTERVAL,
    WaitTimeout,
    wait_for,
)


class FakeClock:
    """A monotonic clock that only moves when slept on (or when a fetch takes time)."""

    def __init__(self, start=1000.0):
        self.now = start
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.slept.append(seconds)
        self.now += seconds


class Server:
    """fetch(): the statuses in order (the last one repeats), each answer with a poll hint and a latency."""

    def __init__(self, clock, statuses, hint=None, latency=0.0):
        self.clock = clock
        self.statuses = list(statuses)
        self.hint = hint
        self.latency = latency
        self.fetched = []

    def fetch(self):
        self.clock.now += self.latency
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        obj = {"n": len(self.fetched) + 1, "status": status}
        self.fetched.append((self.clock.now, obj))
        return obj, self.hint


def completed(obj):
    return obj["status"] == "completed"


def wait(clock, server, timeout):
    return wait_for(server.fetch, completed, timeout, clock=clock, sleep=clock.sleep)


# ---- wait_for ------------------------------------------------------------------------------------
def test_done_at_once_does_not_sleep():
    clock = FakeClock()
    server = Server(clock, ["completed"])
    assert wait(clock, server, 10) == {"n": 1, "status": "completed"}
    assert clock.slept == [] and len(server.fetched) == 1


def test_polls_until_done_at_the_default_interval_without_a_hint():
    clock = FakeClock()
    server = Server(clock, ["queued", "in_progress", "completed"])
    assert wait(clock, server, 10) == {"n": 3, "status": "completed"}
    assert clock.slept == [DEFAULT_INTERVAL, DEFAULT_INTERVAL]


def test_the_server_hint_is_honoured():
    clock = FakeClock()
    server = Server(clock, ["queued", "in_progress", "in_progress", "completed"], hint=0.25)
    assert wait(clock, server, 10)["n"] == 4
    assert clock.slept == [0.25, 0.25, 0.25]


def test_a_long_hint_is_capped():
    clock = FakeClock()
    server = Server(clock, ["queued", "completed"], hint=3600.0)
    wait(clock, server, 1000)
    assert clock.slept == [MAX_INTERVAL]


@pytest.mark.parametrize("hint", [-5.0, 0.0])
def test_a_zero_or_negative_hint_waits_the_minimum_not_a_busy_loop(hint):
    clock = FakeClock()
    server = Server(clock, ["queued", "completed"], hint=hint)
    wait(clock, server, 10)
    assert clock.slept == [0.05]


def test_timeout_raises_with_the_last_object_seen():
    clock = FakeClock()
    server = Server(clock, ["queued", "in_progress"])
    with pytest.raises(WaitTimeout) as timed_out:
        wait(clock, server, 2.5)
    assert timed_out.value.last == server.fetched[-1][1]
    assert timed_out.value.last["status"] == "in_progress"
    assert timed_out.value.waited == pytest.approx(2.5)
    assert "gave up after 2.5s" in str(timed_out.value)
    # sleeps never run past the deadline, and the last poll happens at the deadline
    assert clock.slept == [1.0, 1.0, 0.5]
    assert [when for when, answer in server.fetched] == [1000.0, 1001.0, 1002.0, 1002.5]


@pytest.mark.parametrize("hint,timeout", [(None, 0.3), (0.7, 2.0), (4.0, 9.0), (30.0, 12.5), (0.2, 0.05)])
def test_sleeps_never_exceed_the_remaining_time(hint, timeout):
    clock = FakeClock()
    server = Server(clock, ["in_progress"], hint=hint, latency=0.01)
    start = clock.now
    with pytest.raises(WaitTimeout) as timed_out:
        wait(clock, server, timeout)
    deadline = start + timeout
    for (fetched_at, answer), slept in zip(server.fetched, clock.slept):
        assert slept <= deadline - fetched_at + 1e-9
    assert sum(clock.slept) <= timeout + 1e-9
    # it gives up on the first answer that comes after the deadline, not later
    assert server.fetched[-2][0] < deadline <= server.fetched[-1][0] + 1e-9
    assert timed_out.value.waited == pytest.approx(clock.now - start)


def test_a_slow_fetch_counts_against_the_timeout():
    clock = FakeClock()
    server = Server(clock, ["in_progress"], hint=0.1, latency=2.0)
    with pytest.raises(WaitTimeout) as timed_out:
        wait(clock, server, 3.0)
    assert len(server.fetched) == 2 and clock.slept == [0.1]
    assert timed_out.value.waited == pytest.approx(4.1)


def test_done_on_the_last_poll_is_not_a_timeout():
    clock = FakeClock()
    server = Server(clock, ["queued", "queued", "completed"])
    assert wait(clock, server, 1.5)["status"] == "completed"
    assert clock.slept == [1.0, 0.5]


@pytest.mark.parametrize("headers,seconds", [
    ({"openai-poll-after-ms": "250"}, 0.25),
    ({"openai-poll-after-ms": "1000"}, 1.0),
    ({"openai-poll-after-ms": "soon"}, None),
    ({"openai-poll-after-ms": ""}, None),
    ({}, None),
    (None, None),
])
def test_poll_after_seconds_reads_the_header(headers, seconds):
    assert poll_after_seconds(headers) == seconds


# ---- sse.events ----------------------------------------------------------------------------------
def stream(text):
    """The lines of a text/event-stream as requests' iter_lines() yields them: bytes, no line ends."""
    return [line.encode("utf-8") for line in text.split("\n")]


def test_events_with_names_and_json_data():
    text = ('event: thread.run.created\ndata: {"id": "run_1", "status": "queued"}\n\n'
            'event: thread.run.completed\ndata: {"id": "run_1", "status": "completed"}\n\n'
            'event: done\ndata: [DONE]\n\n')
    assert list(sse.events(stream(text))) == [
        ("thread.run.created", {"id": "run_1", "status": "queued"}),
        ("thread.run.completed", {"id": "run_1", "status": "completed"}),
    ]


def test_multi_line_data_is_joined_with_newlines():
    payload = json.dumps({"id": "msg_1", "text": "a\nb"}, indent=2)
    text = "event: thread.message.completed\n" + "".join("data: %s\n" % line for line in payload.split("\n")) + "\n"
    assert list(sse.events(stream(text))) == [("thread.message.completed", {"id": "msg_1", "text": "a\nb"})]


def test_comments_and_other_fields_are_ignored():
    text = (": keep-alive\n\nid: 7\nretry: 3000\n: a comment inside an event\nevent: ping\ndata: {}\n\n"
            ":\n\n")
    assert list(sse.events(stream(text))) == [("ping", {})]


def test_done_ends_the_stream():
    text = 'data: {"n": 1}\n\ndata: [DONE]\n\ndata: {"n": 2}\n\n'
    assert list(sse.events(stream(text))) == [(None, {"n": 1})]


def test_the_event_name_does_not_leak_into_the_next_event():
    text = 'event: first\ndata: {"n": 1}\n\ndata: {"n": 2}\n\n'
    assert list(sse.events(stream(text))) == [("first", {"n": 1}), (None, {"n": 2})]


def test_an_event_without_data_is_dropped():
    text = 'event: lonely\n\nevent: real\ndata: {"n": 1}\n\n'
    assert list(sse.events(stream(text))) == [("real", {"n": 1})]


def test_crlf_lines_str_lines_and_no_space_after_the_colon():
    lines = ["event:thread.run.queued\r", 'data:{"n": 1}\r', "\r", "event: x", 'data: {"n": 2}', ""]
    assert list(sse.events(lines)) == [("thread.run.queued", {"n": 1}), ("x", {"n": 2})]


def test_a_last_event_without_the_closing_blank_line_is_kept():
    assert list(sse.events(stream('event: last\ndata: {"n": 3}'))) == [("last", {"n": 3})]
    assert list(sse.events(stream("data: [DONE]"))) == []


def test_utf8_data():
    assert list(sse.events(stream('data: {"text": "Grüße ✓"}\n\n'))) == [(None, {"text": "Grüße ✓"})]


def test_data_that_is_not_json_raises():
    with pytest.raises(ValueError):
        list(sse.events(stream("data: not json\n\n")))


# ---- last_run: the run a stream ends with --------------------------------------------------------
def test_last_run_is_the_last_run_event():
    events = [
        ("thread.run.created", {"object": "thread.run", "id": "run_1", "status": "queued"}),
        ("thread.run.step.completed", {"object": "thread.run.step", "id": "step_1", "status": "completed"}),
        ("thread.run.completed", {"object": "thread.run", "id": "run_1", "status": "completed"}),
        ("thread.message.completed", {"object": "thread.message", "id": "msg_1"}),
    ]
    assert last_run(iter(events)) == {"object": "thread.run", "id": "run_1", "status": "completed"}


def test_last_run_of_a_recovered_create():
    assert last_run(iter([(None, {"object": "thread.run", "id": "run_1", "status": "queued"})]))["id"] == "run_1"


def test_last_run_without_any_run_event_is_an_error():
    with pytest.raises(validate.InvalidInput, match="without describing the run"):
        last_run(iter([("thread.message.completed", {"object": "thread.message", "id": "msg_1"})]))
