"""openai_conversation and openai_conversation_info through main(), against the emulator."""

import pytest

from ansible_collections.openai.beta.plugins.modules import openai_conversation, openai_conversation_info

from modrun import ModuleFail, run

ITEMS = [{"role": "user", "content": "Hello"}, {"type": "message", "role": "assistant", "content": "Hi!"}]


@pytest.fixture
def api(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    return fresh_emulator


def conversation(api, check_mode=False, diff=False, **args):
    return run(openai_conversation.main, dict(api.conn, **args), check_mode=check_mode, diff=diff)


def info(api, conversation_id):
    return run(openai_conversation_info.main, dict(api.conn, conversation_id=conversation_id))["conversations"]


def test_check_mode_create_sends_nothing(api):
    result = conversation(api, check_mode=True, items=ITEMS, metadata={"topic": "x"})
    assert result["changed"] and result["conversation"]["id"] is None
    assert result["conversation"]["metadata"] == {"topic": "x"}
    assert api.writes() == 0


def test_create_with_items_then_repeat_by_id_is_not_a_change(api):
    created = conversation(api, items=ITEMS, metadata={"topic": "x"}, diff=True)
    conv = created["conversation"]
    assert created["changed"] and conv["id"].startswith("conv_")
    assert created["diff"]["after"]["metadata"] == {"topic": "x"}
    api.reset()
    again = conversation(api, conversation_id=conv["id"], items=ITEMS, metadata={"topic": "x"})
    assert again["changed"] is False and api.writes() == 0


def stored_conversations(api):
    """Every conversation the emulator holds (the API cannot list them): id -> (metadata, item texts)."""
    data = api.state()["data"]
    return dict((conversation_id, (obj["metadata"], [part["text"] for item in data["conversation_items"].get(
        conversation_id, {}).values() for part in item["content"]]))
        for conversation_id, obj in data["conversations"].items())


def test_create_is_empty_then_filled_with_one_request_for_all_items(api):
    conv = conversation(api, items=ITEMS, metadata={"topic": "x"})["conversation"]
    assert conv["metadata"] == {"topic": "x"}
    assert stored_conversations(api) == {conv["id"]: ({"topic": "x"}, ["Hello", "Hi!"])}
    assert api.stats()["requests"] == {"POST /v1/conversations": 1, "POST /v1/conversations/{conversation_id}": 1,
                                       "POST /v1/conversations/{conversation_id}/items": 1}


def test_lost_answer_to_the_create_is_sent_again_and_leaves_only_an_empty_conversation(api):
    api.set_faults(1.0, kinds=["drop_after"], requests=["POST /v1/conversations"], count=1)
    result = conversation(api, items=ITEMS, metadata={"topic": "x"})
    conv = result["conversation"]
    assert any("may have made an empty conversation" in warning for warning in result["warnings"])
    stored = stored_conversations(api)
    assert stored.pop(conv["id"]) == ({"topic": "x"}, ["Hello", "Hi!"])
    assert list(stored.values()) == [({}, [])]


@pytest.mark.parametrize("kind,posts", [("drop_after", 1), ("drop_before", 2)])
def test_lost_answer_to_the_items_is_read_back_before_sending_again(api, kind, posts):
    api.set_faults(1.0, kinds=[kind], requests=["POST /v1/conversations/{conversation_id}/items"], count=1)
    conv = conversation(api, items=ITEMS)["conversation"]
    assert stored_conversations(api) == {conv["id"]: ({}, ["Hello", "Hi!"])}
    assert api.stats()["requests"]["POST /v1/conversations/{conversation_id}/items"] == posts
    assert api.stats()["requests"]["GET /v1/conversations/{conversation_id}/items"] == 1


def test_a_failure_after_the_create_deletes_the_new_conversation(api):
    api.set_faults(1.0, kinds=["503"], requests=["POST /v1/conversations/{conversation_id}"])
    with pytest.raises(ModuleFail) as failed:
        conversation(api, items=ITEMS, metadata={"topic": "x"}, max_retries=0)
    assert "was deleted again: nothing of this task is left half-made" in failed.value.result["msg"]
    assert stored_conversations(api) == {}


def test_metadata_updates_in_place_and_nothing_else(api):
    conv = conversation(api, metadata={"a": "1"})["conversation"]
    api.reset()
    updated = conversation(api, conversation_id=conv["id"], metadata={"a": "2"}, diff=True)
    assert updated["changed"] and updated["conversation"]["metadata"] == {"a": "2"}
    assert updated["diff"] == {"before": {"metadata": {"a": "1"}}, "after": {"metadata": {"a": "2"}}}
    assert api.stats()["requests"] == {"GET /v1/conversations/{conversation_id}": 1,
                                       "POST /v1/conversations/{conversation_id}": 1}


def test_other_items_on_an_existing_conversation_are_refused(api):
    conv = conversation(api, items=ITEMS)["conversation"]
    api.reset()
    with pytest.raises(ModuleFail, match="items of an existing conversation cannot be changed"):
        conversation(api, conversation_id=conv["id"], items=[{"role": "user", "content": "Other"}])
    assert api.writes() == 0


def test_delete_then_delete_again(api):
    conv = conversation(api)["conversation"]
    assert conversation(api, check_mode=True, conversation_id=conv["id"], state="absent")["changed"]
    assert info(api, conv["id"]) != []
    assert conversation(api, conversation_id=conv["id"], state="absent")["changed"] is True
    assert conversation(api, conversation_id=conv["id"], state="absent")["changed"] is False
    assert info(api, conv["id"]) == []


def test_absent_needs_an_id(api):
    with pytest.raises(ModuleFail, match="conversation_id"):
        conversation(api, state="absent")


@pytest.mark.parametrize("args,fragment", [
    ({"items": [{"role": "user", "content": "x"}] * 21}, "items has 21 entries"),
    ({"items": [{"role": "robot", "content": "x"}]}, "items[0].role must be one of"),
    ({"items": [{"role": "user", "content": ""}]}, "items[0].content must be"),
    ({"items": [{"role": "assistant", "content": "x", "phase": "draft"}]}, "items[0].phase"),
    ({"metadata": {"k": "v" * 513}}, "values are at most 512"),
    ({"conversation_id": "conv-bad/../x"}, "conversation_id must be an id"),
    ({"base_url": "http://example.com/v1"}, "base_url must use https"),
])
def test_bad_input_fails_before_any_request(api, args, fragment):
    api.reset()
    with pytest.raises(ModuleFail) as failed:
        conversation(api, **args)
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0
