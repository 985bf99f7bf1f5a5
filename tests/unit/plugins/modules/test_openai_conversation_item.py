"""openai_conversation_item and openai_conversation_item_info through main(), against the emulator."""

from urllib.parse import urlsplit

import pytest
import requests

from ansible_collections.openai.beta.plugins.modules import (
    openai_conversation,
    openai_conversation_item,
    openai_conversation_item_info,
)

from modrun import ModuleFail, run

LIST = "GET /v1/conversations/{conversation_id}/items"
ADD = "POST /v1/conversations/{conversation_id}/items"
GET_ITEM = "GET /v1/conversations/{conversation_id}/items/{item_id}"
DELETE_ITEM = "DELETE /v1/conversations/{conversation_id}/items/{item_id}"

USER_TEXT = {"role": "user", "content": "What is the weather in Paris?"}
USER_PARTS = {"type": "message", "role": "user", "content": [
    {"type": "input_text", "text": "And this picture?"},
    {"type": "input_image", "image_url": "https://example.com/paris.png"},
]}
TOOL_OUTPUT = {"type": "function_call_output", "call_id": "call_123", "output": '{"temp_c": 21}'}
ANSWER = {"role": "assistant", "content": "It is 21 degrees in Paris.", "phase": "final_answer"}
EXCHANGE = [USER_TEXT, USER_PARTS, TOOL_OUTPUT, ANSWER]
# The API withholds an input image's URL (null) unless asked for it with include: the module asks for it itself to
# match USER_PARTS, but the test's own listings must ask too to see it
IMAGES = ["message.input_image.image_url"]


@pytest.fixture
def api(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    return fresh_emulator


@pytest.fixture
def sent(monkeypatch):
    """Every HTTP request the modules send: method, path, query and JSON body."""
    calls = []
    original = requests.Session.request

    def record(self, method, url, **kwargs):
        calls.append({"method": method, "path": urlsplit(url).path, "params": kwargs.get("params"),
                      "json": kwargs.get("json")})
        return original(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", record)
    return calls


@pytest.fixture
def conv(api):
    """An empty conversation; the counters start at zero."""
    conversation_id = run(openai_conversation.main, dict(api.conn))["conversation"]["id"]
    api.reset()
    return conversation_id


def items(api, conversation_id, check_mode=False, diff=False, **args):
    return run(openai_conversation_item.main, dict(api.conn, conversation_id=conversation_id, **args),
               check_mode=check_mode, diff=diff)


def info(api, conversation_id, **args):
    return run(openai_conversation_item_info.main,
               dict(api.conn, conversation_id=conversation_id, **args))["conversation_items"]


def listing(api, conversation_id):
    """The conversation's items, oldest first, image URLs included (not counted: the counters are restored by the caller)."""
    return info(api, conversation_id, order="asc", include=IMAGES)


def texts(found):
    return [item["content"][0]["text"] if item["type"] == "message" else item["output"] for item in found]


def posts(sent):
    return [call for call in sent if call["method"] == "POST"]


# ---- adding --------------------------------------------------------------------------------------
def test_check_mode_adds_nothing_and_returns_would_be_items(api, conv):
    result = items(api, conv, check_mode=True, diff=True, items=EXCHANGE)
    assert result["changed"] is True and result["conversation_id"] == conv
    would_be = result["conversation_items"]
    assert [item["id"] for item in would_be] == [None] * 4
    assert would_be[0] == {"id": None, "type": "message", "role": "user",
                           "content": [{"type": "input_text", "text": "What is the weather in Paris?"}]}
    assert would_be[2] == dict(TOOL_OUTPUT, id=None)
    assert would_be[3]["content"] == [{"type": "output_text", "text": "It is 21 degrees in Paris."}]
    assert would_be[3]["phase"] == "final_answer"
    assert result["diff"] == {"before": {"items": []}, "after": {"items": would_be}}
    assert api.writes() == 0
    assert api.stats()["requests"] == {LIST: 1}
    assert listing(api, conv) == []


def test_present_adds_every_form_in_one_post(api, conv, sent):
    result = items(api, conv, items=EXCHANGE)
    assert result["changed"] is True
    added = result["conversation_items"]
    assert [item["id"][:4] for item in added] == ["msg_", "msg_", "fco_", "msg_"]
    assert added[0]["content"] == [{"type": "input_text", "text": "What is the weather in Paris?"}]
    assert added[1]["content"][0] == {"type": "input_text", "text": "And this picture?"}
    assert added[1]["content"][1]["image_url"] == "https://example.com/paris.png"
    assert added[2]["call_id"] == "call_123" and added[2]["output"] == '{"temp_c": 21}'
    assert added[3]["role"] == "assistant" and added[3]["phase"] == "final_answer"
    assert added[3]["content"][0]["type"] == "output_text"
    # the listing, the add, and one listing more after it (a task that raced this one would show there)
    assert api.stats()["requests"] == {LIST: 2, ADD: 1}
    # the input_image part goes out with the API's default detail: the request schema requires the field
    user_parts_sent = dict(USER_PARTS, content=[USER_PARTS["content"][0], dict(USER_PARTS["content"][1], detail="auto")])
    assert [call["json"] for call in posts(sent)] == [{"items": [USER_TEXT, user_parts_sent, TOOL_OUTPUT, ANSWER]}]
    assert listing(api, conv) == added


def test_the_same_task_again_adds_nothing(api, conv):
    added = items(api, conv, items=EXCHANGE)["conversation_items"]
    api.reset()
    again = items(api, conv, diff=True, items=EXCHANGE)
    assert again["changed"] is False
    assert again["conversation_items"] == added
    assert again["diff"] == {"before": {}, "after": {}}
    assert api.writes() == 0 and api.stats()["requests"] == {LIST: 1}


def test_only_the_missing_item_is_added(api, conv, sent):
    first = items(api, conv, items=[USER_TEXT, TOOL_OUTPUT])["conversation_items"]
    api.reset()
    del sent[:]
    result = items(api, conv, items=[USER_TEXT, TOOL_OUTPUT, ANSWER])
    assert result["changed"] is True
    returned = result["conversation_items"]
    assert [item["id"] for item in returned[:2]] == [item["id"] for item in first]
    assert returned[2]["id"].startswith("msg_") and returned[2]["id"] not in [item["id"] for item in first]
    assert api.stats()["requests"] == {LIST: 2, ADD: 1}
    assert [call["json"] for call in posts(sent)] == [{"items": [ANSWER]}]
    assert listing(api, conv) == returned


def test_the_same_message_twice_needs_two_copies(api, conv, sent):
    hello = {"role": "user", "content": "Hello"}
    items(api, conv, items=[hello])
    del sent[:]
    twice = items(api, conv, items=[hello, hello])
    assert twice["changed"] is True
    assert [call["json"] for call in posts(sent)] == [{"items": [hello]}]
    stored = listing(api, conv)
    assert texts(stored) == ["Hello", "Hello"]
    assert [item["id"] for item in twice["conversation_items"]] == [item["id"] for item in stored]
    api.reset()
    assert items(api, conv, items=[hello, hello])["changed"] is False
    assert api.writes() == 0


def test_assistant_input_text_parts_are_not_added_twice(api, conv):
    said = {"role": "assistant", "content": [{"type": "input_text", "text": "Stored as output_text"}]}
    added = items(api, conv, items=[said])["conversation_items"]
    assert added[0]["content"][0]["type"] == "output_text"
    api.reset()
    again = items(api, conv, items=[said])
    assert again["changed"] is False and again["conversation_items"] == added
    assert api.writes() == 0


def test_include_is_passed_through(api, conv, sent):
    include = ["message.input_image.image_url", "message.output_text.logprobs"]
    items(api, conv, items=[USER_PARTS], include=include)
    assert [(call["method"], call["params"].get("include")) for call in sent] == [
        ("GET", include), ("POST", include), ("GET", include)]
    del sent[:]
    added = info(api, conv, include=include)
    item_id = added[0]["id"]
    info(api, conv, item_id=item_id, include=include)
    assert [(call["method"], call["params"].get("include")) for call in sent] == [("GET", include), ("GET", include)]
    del sent[:]
    items(api, conv, items=[USER_TEXT])
    assert [(call["method"], (call["params"] or {}).get("include")) for call in sent] == [("GET", None), ("POST", None),
                                                                                          ("GET", None)]


def test_a_missing_conversation_fails_with_the_api_error(api):
    with pytest.raises(ModuleFail) as failed:
        items(api, "conv_doesnotexist", items=[USER_TEXT])
    result = failed.value.result
    assert result["error"]["status"] == 404 and result["error"]["request_id"].startswith("req_")
    assert "conv_doesnotexist" in result["msg"]
    assert api.writes() == 0


# ---- deleting ------------------------------------------------------------------------------------
def test_absent_by_item_id_then_again(api, conv):
    added = items(api, conv, items=[USER_TEXT, ANSWER])["conversation_items"]
    gone, kept = added
    api.reset()
    checked = items(api, conv, check_mode=True, item_id=gone["id"], state="absent")
    assert checked["changed"] is True and checked["conversation_items"] == [gone]
    assert api.writes() == 0 and api.stats()["requests"] == {GET_ITEM: 1}
    api.reset()
    deleted = items(api, conv, diff=True, item_id=gone["id"], state="absent")
    assert deleted["changed"] is True
    assert deleted["conversation_items"] == [gone]
    assert deleted["diff"] == {"before": {"items": [gone]}, "after": {"items": []}}
    assert api.stats()["requests"] == {GET_ITEM: 1, DELETE_ITEM: 1}
    assert info(api, conv, item_id=gone["id"]) == []
    assert listing(api, conv) == [kept]
    api.reset()
    again = items(api, conv, item_id=gone["id"], state="absent")
    assert again["changed"] is False and again["conversation_items"] == []
    assert api.stats()["requests"] == {GET_ITEM: 1}
    assert items(api, conv, check_mode=True, item_id=gone["id"], state="absent")["changed"] is False


def test_delete_sent_again_after_its_answer_was_lost_is_still_a_change(api, conv):
    gone = items(api, conv, items=[USER_TEXT])["conversation_items"][0]
    api.reset()
    api.set_faults(1.0, kinds=["drop_after"], requests=[DELETE_ITEM], count=1)
    deleted = items(api, conv, item_id=gone["id"], state="absent")
    assert deleted["changed"] is True and deleted["conversation_items"] == [gone]
    assert api.stats()["requests"] == {GET_ITEM: 1, DELETE_ITEM: 2}  # the second one found it gone (404)
    assert listing(api, conv) == []


def test_absent_by_content_deletes_the_matching_items(api, conv):
    added = items(api, conv, items=[USER_TEXT, TOOL_OUTPUT, ANSWER])["conversation_items"]
    api.reset()
    checked = items(api, conv, check_mode=True, items=[ANSWER, USER_TEXT], state="absent")
    assert checked["changed"] is True
    assert checked["conversation_items"] == [added[2], added[0]]
    assert api.writes() == 0
    api.reset()
    deleted = items(api, conv, items=[ANSWER, USER_TEXT, {"role": "user", "content": "never said"}], state="absent")
    assert deleted["changed"] is True
    assert deleted["conversation_items"] == [added[2], added[0]]
    assert api.stats()["requests"] == {LIST: 1, DELETE_ITEM: 2}
    assert listing(api, conv) == [added[1]]
    api.reset()
    again = items(api, conv, items=[ANSWER, USER_TEXT], state="absent")
    assert again["changed"] is False and again["conversation_items"] == []
    assert api.writes() == 0


# ---- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("args,fragment", [
    ({"items": [{"role": "user", "content": "x%d" % i} for i in range(21)]},
     "items has 21 entries; between 1 and 20 are allowed"),
    ({"items": []}, "items is required"),
    ({"items": [{"role": "robot", "content": "x"}]},
     "items[0].role must be one of user, assistant, system, developer, got 'robot'"),
    ({"items": [USER_TEXT, {"role": "user", "content": ""}]}, "items[1].content must be a non-empty string"),
    ({"items": [{"role": "assistant", "content": "x", "phase": "draft"}]}, "items[0].phase must be one of"),
    ({"items": [{"type": "", "call_id": "c"}]}, "items[0].type must be set"),
    ({"item_id": "msg_abc", "items": [USER_TEXT]}, "item_id is only used with state=absent"),
    ({"state": "absent"}, "items is required (1 to 20 items), or item_id with state=absent"),
    ({"item_id": "../../conv_abc", "state": "absent"}, "item_id must be an id of the form"),
    ({"item_id": "msg_abc\n", "state": "absent"}, "item_id must be an id of the form"),
    ({"conversation_id": "conv-bad/../x", "items": [USER_TEXT]}, "conversation_id must be an id of the form conv_"),
    ({"conversation_id": "conv_abc\n", "items": [USER_TEXT]}, "conversation_id must be an id of the form conv_"),
])
def test_bad_input_fails_before_any_request(api, args, fragment):
    args = dict({"conversation_id": "conv_abc"}, **args)
    with pytest.raises(ModuleFail) as failed:
        run(openai_conversation_item.main, dict(api.conn, **args))
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def test_unknown_include_value_is_refused(api):
    with pytest.raises(ModuleFail, match="include"):
        items(api, "conv_abc", items=[USER_TEXT], include=["everything"])
    assert api.stats()["total"] == 0


# ---- info ----------------------------------------------------------------------------------------
def _fill(api, conversation_id, count):
    """Add `count` distinct user messages, 20 a request; the counters start at zero afterwards."""
    for start in range(0, count, 20):
        batch = [{"role": "user", "content": "m%03d" % i} for i in range(start, min(start + 20, count))]
        items(api, conversation_id, items=batch)
    api.reset()


def test_info_reads_every_page_in_either_order(api, conv):
    _fill(api, conv, 105)
    expected = ["m%03d" % i for i in range(105)]
    oldest_first = info(api, conv, order="asc")
    assert texts(oldest_first) == expected
    assert api.stats()["requests"] == {LIST: 2}
    api.reset()
    assert texts(info(api, conv, order="desc")) == list(reversed(expected))
    assert texts(info(api, conv)) == list(reversed(expected))  # the API's default order is desc
    assert api.stats()["requests"] == {LIST: 4}


def test_info_after_and_max_items(api, conv):
    _fill(api, conv, 105)
    ids = [item["id"] for item in info(api, conv, order="asc")]
    api.reset()
    assert texts(info(api, conv, order="asc", max_items=7)) == ["m%03d" % i for i in range(7)]
    assert api.stats()["requests"] == {LIST: 1}
    api.reset()
    assert texts(info(api, conv, order="asc", max_items=102)) == ["m%03d" % i for i in range(102)]
    assert api.stats()["requests"] == {LIST: 2}
    api.reset()
    assert texts(info(api, conv, order="asc", after=ids[2])) == ["m%03d" % i for i in range(3, 105)]
    assert api.stats()["requests"] == {LIST: 2}
    assert texts(info(api, conv, order="desc", after=ids[2])) == ["m001", "m000"]
    assert texts(info(api, conv, order="asc", after=ids[50], max_items=3)) == ["m051", "m052", "m053"]
    assert info(api, conv, order="asc", after=ids[104]) == []


def test_info_has_no_before(api, conv):
    with pytest.raises(ModuleFail, match="before"):
        info(api, conv, before="msg_abc")
    assert api.stats()["total"] == 0


def test_info_by_item_id_and_missing_item(api, conv):
    added = items(api, conv, items=[USER_TEXT, TOOL_OUTPUT])["conversation_items"]
    api.reset()
    assert info(api, conv, item_id=added[1]["id"]) == [added[1]]
    assert info(api, conv, item_id="msg_doesnotexist") == []
    assert api.stats()["requests"] == {GET_ITEM: 2}
    assert info(api, conv, item_id="msg_doesnotexist", order="asc", max_items=1) == []


def test_info_on_an_empty_conversation_is_an_empty_list(api, conv):
    assert info(api, conv) == []
    assert api.stats()["requests"] == {LIST: 1}


@pytest.mark.parametrize("args,fragment", [
    ({"conversation_id": "conv-bad/../x"}, "conversation_id must be an id of the form conv_"),
    ({"item_id": "../../conv_abc"}, "item_id must be an id of the form"),
    ({"max_items": 0}, "max_items must be at least 1, got 0"),
])
def test_info_bad_input_fails_before_any_request(api, args, fragment):
    args = dict({"conversation_id": "conv_abc"}, **args)
    with pytest.raises(ModuleFail) as failed:
        run(openai_conversation_item_info.main, dict(api.conn, **args))
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0
