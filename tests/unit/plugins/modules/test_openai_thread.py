"""openai_thread and openai_thread_info through main(), against the emulator."""

import pytest

from ansible_collections.openai.beta.plugins.modules import (
    openai_thread,
    openai_thread_info,
    openai_thread_message,
    openai_thread_message_info,
)

from emulator.harness import Emulator
from modrun import ModuleFail, run

MESSAGES = [
    {"role": "user", "content": "What is the weather in Paris?"},
    {"role": "assistant", "content": [{"type": "text", "text": "Let me check."}]},
]
CODE_FILES = {"code_interpreter": {"file_ids": ["file-abc123"]}}
VECTOR_STORES = {"file_search": {"vector_store_ids": ["vs_abc123"]}}


@pytest.fixture(scope="module")
def server():
    with Emulator() as emulator:
        emulator.conn = {"api_key": emulator.api_key, "base_url": emulator.base_url}
        yield emulator


@pytest.fixture
def api(server):
    """The module's emulator, emptied: no objects, zero counters (cheaper than one emulator a test)."""
    server.reset(state=True)
    server.set_faults(0)
    return server


def thread(api, check_mode=False, diff=False, **args):
    return run(openai_thread.main, dict(api.conn, **args), check_mode=check_mode, diff=diff)


def info(api, thread_id):
    return run(openai_thread_info.main, dict(api.conn, thread_id=thread_id))


def messages_of(api, thread_id):
    """The thread's messages, oldest first."""
    return run(openai_thread_message_info.main, dict(api.conn, thread_id=thread_id, order="asc"))["messages"]


def test_check_mode_create_sends_no_write_and_has_no_id(api):
    result = thread(api, check_mode=True, diff=True, messages=MESSAGES, tool_resources=CODE_FILES,
                    metadata={"customer": "c-42"})
    assert result["changed"] is True
    assert result["thread"]["id"] is None
    assert result["thread"]["metadata"] == {"customer": "c-42"}
    assert result["thread"]["tool_resources"] == CODE_FILES
    assert result["diff"]["before"] == {}
    assert api.stats()["writes"] == 0 and api.stats()["total"] == 0
    assert result["warnings"] and "retired" in result["warnings"][0].lower()


def test_create_with_messages_tool_resources_and_metadata(api):
    result = thread(api, messages=MESSAGES, tool_resources=CODE_FILES, metadata={"customer": "c-42", "n": 7})
    created = result["thread"]
    assert result["changed"] is True
    assert created["id"].startswith("thread_") and created["object"] == "thread"
    assert created["metadata"] == {"customer": "c-42", "n": "7"}
    assert created["tool_resources"]["code_interpreter"]["file_ids"] == ["file-abc123"]
    # created empty (nothing of the task in the one request that cannot be checked), then filled
    assert api.stats()["requests"] == {"POST /v1/threads": 1, "POST /v1/threads/{thread_id}": 1,
                                       "POST /v1/threads/{thread_id}/messages": 2}
    stored = messages_of(api, created["id"])
    assert [(m["role"], m["content"][0]["text"]["value"]) for m in stored] == [
        ("user", "What is the weather in Paris?"), ("assistant", "Let me check.")]


def test_create_without_options_is_one_request(api):
    assert thread(api)["thread"]["metadata"] == {}
    assert api.stats()["requests"] == {"POST /v1/threads": 1}


def stored_threads(api):
    """Every thread the emulator holds (the API cannot list them): id -> (metadata, tool_resources, messages)."""
    data = api.state()["data"]
    return dict((thread_id, (obj["metadata"], obj.get("tool_resources"),
                             [m["content"][0]["text"]["value"] for m in data["messages"].get(thread_id, {}).values()]))
                for thread_id, obj in data["threads"].items())


def test_lost_answer_to_the_create_is_sent_again_and_leaves_only_an_empty_thread(api):
    api.set_faults(1.0, kinds=["drop_after"], requests=["POST /v1/threads"], count=1)
    result = thread(api, messages=MESSAGES, metadata={"customer": "c-42"})
    made = result["thread"]
    assert made["metadata"] == {"customer": "c-42"}
    assert any("may have made an empty thread" in warning for warning in result["warnings"])
    threads = stored_threads(api)
    assert threads.pop(made["id"])[2] == ["What is the weather in Paris?", "Let me check."]
    # the thread the lost answer made holds nothing of the task
    assert list(threads.values()) == [({}, {}, [])]
    assert api.stats()["requests"]["POST /v1/threads"] == 2


def test_lost_answer_to_a_message_is_read_back_not_sent_again(api):
    api.set_faults(1.0, kinds=["drop_after"], requests=["POST /v1/threads/{thread_id}/messages"], count=1)
    made = thread(api, messages=MESSAGES)["thread"]
    assert stored_threads(api) == {made["id"]: ({}, {}, ["What is the weather in Paris?", "Let me check."])}
    requests = api.stats()["requests"]
    assert requests["POST /v1/threads/{thread_id}/messages"] == 2  # the lost one is not sent again
    assert requests["GET /v1/threads/{thread_id}/messages"] == 1   # it was read back instead


def test_lost_answer_before_the_server_acted_sends_the_message_again(api):
    api.set_faults(1.0, kinds=["drop_before"], requests=["POST /v1/threads/{thread_id}/messages"], count=1)
    made = thread(api, messages=MESSAGES)["thread"]
    assert stored_threads(api)[made["id"]][2] == ["What is the weather in Paris?", "Let me check."]
    assert api.stats()["requests"]["POST /v1/threads/{thread_id}/messages"] == 3


def test_a_failure_after_the_create_deletes_the_new_thread(api):
    api.set_faults(1.0, kinds=["500"], requests=["POST /v1/threads/{thread_id}/messages"])
    with pytest.raises(ModuleFail) as failed:
        thread(api, messages=MESSAGES, metadata={"customer": "c-42"}, max_retries=1)
    message = failed.value.result["msg"]
    assert "HTTP 500" in message and "was deleted again: nothing of this task is left half-made" in message
    assert stored_threads(api) == {}
    assert api.stats()["requests"]["DELETE /v1/threads/{thread_id}"] == 1


def test_repeat_by_id_with_the_same_messages_is_not_a_change(api):
    created = thread(api, messages=MESSAGES, tool_resources=CODE_FILES, metadata={"customer": "c-42"})["thread"]
    api.reset()
    again = thread(api, thread_id=created["id"], messages=MESSAGES, tool_resources=CODE_FILES,
                   metadata={"customer": "c-42"}, diff=True)
    assert again["changed"] is False
    assert again["thread"]["id"] == created["id"]
    assert again["diff"]["before"] == again["diff"]["after"]
    assert api.stats()["writes"] == 0
    # the thread is read, and its first messages are read to compare them
    assert api.stats()["requests"]["GET /v1/threads/{thread_id}"] == 1
    assert api.stats()["requests"]["GET /v1/threads/{thread_id}/messages"] == 1


def test_repeat_by_id_without_options_is_not_a_change(api):
    created = thread(api, metadata={"a": "1"})["thread"]
    api.reset()
    again = thread(api, thread_id=created["id"])
    assert again["changed"] is False and again["thread"]["metadata"] == {"a": "1"}
    assert api.stats()["writes"] == 0


def test_metadata_and_tool_resources_update_in_place(api):
    created = thread(api, messages=MESSAGES, tool_resources=CODE_FILES, metadata={"a": "1"})["thread"]
    api.reset()
    result = thread(api, thread_id=created["id"], tool_resources=VECTOR_STORES, metadata={"a": "2", "b": "3"},
                    diff=True)
    assert result["changed"] is True
    updated = result["thread"]
    assert updated["id"] == created["id"]
    assert updated["metadata"] == {"a": "2", "b": "3"}
    assert updated["tool_resources"]["file_search"]["vector_store_ids"] == ["vs_abc123"]
    assert result["diff"]["before"] == {"tool_resources": created["tool_resources"], "metadata": {"a": "1"}}
    assert result["diff"]["after"]["metadata"] == {"a": "2", "b": "3"}
    assert result["diff"]["after"]["tool_resources"]["file_search"]["vector_store_ids"] == ["vs_abc123"]
    assert api.stats()["requests"] == {"GET /v1/threads/{thread_id}": 1, "POST /v1/threads/{thread_id}": 1}
    # the initial messages are untouched
    assert len(messages_of(api, created["id"])) == 2
    # and the same update again is not a change
    api.reset()
    assert thread(api, thread_id=created["id"], tool_resources=VECTOR_STORES,
                  metadata={"a": "2", "b": "3"})["changed"] is False
    assert api.stats()["writes"] == 0


def test_metadata_merge_without_purge(api):
    created = thread(api, metadata={"a": "1"})["thread"]
    merged = thread(api, thread_id=created["id"], metadata={"b": "2"}, purge_metadata=False)
    assert merged["changed"] is True and merged["thread"]["metadata"] == {"a": "1", "b": "2"}


def test_check_mode_update_sends_no_write(api):
    created = thread(api, metadata={"a": "1"})["thread"]
    api.reset()
    result = thread(api, check_mode=True, thread_id=created["id"], metadata={"a": "2"})
    assert result["changed"] is True and result["thread"]["metadata"] == {"a": "2"}
    assert api.stats()["writes"] == 0
    assert info(api, created["id"])["threads"][0]["metadata"] == {"a": "1"}


@pytest.mark.parametrize("other", [
    [{"role": "user", "content": "What is the weather in Oslo?"}, MESSAGES[1]],
    MESSAGES + [{"role": "user", "content": "And tomorrow?"}],
    [{"role": "assistant", "content": MESSAGES[0]["content"]}, MESSAGES[1]],
])
def test_other_messages_on_an_existing_thread_fail_naming_messages(api, other):
    created = thread(api, messages=MESSAGES)["thread"]
    api.reset()
    with pytest.raises(ModuleFail) as failed:
        thread(api, thread_id=created["id"], messages=other, metadata={"changed": "too"})
    message = failed.value.result["msg"]
    assert message.startswith("messages of an existing thread cannot be changed")
    assert created["id"] in message
    assert api.stats()["writes"] == 0


def test_messages_added_later_do_not_count_against_the_initial_ones(api):
    created = thread(api, messages=MESSAGES)["thread"]
    run(openai_thread_message.main, dict(api.conn, thread_id=created["id"], role="user", content="Later"))
    api.reset()
    assert thread(api, thread_id=created["id"], messages=MESSAGES)["changed"] is False
    assert api.stats()["writes"] == 0


def test_content_parts_match_the_same_text_given_as_a_string(api):
    created = thread(api, messages=MESSAGES)["thread"]
    as_parts = [{"role": "user", "content": [{"type": "text", "text": MESSAGES[0]["content"]}]},
                {"role": "assistant", "content": "Let me check."}]
    api.reset()
    assert thread(api, thread_id=created["id"], messages=as_parts)["changed"] is False
    assert api.stats()["writes"] == 0


def test_unknown_thread_id_is_an_error_on_present(api):
    with pytest.raises(ModuleFail, match="thread thread_doesnotexist was not found; omit thread_id"):
        thread(api, thread_id="thread_doesnotexist", metadata={"a": "1"})
    assert api.stats()["writes"] == 0


def test_absent_deletes_then_again_is_not_a_change(api):
    created = thread(api, metadata={"a": "1"})["thread"]
    api.reset()
    checked = thread(api, check_mode=True, thread_id=created["id"], state="absent")
    assert checked["changed"] is True and api.stats()["writes"] == 0
    deleted = thread(api, thread_id=created["id"], state="absent", diff=True)
    assert deleted["changed"] is True and deleted["thread"]["id"] == created["id"]
    assert deleted["diff"]["after"] == {}
    assert api.stats()["requests"]["DELETE /v1/threads/{thread_id}"] == 1
    again = thread(api, thread_id=created["id"], state="absent")
    assert again["changed"] is False and again["thread"] is None
    assert api.stats()["requests"]["DELETE /v1/threads/{thread_id}"] == 1
    assert info(api, created["id"])["threads"] == []


def test_absent_needs_the_id(api):
    with pytest.raises(ModuleFail, match="thread_id"):
        thread(api, state="absent")
    assert api.stats()["total"] == 0


def test_info_by_id_and_missing_id(api):
    created = thread(api, tool_resources=CODE_FILES, metadata={"k": "v"})["thread"]
    api.reset()
    found = info(api, created["id"])
    assert found["changed"] is False
    assert found["threads"] == [created]
    missing = info(api, "thread_doesnotexist")
    assert missing["changed"] is False and missing["threads"] == []
    assert api.stats()["writes"] == 0


@pytest.mark.parametrize("args,fragment", [
    ({"messages": [{"role": "user", "content": ""}]}, "messages[0].content must not be empty"),
    ({"messages": [{"role": "user", "content": "x"}] * 33}, "messages has 33 entries"),
    ({"messages": [{"role": "user", "content": [{"type": "video"}]}]}, "messages[0].content[0].type must be one of"),
    ({"metadata": {"k" * 65: "v"}}, "metadata"),
    ({"thread_id": "thread-../x"}, "thread_id must be an id"),
])
def test_bad_input_fails_before_any_request(api, args, fragment):
    with pytest.raises(ModuleFail) as failed:
        thread(api, **args)
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def test_a_new_thread_that_cannot_be_deleted_after_a_failure_is_named_in_the_error(api):
    api.set_faults(1.0, kinds=["500"], requests=["POST /v1/threads/{thread_id}", "DELETE /v1/threads/{thread_id}"])
    with pytest.raises(ModuleFail) as failed:
        thread(api, metadata={"customer": "c-42"}, max_retries=0)
    (left,) = stored_threads(api)
    assert "could not be deleted" in failed.value.result["msg"]
    assert "delete it with state=absent and thread_id=%s" % left in failed.value.result["msg"]


MAKE_A_STORE = {"file_search": {"vector_stores": [{"file_ids": ["file-abc123"]}]}}


def test_a_vector_store_to_make_goes_in_the_create_the_only_request_that_takes_it(api):
    made = thread(api, messages=MESSAGES[:1], tool_resources=MAKE_A_STORE, metadata={"a": "1"})["thread"]
    assert made["tool_resources"]["file_search"]["vector_store_ids"]
    assert made["metadata"] == {"a": "1"}
    assert api.stats()["requests"] == {"POST /v1/threads": 1, "POST /v1/threads/{thread_id}": 1,
                                       "POST /v1/threads/{thread_id}/messages": 1}
    api.reset()
    assert thread(api, thread_id=made["id"], tool_resources=MAKE_A_STORE)["changed"] is False
    assert api.stats()["writes"] == 0


def test_a_vector_store_to_make_on_an_existing_thread_fails_before_any_write(api):
    made = thread(api)["thread"]
    api.reset()
    with pytest.raises(ModuleFail) as failed:
        thread(api, thread_id=made["id"], tool_resources=MAKE_A_STORE)
    assert failed.value.result["msg"] == (
        "tool_resources.file_search.vector_stores makes a vector store, which the API does only when the thread is "
        "created, and thread %s has none attached; attach one to it with tool_resources.file_search.vector_store_ids"
        % made["id"])
    assert api.stats()["writes"] == 0


def test_without_retries_a_lost_answer_to_the_create_fails_and_says_what_may_be_left(api):
    api.set_faults(1.0, kinds=["drop_after"], requests=["POST /v1/threads"], count=1)
    with pytest.raises(ModuleFail) as failed:
        thread(api, messages=MESSAGES, max_retries=0)
    assert failed.value.result["warnings"][-1] == (
        "the answer to POST /threads was lost: the server may have made an empty thread, which holds none of this "
        "task's messages, items or metadata and which nothing refers to")
    assert list(stored_threads(api).values()) == [({}, {}, [])]


def test_anything_that_stops_the_filling_deletes_the_new_thread(api, monkeypatch):
    from ansible_collections.openai.beta.plugins.module_utils.executor import Executor

    send = Executor._send

    def broken(self, operation, new):
        if operation.path.endswith("/messages"):
            raise KeyError("content")
        return send(self, operation, new)

    monkeypatch.setattr(Executor, "_send", broken)
    with pytest.raises(ModuleFail) as failed:
        thread(api, messages=MESSAGES)
    message = failed.value.result["msg"]
    assert "filling the new thread thread_" in message and "KeyError" in message
    assert message.endswith("was deleted again: nothing of this task is left half-made")
    assert stored_threads(api) == {}


def test_messages_with_attachments_are_added_whole_and_the_thread_is_read_after_them(api):
    attached = [{"role": "user", "content": "See the file", "metadata": {"source": "upload"},
                 "attachments": [{"file_id": "file-abc123", "tools": [{"type": "file_search"}]}]}]
    made = thread(api, messages=attached)["thread"]
    (stored,) = messages_of(api, made["id"])
    assert stored["attachments"] == attached[0]["attachments"] and stored["metadata"] == {"source": "upload"}
    # the API may give the thread a vector store for file_search attachments: the result is read after them
    assert api.stats()["requests"] == {"POST /v1/threads": 1, "POST /v1/threads/{thread_id}/messages": 1,
                                       "GET /v1/threads/{thread_id}": 1, "GET /v1/threads/{thread_id}/messages": 1}
