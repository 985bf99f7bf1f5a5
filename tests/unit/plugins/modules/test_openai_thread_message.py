"""openai_thread_message and openai_thread_message_info through main(), against the emulator."""

import pytest

from ansible_collections.openai.beta.plugins.module_utils.client import OpenAIClient
from ansible_collections.openai.beta.plugins.module_utils.endpoints import ASSISTANTS_BETA
from ansible_collections.openai.beta.plugins.modules import (
    openai_assistant,
    openai_thread,
    openai_thread_message,
    openai_thread_message_info,
    openai_thread_run,
)

from emulator.harness import Emulator
from modrun import ModuleFail, run

QUESTION = "How many orders shipped last week?"
LIST_PATH = "GET /v1/threads/{thread_id}/messages"
CREATE_PATH = "POST /v1/threads/{thread_id}/messages"


@pytest.fixture(scope="module")
def server():
    with Emulator(run_seconds=0.3) as emulator:
        emulator.conn = {"api_key": emulator.api_key, "base_url": emulator.base_url}
        yield emulator


@pytest.fixture
def api(server):
    """The module's emulator, emptied: no objects, zero counters."""
    server.reset(state=True)
    return server


@pytest.fixture
def thread_id(api):
    thread_id = run(openai_thread.main, dict(api.conn))["thread"]["id"]
    api.reset()
    return thread_id


def message(api, thread_id, check_mode=False, diff=False, **args):
    return run(openai_thread_message.main, dict(api.conn, thread_id=thread_id, **args), check_mode=check_mode,
               diff=diff)


def info(api, thread_id, **args):
    result = run(openai_thread_message_info.main, dict(api.conn, thread_id=thread_id, **args))
    assert result["changed"] is False
    return result["messages"]


def texts(messages):
    return [part["text"]["value"] for found in messages for part in found["content"]]


# ---- openai_thread_message -----------------------------------------------------------------------
def test_check_mode_add_sends_no_write(api, thread_id):
    result = message(api, thread_id, check_mode=True, role="user", content=QUESTION, metadata={"source": "a"})
    assert result["changed"] is True
    would_be = result["message"]
    assert would_be["id"] is None and would_be["thread_id"] == thread_id
    assert would_be["content"] == [{"type": "text", "text": {"value": QUESTION}}]
    assert would_be["metadata"] == {"source": "a"}
    assert api.stats()["writes"] == 0
    assert info(api, thread_id) == []


def test_add_by_role_and_content(api, thread_id):
    result = message(api, thread_id, role="user", content=QUESTION, metadata={"source": "ansible"})
    added = result["message"]
    assert result["changed"] is True
    assert added["id"].startswith("msg_") and added["thread_id"] == thread_id
    assert added["role"] == "user" and added["metadata"] == {"source": "ansible"}
    assert added["content"] == [{"type": "text", "text": {"value": QUESTION, "annotations": []}}]
    assert api.stats()["requests"][CREATE_PATH] == 1


def test_repeat_adds_no_copy(api, thread_id):
    first = message(api, thread_id, role="user", content=QUESTION, metadata={"source": "ansible"})["message"]
    api.reset()
    again = message(api, thread_id, role="user", content=QUESTION, metadata={"source": "ansible"}, diff=True)
    assert again["changed"] is False and again["message"]["id"] == first["id"]
    assert again["diff"]["before"] == again["diff"]["after"]
    assert api.stats()["writes"] == 0
    assert [found["id"] for found in info(api, thread_id)] == [first["id"]]


def test_same_text_from_another_role_is_another_message(api, thread_id):
    first = message(api, thread_id, role="user", content=QUESTION)["message"]
    other = message(api, thread_id, role="assistant", content=QUESTION)
    assert other["changed"] is True and other["message"]["id"] != first["id"]
    assert len(info(api, thread_id)) == 2


def test_content_parts_match_the_same_text_given_as_a_string(api, thread_id):
    first = message(api, thread_id, role="user", content=QUESTION)["message"]
    api.reset()
    as_parts = message(api, thread_id, role="user", content=[{"type": "text", "text": QUESTION}])
    assert as_parts["changed"] is False and as_parts["message"]["id"] == first["id"]
    assert api.stats()["writes"] == 0


def test_content_given_as_parts_is_found_by_the_string(api, thread_id):
    parts = [{"type": "text", "text": "Part one"}, {"type": "text", "text": "Part two"}]
    first = message(api, thread_id, role="user", content=parts)["message"]
    assert texts([first]) == ["Part one", "Part two"]
    api.reset()
    again = message(api, thread_id, role="user", content=parts)
    assert again["changed"] is False and again["message"]["id"] == first["id"]
    # one part of the two is another message
    assert message(api, thread_id, role="user", content="Part one")["changed"] is True
    assert len(info(api, thread_id)) == 2


def test_metadata_update_by_message_id(api, thread_id):
    added = message(api, thread_id, role="user", content=QUESTION, metadata={"source": "ansible"})["message"]
    api.reset()
    result = message(api, thread_id, message_id=added["id"], metadata={"source": "ansible", "reviewed": "yes"},
                     diff=True)
    assert result["changed"] is True
    assert result["message"]["id"] == added["id"]
    assert result["message"]["metadata"] == {"source": "ansible", "reviewed": "yes"}
    assert result["diff"] == {"before": {"metadata": {"source": "ansible"}},
                              "after": {"metadata": {"source": "ansible", "reviewed": "yes"}}}
    assert api.stats()["requests"] == {"GET /v1/threads/{thread_id}/messages/{message_id}": 1,
                                       "POST /v1/threads/{thread_id}/messages/{message_id}": 1}
    api.reset()
    again = message(api, thread_id, message_id=added["id"], metadata={"source": "ansible", "reviewed": "yes"})
    assert again["changed"] is False and api.stats()["writes"] == 0
    assert info(api, thread_id, message_id=added["id"])[0]["metadata"] == {"source": "ansible", "reviewed": "yes"}


def test_check_mode_metadata_update_sends_no_write(api, thread_id):
    added = message(api, thread_id, role="user", content=QUESTION, metadata={"a": "1"})["message"]
    api.reset()
    result = message(api, thread_id, check_mode=True, message_id=added["id"], metadata={"a": "2"})
    assert result["changed"] is True and result["message"]["metadata"] == {"a": "2"}
    assert api.stats()["writes"] == 0
    assert info(api, thread_id, message_id=added["id"])[0]["metadata"] == {"a": "1"}


def test_other_content_on_an_existing_message_fails_naming_it(api, thread_id):
    added = message(api, thread_id, role="user", content=QUESTION)["message"]
    api.reset()
    with pytest.raises(ModuleFail) as failed:
        message(api, thread_id, message_id=added["id"], role="user", content="Something else", metadata={"x": "y"})
    assert failed.value.result["msg"].startswith("content of an existing message cannot be changed")
    assert added["id"] in failed.value.result["msg"]
    assert api.stats()["writes"] == 0


def test_two_identical_messages_are_an_error_listing_both(api):
    same = {"role": "user", "content": QUESTION}
    thread_id = run(openai_thread.main, dict(api.conn, messages=[same, same]))["thread"]["id"]
    ids = [found["id"] for found in info(api, thread_id, order="asc")]
    assert len(ids) == 2
    api.reset()
    with pytest.raises(ModuleFail) as failed:
        message(api, thread_id, role="user", content=QUESTION, metadata={"a": "1"})
    msg = failed.value.result["msg"]
    assert msg == ("2 messages of thread %s have this role and content (%s, %s); set message_id to choose one"
                   % (thread_id, ids[0], ids[1]))
    assert api.stats()["writes"] == 0
    with pytest.raises(ModuleFail, match="set message_id"):
        message(api, thread_id, role="user", content=QUESTION, state="absent")
    assert api.stats()["writes"] == 0
    # with the id, each one can be managed
    assert message(api, thread_id, message_id=ids[1], state="absent")["changed"] is True
    assert message(api, thread_id, role="user", content=QUESTION)["message"]["id"] == ids[0]


def test_absent_by_id(api, thread_id):
    added = message(api, thread_id, role="user", content=QUESTION)["message"]
    api.reset()
    checked = message(api, thread_id, check_mode=True, message_id=added["id"], state="absent")
    assert checked["changed"] is True and api.stats()["writes"] == 0
    deleted = message(api, thread_id, message_id=added["id"], state="absent", diff=True)
    assert deleted["changed"] is True and deleted["message"]["id"] == added["id"]
    assert deleted["diff"]["after"] == {}
    assert api.stats()["requests"]["DELETE /v1/threads/{thread_id}/messages/{message_id}"] == 1
    again = message(api, thread_id, message_id=added["id"], state="absent")
    assert again["changed"] is False and again["message"] is None
    assert api.stats()["writes"] == 1
    assert info(api, thread_id) == []


def test_absent_by_content(api, thread_id):
    keep = message(api, thread_id, role="user", content="Keep me")["message"]
    message(api, thread_id, role="user", content=QUESTION)
    api.reset()
    deleted = message(api, thread_id, role="user", content=[{"type": "text", "text": QUESTION}], state="absent")
    assert deleted["changed"] is True and texts([deleted["message"]]) == [QUESTION]
    again = message(api, thread_id, role="user", content=QUESTION, state="absent")
    assert again["changed"] is False and again["message"] is None
    assert api.stats()["writes"] == 1
    assert [found["id"] for found in info(api, thread_id)] == [keep["id"]]


def test_unknown_message_id_is_an_error_on_present(api, thread_id):
    with pytest.raises(ModuleFail, match="message msg_doesnotexist was not found"):
        message(api, thread_id, message_id="msg_doesnotexist", metadata={"a": "1"})
    assert api.stats()["writes"] == 0


@pytest.mark.parametrize("args,fragment", [
    ({"role": "user"}, "content is required without message_id"),
    ({"content": "x"}, "role is required without message_id"),
    ({}, "role and content are required without message_id"),
    ({"role": "user", "content": ""}, "content must not be empty"),
    ({"role": "user", "content": [{"type": "audio"}]}, "content[0].type must be one of"),
    ({"role": "user", "content": "x", "attachments": [{"file_id": "f", "tools": [{"type": "web"}]}]},
     "attachments[0].tools: type must be code_interpreter or file_search"),
    ({"role": "user", "content": "x", "metadata": dict(("k%d" % i, "v") for i in range(17))}, "metadata"),
    ({"message_id": "msg/../x"}, "message_id must be an id"),
])
def test_bad_input_fails_before_any_request(api, thread_id, args, fragment):
    with pytest.raises(ModuleFail) as failed:
        message(api, thread_id, **args)
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


# ---- openai_thread_message_info ------------------------------------------------------------------
def add_many(api, thread_id, count):
    """count user messages "m000"... straight through the client (fast), oldest first; their ids."""
    client = OpenAIClient(api_key=api.api_key, base_url=api.base_url, beta=ASSISTANTS_BETA)
    return [client.post_once("/threads/%s/messages" % thread_id, {"role": "user", "content": "m%03d" % index})["id"]
            for index in range(count)]


def test_info_lists_every_page_in_either_order(api, thread_id):
    ids = add_many(api, thread_id, 105)
    api.reset()
    ascending = info(api, thread_id, order="asc")
    assert [found["id"] for found in ascending] == ids
    assert texts(ascending) == ["m%03d" % index for index in range(105)]
    assert api.stats()["requests"] == {LIST_PATH: 2}  # 100 + 5
    descending = info(api, thread_id, order="desc")
    assert [found["id"] for found in descending] == ids[::-1]
    assert [found["id"] for found in info(api, thread_id)] == ids[::-1]  # the API's default order is desc
    assert api.stats()["writes"] == 0


def test_info_max_items_and_cursors(api, thread_id):
    ids = add_many(api, thread_id, 7)
    api.reset()
    assert [found["id"] for found in info(api, thread_id, order="asc", max_items=3)] == ids[:3]
    assert api.stats()["requests"] == {LIST_PATH: 1}  # max_items sizes the page: no second request
    assert [found["id"] for found in info(api, thread_id, order="asc", after=ids[2], max_items=3)] == ids[3:6]
    assert [found["id"] for found in info(api, thread_id, order="asc", after=ids[5])] == ids[6:]
    assert [found["id"] for found in info(api, thread_id, order="asc", before=ids[3])] == ids[:3]
    assert [found["id"] for found in info(api, thread_id, order="desc", after=ids[3], max_items=2)] == ids[2:0:-1]
    assert info(api, thread_id, order="asc", after=ids[6]) == []


def test_info_max_items_must_be_positive(api, thread_id):
    with pytest.raises(ModuleFail, match="max_items must be at least 1, got 0"):
        info(api, thread_id, max_items=0)
    assert api.stats()["total"] == 0


def test_info_by_id_and_missing_id(api, thread_id):
    added = message(api, thread_id, role="user", content=QUESTION, metadata={"k": "v"})["message"]
    message(api, thread_id, role="user", content="Another")
    api.reset()
    assert info(api, thread_id, message_id=added["id"]) == [added]
    assert info(api, thread_id, message_id="msg_doesnotexist") == []
    assert api.stats()["requests"] == {"GET /v1/threads/{thread_id}/messages/{message_id}": 2}


def test_info_run_id_filter_returns_the_reply(api, thread_id):
    assistant_id = run(openai_assistant.main, dict(api.conn, name="helper", model="gpt-4o"))["assistant"]["id"]
    question = message(api, thread_id, role="user", content=QUESTION)["message"]
    started = run(openai_thread_run.main, dict(api.conn, thread_id=thread_id, assistant_id=assistant_id,
                                               metadata={"purpose": "reply"}, wait=True, wait_timeout=30))["run"]
    assert started["status"] == "completed"
    replies = info(api, thread_id, run_id=started["id"])
    assert len(replies) == 1
    reply = replies[0]
    assert reply["role"] == "assistant" and reply["run_id"] == started["id"]
    assert reply["assistant_id"] == assistant_id and reply["status"] == "completed"
    assert texts(replies) == ["Emulated reply: " + QUESTION]
    assert [found["id"] for found in info(api, thread_id, order="asc")] == [question["id"], reply["id"]]
    assert info(api, thread_id, run_id="run_doesnotexist") == []
