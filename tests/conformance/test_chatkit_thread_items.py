"""ChatKit thread items of every type of the spec's ThreadItem union, seeded and listed back, spec-checked.

The admin API seeds them (``POST /__emulator/chatkit/threads``, harness ``seed_chatkit_thread``): full
objects of each type, or the ``{role, text}`` shorthand for messages; ``GET /v1/chatkit/threads/{id}/items``
answers them, checked against ThreadItemListResource by ``SpecClient``.
"""

import pytest

from emulator.chatkit import ITEM_TYPES
from emulator.harness import EmulatorError

pytestmark = pytest.mark.conformance

CK = "chatkit_beta=v1"
# one seed of each type, as little as the seeding API takes (it fills the rest)
SEEDS = [
    {"role": "user", "text": "What is on my calendar?"},
    {"role": "assistant", "text": "Two meetings."},
    {"type": "chatkit.user_message", "content": [{"type": "quoted_text", "text": "Two meetings."},
                                                 {"type": "input_text", "text": "Which?"}],
     "attachments": [{"type": "file", "id": "file_1", "name": "cal.ics", "mime_type": "text/calendar",
                      "preview_url": None}]},
    {"type": "chatkit.assistant_message", "content": [
        {"type": "output_text", "text": "See the list.", "annotations": [
            {"type": "url", "source": {"type": "url", "url": "https://example.com/cal"}}]}]},
    {"type": "chatkit.widget", "widget": "{\"type\": \"Card\", \"children\": []}"},
    {"type": "chatkit.client_tool_call", "call_id": "call_1", "name": "open_calendar", "arguments": "{}"},
    {"type": "chatkit.task", "task_type": "thought", "heading": "Reading the calendar"},
    {"type": "chatkit.task_group", "tasks": [{"type": "custom", "heading": "Fetch", "summary": None},
                                             {"type": "thought", "heading": None, "summary": "Sorted"}]},
]


def test_every_thread_item_type_is_seeded_and_listed(spec_client, spec_emulator):
    c, emu = spec_client, spec_emulator
    thread = emu.seed_chatkit_thread("user_items", title="Calendar", items=SEEDS)
    items = c.get("/v1/chatkit/threads/%s/items" % thread["id"], {"order": "asc", "limit": 100}, beta=CK)["data"]
    assert sorted({item["type"] for item in items}) == ITEM_TYPES and len(ITEM_TYPES) == 6
    assert len(items) == len(SEEDS)
    for item in items:
        assert item["object"] == "chatkit.thread_item" and item["thread_id"] == thread["id"]
        assert item["id"].startswith("cthi_") and isinstance(item["created_at"], int)
    user, assistant, quoted, annotated, widget, tool_call, task, group = items
    assert user["content"] == [{"type": "input_text", "text": "What is on my calendar?"}]
    assert user["attachments"] == [] and user["inference_options"] is None
    assert assistant["content"] == [{"type": "output_text", "text": "Two meetings.", "annotations": []}]
    assert quoted["attachments"][0]["name"] == "cal.ics"
    assert annotated["content"][0]["annotations"][0]["source"]["url"] == "https://example.com/cal"
    assert widget["widget"].startswith("{")
    assert tool_call["status"] == "completed" and tool_call["output"] is None and tool_call["name"] == "open_calendar"
    assert task["task_type"] == "thought" and task["heading"] == "Reading the calendar" and task["summary"] is None
    assert [t["type"] for t in group["tasks"]] == ["custom", "thought"]


@pytest.mark.parametrize("seed,param", [
    ({"type": "chatkit.widget"}, "items[1].widget"),
    ({"type": "chatkit.task", "task_type": "chore"}, "items[1].task_type"),
    ({"type": "chatkit.client_tool_call", "call_id": "c", "name": "n", "arguments": "{}", "status": "lost"},
     "items[1].status"),
    ({"type": "chatkit.task_group", "tasks": [{"type": "custom", "heading": "x", "colour": "red"}]},
     "items[1].tasks[0].colour"),
    ({"type": "chatkit.assistant_message", "content": [{"type": "output_text", "text": "x"}], "extra": 1},
     "items[1].extra"),
    ({"type": "chatkit.nothing"}, "items[1].type"),
    ({"role": "robot", "text": "x"}, "items[1].role"),
])
def test_a_seed_that_does_not_fit_the_spec_is_a_400_naming_it(spec_emulator, seed, param):
    with pytest.raises(EmulatorError) as failed:
        spec_emulator.seed_chatkit_thread("user_bad_seed", items=[{"role": "user", "text": "ok"}, seed])
    assert " 400 " in str(failed.value) and ("'%s'" % param in str(failed.value) or
                                             '"param": "%s"' % param in str(failed.value)), str(failed.value)
