"""Every family's planner, in process: plain data in, a Plan out (no emulator, no HTTP, milliseconds a test).

What a plan decides for present and absent, what check mode returns and that it sends nothing, the diff, the
create-only refusals and the matching by content. The modules' tests against the emulator (tests/unit/plugins/
modules) prove the same plans reach the server as requests; these prove the decisions.
"""

import pytest

from ansible_collections.openai.beta.plugins.module_utils import (assistant, chatkit, conversation, conversation_item,
                                                                  thread, thread_message, thread_run)
from ansible_collections.openai.beta.plugins.module_utils.executor import Executor
from ansible_collections.openai.beta.plugins.module_utils.plan import NEW, ITEMS, ReadBack, Resend, Send, Wait
from ansible_collections.openai.beta.plugins.module_utils.planner import Held
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput

from modspec import validated

FAMILIES = {
    "openai_assistant": assistant.FAMILY,
    "openai_thread": thread.FAMILY,
    "openai_thread_message": thread_message.FAMILY,
    "openai_thread_run": thread_run.FAMILY,
    "openai_conversation": conversation.FAMILY,
    "openai_conversation_item": conversation_item.FAMILY,
    "openai_chatkit_session": chatkit.SESSION_FAMILY,
    "openai_chatkit_thread": chatkit.THREAD_FAMILY,
}


def plan(module_name, held=None, children=None, **options):
    family = FAMILIES[module_name]
    wish = family.wanted(validated(module_name, **options))
    return family.planner(wish).plan(Held(held, children))


def requests(a_plan):
    return [(op.method, op.path, op.body) if isinstance(op, Send) else ("WAIT", op.path, op.until)
            for op in a_plan.operations]


class NoClient:
    """Check mode must not touch the client at all."""

    def __getattr__(self, name):
        raise AssertionError("check mode used the client (%s)" % name)


def check_mode(a_plan, diff=True):
    return a_plan.result(Executor(NoClient(), check_mode=True).run(a_plan), diff)


def server_assistant(**fields):
    obj = {"id": "asst_1", "object": "assistant", "created_at": 1, "name": "support", "description": None,
           "model": "gpt-4o", "instructions": None, "tools": [], "tool_resources": {}, "metadata": {},
           "temperature": 1.0, "top_p": 1.0, "response_format": "auto", "reasoning_effort": None}
    obj.update(fields)
    return obj


# --- assistants ---------------------------------------------------------------------------------------------------
def test_assistant_create_sends_only_what_is_set_and_can_be_found_again_by_name():
    made = plan("openai_assistant", name="support", model="gpt-4o", temperature=0.2, metadata={"tier": 2})
    assert made.changed and requests(made) == [
        ("POST", "/assistants", {"name": "support", "model": "gpt-4o", "temperature": 0.2, "metadata": {"tier": "2"}})]
    recover = made.operations[0].recover
    assert isinstance(recover, ReadBack) and recover.path == "/assistants"
    assert recover.pick([server_assistant(name="other"), server_assistant(id="asst_2")], None)["id"] == "asst_2"
    assert recover.pick([server_assistant(name="other")], None) is None
    result = check_mode(made)
    assert result["assistant"]["id"] is None and result["assistant"]["name"] == "support"
    assert result["diff"] == {"before": {}, "after": {"name": "support", "model": "gpt-4o", "temperature": 0.2,
                                                      "metadata": {"tier": "2"}}}


def test_assistant_same_task_again_and_server_defaults_are_no_change():
    current = server_assistant(temperature=0.2)
    same = plan("openai_assistant", held=current, name="support", model="gpt-4o", temperature=0.2, top_p=1,
                response_format="auto", metadata={})
    assert not same.changed and same.operations == []
    assert check_mode(same)["assistant"] is current


def test_assistant_update_sends_only_the_difference_with_a_diff():
    current = server_assistant(instructions="old", description="kept")
    update = plan("openai_assistant", held=current, name="support", instructions="new", reasoning_effort="max")
    # reasoning_effort: null on the server, so it is a difference too
    assert requests(update) == [("POST", "/assistants/asst_1", {"instructions": "new", "reasoning_effort": "max"})]
    assert update.changes == ["instructions", "reasoning_effort"]
    result = check_mode(update)
    assert result["assistant"]["instructions"] == "new" and result["assistant"]["description"] == "kept"
    assert result["diff"]["before"] == {"name": "support", "instructions": "old", "reasoning_effort": None}
    assert result["diff"]["after"] == {"name": "support", "instructions": "new", "reasoning_effort": "max"}


@pytest.mark.parametrize("purge,expected", [(True, {"team": "a"}), (False, {"team": "a", "old": "x"})])
def test_assistant_metadata_purge_or_merge(purge, expected):
    current = server_assistant(metadata={"old": "x"})
    update = plan("openai_assistant", held=current, name="support", metadata={"team": "a"}, purge_metadata=purge)
    assert requests(update) == [("POST", "/assistants/asst_1", {"metadata": expected})]


def test_assistant_absent_deletes_and_a_missing_one_is_no_change():
    gone = plan("openai_assistant", held=server_assistant(), assistant_id="asst_1", state="absent")
    assert requests(gone) == [("DELETE", "/assistants/asst_1", None)] and gone.operations[0].missing == "ignore"
    assert check_mode(gone)["diff"]["after"] == {}
    assert not plan("openai_assistant", held=None, name="support", state="absent").changed


def test_assistant_create_without_a_model_and_vector_stores_on_update_are_refused():
    with pytest.raises(InvalidInput, match="model is required to create an assistant"):
        plan("openai_assistant", name="support")
    with pytest.raises(InvalidInput, match="vector_stores makes a vector store"):
        plan("openai_assistant", held=server_assistant(), name="support",
             tool_resources={"file_search": {"vector_stores": [{"file_ids": ["file_1"]}]}})


# --- threads --------------------------------------------------------------------------------------------------------
MESSAGES = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}]


def stored_message(role, text, message_id="msg_1"):
    return {"id": message_id, "object": "thread.message", "role": role,
            "content": [{"type": "text", "text": {"value": text, "annotations": []}}], "attachments": []}


def test_thread_create_is_empty_then_filled_and_rolled_back_on_failure():
    made = plan("openai_thread", messages=MESSAGES, metadata={"topic": "a"})
    assert requests(made) == [
        ("POST", "/threads", {}),
        ("POST", "/threads/%s" % NEW, {"metadata": {"topic": "a"}}),
        ("POST", "/threads/%s/messages" % NEW, {"role": "user", "content": "Hello"}),
        ("POST", "/threads/%s/messages" % NEW, {"role": "assistant", "content": "Hi!"}),
    ]
    assert isinstance(made.operations[0].recover, Resend) and made.operations[0].binds_new
    assert made.rollback.path == "/threads/%s" % NEW
    # the second message, after a lost answer: absent -> send again; present -> it; anything else -> an error
    pick = made.operations[3].recover.pick
    assert pick([stored_message("user", "Hello")], "thread_1") is None
    assert pick([stored_message("user", "Hello"), stored_message("assistant", "Hi!", "msg_2")], "thread_1")["id"] \
        == "msg_2"
    with pytest.raises(Exception, match="holds messages other than the 2"):
        pick([stored_message("user", "Hello"), stored_message("user", "other", "msg_2")], "thread_1")
    assert check_mode(made)["thread"] == {"id": None, "object": "thread", "created_at": None, "tool_resources": None,
                                          "metadata": {"topic": "a"}}


def test_thread_messages_are_compared_with_the_first_messages_and_are_create_only():
    current = {"id": "thread_1", "object": "thread", "metadata": {}, "tool_resources": {}}
    children = [stored_message("user", "Hello"), stored_message("assistant", "Hi!", "msg_2")]
    assert not plan("openai_thread", held=current, children=children, thread_id="thread_1", messages=MESSAGES).changed
    with pytest.raises(InvalidInput, match="messages of an existing thread cannot be changed"):
        plan("openai_thread", held=current, children=children[:1], thread_id="thread_1", messages=MESSAGES)


def test_thread_vector_store_goes_in_the_create_and_attachments_read_the_thread_after():
    resources = {"file_search": {"vector_stores": [{"file_ids": ["file_1"]}]}}
    made = plan("openai_thread", tool_resources=resources,
                messages=[{"role": "user", "content": "x", "attachments": [
                    {"file_id": "file_2", "tools": [{"type": "file_search"}]}]}])
    assert requests(made)[0] == ("POST", "/threads", {"tool_resources": resources})
    assert requests(made)[-1] == ("GET", "/threads/%s" % NEW, None)


# --- thread messages ------------------------------------------------------------------------------------------------
def test_message_create_is_found_again_by_content_and_a_repeat_is_no_change():
    made = plan("openai_thread_message", thread_id="thread_1", role="user", content="Hello")
    assert requests(made) == [("POST", "/threads/thread_1/messages", {"role": "user", "content": "Hello"})]
    assert made.operations[0].recover.query == {"order": "asc"}
    assert made.operations[0].recover.pick([stored_message("user", "Hello")], None)["id"] == "msg_1"
    assert check_mode(made)["message"]["content"] == [{"type": "text", "text": {"value": "Hello"}}]
    same = plan("openai_thread_message", held=stored_message("user", "Hello"), thread_id="thread_1", role="user",
                content="Hello")
    assert not same.changed


def test_message_content_is_create_only_and_metadata_updates():
    current = dict(stored_message("user", "Hello"), metadata={})
    with pytest.raises(InvalidInput, match="content of an existing message cannot be changed"):
        plan("openai_thread_message", held=current, thread_id="thread_1", message_id="msg_1", content="Other")
    update = plan("openai_thread_message", held=current, thread_id="thread_1", message_id="msg_1",
                  metadata={"seen": True})
    assert requests(update) == [("POST", "/threads/thread_1/messages/msg_1", {"metadata": {"seen": "true"}})]


# --- runs -----------------------------------------------------------------------------------------------------------
def server_run(status="completed", **fields):
    run = {"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "assistant_id": "asst_1",
           "status": status, "metadata": {"purpose": "x"}, "instructions": "", "tools": [], "model": "gpt-4o"}
    run.update(fields)
    return run


def test_run_start_waits_for_the_new_run_and_is_found_again_by_metadata():
    made = plan("openai_thread_run", thread_id="thread_1", assistant_id="asst_1", metadata={"purpose": "x"},
                wait=True, wait_timeout=30)
    assert requests(made) == [
        ("POST", "/threads/thread_1/runs", {"assistant_id": "asst_1", "metadata": {"purpose": "x"}}),
        ("WAIT", "/threads/thread_1/runs/%s" % NEW, thread_run.SETTLED)]
    assert made.operations[1].label == "run %s" % NEW and made.operations[1].timeout == 30
    pick = made.operations[0].recover.pick
    assert pick([server_run(), server_run(id="run_2", metadata={"purpose": "y"})], None)["id"] == "run_1"
    assert check_mode(made)["run"]["status"] == "queued"


def test_run_without_metadata_cannot_be_found_again_so_a_lost_answer_fails():
    assert plan("openai_thread_run", thread_id="thread_1", assistant_id="asst_1").operations[0].recover is None


def test_run_stream_reads_the_events_for_the_run():
    made = plan("openai_thread_run", thread_id="thread_1", assistant_id="asst_1", stream=True)
    assert made.operations[0].body == {"assistant_id": "asst_1", "stream": True}
    assert made.operations[0].stream is thread_run.last_run


def test_run_tool_outputs_are_checked_then_sent_once():
    pending = server_run("requires_action", required_action={"submit_tool_outputs": {"tool_calls": [
        {"id": "call_1"}, {"id": "call_2"}]}})
    with pytest.raises(InvalidInput, match="no output for tool call.s. call_2 of run run_1"):
        plan("openai_thread_run", held=pending, thread_id="thread_1", run_id="run_1",
             tool_outputs=[{"tool_call_id": "call_1", "output": "a"}])
    fed = plan("openai_thread_run", held=pending, thread_id="thread_1", run_id="run_1",
               tool_outputs=[{"tool_call_id": "call_1", "output": "a"}, {"tool_call_id": "call_2", "output": "b"}])
    assert fed.changed and requests(fed) == [("POST", "/threads/thread_1/runs/run_1/submit_tool_outputs", {
        "tool_outputs": [{"tool_call_id": "call_1", "output": "a"}, {"tool_call_id": "call_2", "output": "b"}]})]
    took_them = fed.operations[0].recover.pick
    assert took_them(pending, None) is None                      # still waiting for them: send again
    assert took_them(server_run("queued"), None)["status"] == "queued"
    with pytest.raises(Exception, match="cannot be told"):
        took_them(server_run("failed"), None)
    assert check_mode(fed)["run"]["status"] == "queued"


def test_run_fields_are_create_only():
    with pytest.raises(InvalidInput, match="model of an existing run cannot be changed"):
        plan("openai_thread_run", held=server_run(), thread_id="thread_1", run_id="run_1", model="gpt-4o-mini")


@pytest.mark.parametrize("status,changed,sent", [
    ("in_progress", True, ["cancel"]), ("completed", False, []), ("cancelling", False, [])])
def test_run_absent_cancels_only_a_run_that_has_not_finished(status, changed, sent):
    stopped = plan("openai_thread_run", held=server_run(status), thread_id="thread_1", run_id="run_1", state="absent")
    assert stopped.changed is changed
    assert [op.path.rsplit("/", 1)[-1] for op in stopped.operations] == sent
    if sent:
        cancel = stopped.operations[0]
        assert cancel.unchanged_if(server_run("completed")) and not cancel.unchanged_if(server_run("cancelled"))
        assert cancel.refused.pick(server_run("completed"), None)["status"] == "completed"
        assert cancel.refused.pick(server_run("in_progress"), None) is None
        assert check_mode(stopped)["run"]["status"] == "cancelling"


def test_run_absent_waits_for_a_cancelling_run_when_asked():
    waiting = plan("openai_thread_run", held=server_run("cancelling"), thread_id="thread_1", run_id="run_1",
                   state="absent", wait=True)
    assert not waiting.changed and requests(waiting) == [("WAIT", "/threads/thread_1/runs/run_1", thread_run.TERMINAL)]


# --- conversations --------------------------------------------------------------------------------------------------
ITEMS_IN = [{"role": "user", "content": "Hello"}, {"type": "message", "role": "assistant", "content": "Hi"}]


def stored_item(role, text, item_id):
    kind = "output_text" if role == "assistant" else "input_text"
    return {"id": item_id, "type": "message", "status": "completed", "role": role,
            "content": [{"type": kind, "text": text}]}


def test_conversation_create_is_empty_then_filled():
    made = plan("openai_conversation", items=ITEMS_IN, metadata={"a": "b"})
    assert requests(made) == [("POST", "/conversations", {}),
                              ("POST", "/conversations/%s" % NEW, {"metadata": {"a": "b"}}),
                              ("POST", "/conversations/%s/items" % NEW, {"items": ITEMS_IN})]
    pick = made.operations[2].recover.pick
    stored = [stored_item("user", "Hello", "msg_1"), stored_item("assistant", "Hi", "msg_2")]
    assert pick([], "conv_1") is None and pick(stored, "conv_1") == {"data": stored}
    assert check_mode(made)["conversation"]["metadata"] == {"a": "b"}


def test_conversation_items_are_create_only():
    current = {"id": "conv_1", "object": "conversation", "metadata": {}, "created_at": 1}
    assert not plan("openai_conversation", held=current, conversation_id="conv_1", items=ITEMS_IN,
                    children=[stored_item("user", "Hello", "msg_1"), stored_item("assistant", "Hi", "msg_2")]).changed
    with pytest.raises(InvalidInput, match="items of an existing conversation cannot be changed"):
        plan("openai_conversation", held=current, conversation_id="conv_1", items=ITEMS_IN, children=[])


def test_conversation_items_adds_only_the_missing_ones_in_one_request():
    existing = [stored_item("user", "Hello", "msg_1")]
    added = plan("openai_conversation_item", children=existing, conversation_id="conv_1", items=ITEMS_IN)
    assert requests(added) == [("POST", "/conversations/conv_1/items", {"items": [ITEMS_IN[1]]})]
    assert added.operations[0].keep == ITEMS
    result = check_mode(added)
    assert [item["id"] for item in result["conversation_items"]] == ["msg_1", None]
    assert result["diff"] == {"before": {"items": existing}, "after": {"items": result["conversation_items"]}}
    assert result["conversation_id"] == "conv_1"
    # the module's answer puts the new item where it belongs
    assert added.assemble(added.obj, [stored_item("assistant", "Hi", "msg_2")])[1]["id"] == "msg_2"
    again = plan("openai_conversation_item", children=existing + [stored_item("assistant", "Hi", "msg_2")],
                 conversation_id="conv_1", items=ITEMS_IN)
    assert not again.changed and again.operations == []


def test_conversation_items_absent_deletes_what_matches():
    existing = [stored_item("user", "Hello", "msg_1"), stored_item("user", "Other", "msg_9")]
    gone = plan("openai_conversation_item", children=existing, conversation_id="conv_1", state="absent",
                items=ITEMS_IN[:1])
    assert requests(gone) == [("DELETE", "/conversations/conv_1/items/msg_1", None)]
    assert check_mode(gone)["diff"] == {"before": {"items": existing[:1]}, "after": {"items": []}}
    assert not plan("openai_conversation_item", children=[], conversation_id="conv_1", state="absent",
                    item_id="msg_1").changed


# --- ChatKit --------------------------------------------------------------------------------------------------------
def test_chatkit_session_always_mints_and_a_lost_answer_is_sent_again():
    minted = plan("openai_chatkit_session", user="user_1", workflow={"id": "wf_1"})
    assert requests(minted) == [("POST", "/chatkit/sessions", {"user": "user_1", "workflow": {"id": "wf_1"}})]
    assert isinstance(minted.operations[0].recover, Resend)
    assert check_mode(minted)["session"]["client_secret"] is None


def test_chatkit_session_cancel_keeps_the_secret_out_of_the_result():
    cancel = plan("openai_chatkit_session", held={"id": "cksess_1"}, session_id="cksess_1", state="absent")
    assert requests(cancel) == [("POST", "/chatkit/sessions/cksess_1/cancel", None)]
    assert cancel.operations[0].missing == "unchanged"
    answer = {"id": "cksess_1", "status": "cancelled", "client_secret": "ek_secret"}
    assert cancel.assemble(answer, []) == {"id": "cksess_1", "status": "cancelled"}
    assert check_mode(cancel)["diff"] == {"before": {"status": "unknown"}, "after": {"status": "cancelled"}}


def test_chatkit_thread_exists_or_is_deleted():
    current = {"id": "cthr_1", "object": "chatkit.thread", "title": None}
    assert not plan("openai_chatkit_thread", held=current, thread_id="cthr_1").changed
    assert requests(plan("openai_chatkit_thread", held=current, thread_id="cthr_1", state="absent")) == [
        ("DELETE", "/chatkit/threads/cthr_1", None)]


# --- every family: check mode sends nothing, and absent of nothing is no change ---------------------------------
NOTHING_HELD = [
    ("openai_assistant", dict(name="a", state="absent")),
    ("openai_thread_message", dict(thread_id="thread_1", role="user", content="x", state="absent")),
    ("openai_thread_run", dict(thread_id="thread_1", metadata={"a": "b"}, state="absent")),
    ("openai_conversation_item", dict(conversation_id="conv_1", items=[{"role": "user", "content": "x"}],
                                      state="absent")),
]


@pytest.mark.parametrize("module_name,options", NOTHING_HELD, ids=[row[0] for row in NOTHING_HELD])
def test_absent_of_what_does_not_exist_sends_nothing(module_name, options):
    nothing = plan(module_name, children=[] if module_name == "openai_conversation_item" else None, **options)
    assert not nothing.changed and nothing.writes == []


def test_waits_are_plans_too_and_check_mode_skips_them():
    waiting = plan("openai_thread_run", held=server_run("in_progress"), thread_id="thread_1", run_id="run_1",
                   wait=True)
    assert isinstance(waiting.operations[-1], Wait) and waiting.writes == []
    assert check_mode(waiting)["run"]["status"] == "in_progress"
