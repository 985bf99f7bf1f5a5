"""openai_assistant and openai_assistant_info through main(), against the emulator."""

import pytest
import requests

from ansible_collections.openai.beta.plugins.modules import openai_assistant, openai_assistant_info

from modrun import ModuleFail, run


@pytest.fixture
def api(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    return fresh_emulator


def assistant(api, check_mode=False, diff=False, **args):
    return run(openai_assistant.main, dict(api.conn, **args), check_mode=check_mode, diff=diff)


def info(api, **args):
    return run(openai_assistant_info.main, dict(api.conn, **args))


def test_check_mode_create_sends_no_write_and_returns_the_would_be_object(api):
    result = assistant(api, check_mode=True, name="support", model="gpt-4o", metadata={"team": "a"})
    assert result["changed"] is True
    assert result["assistant"]["id"] is None and result["assistant"]["name"] == "support"
    assert api.writes() == 0
    assert info(api)["assistants"] == []


def test_create_then_same_task_is_not_a_change(api):
    first = assistant(api, name="support", model="gpt-4o", temperature=0.2, tools=[{"type": "code_interpreter"}])
    assert first["changed"] is True and first["assistant"]["id"].startswith("asst_")
    api.reset()
    second = assistant(api, name="support", model="gpt-4o", temperature=0.2, tools=[{"type": "code_interpreter"}])
    assert second["changed"] is False
    assert second["assistant"]["id"] == first["assistant"]["id"]
    assert api.writes() == 0


def test_server_defaults_are_not_a_change(api):
    assistant(api, name="defaults", model="gpt-4o")
    again = assistant(api, name="defaults", model="gpt-4o", temperature=1, top_p=1, response_format="auto",
                      metadata={})
    assert again["changed"] is False


def test_update_changes_only_what_was_asked(api):
    created = assistant(api, name="support", model="gpt-4o", instructions="old", description="keep me")["assistant"]
    api.reset()
    result = assistant(api, name="support", instructions="new", diff=True)
    assert result["changed"] is True
    updated = result["assistant"]
    assert updated["instructions"] == "new"
    assert updated["description"] == "keep me" and updated["model"] == "gpt-4o"
    assert result["diff"] == {"before": {"name": "support", "instructions": "old"},
                              "after": {"name": "support", "instructions": "new"}}
    requests = api.stats()["requests"]
    assert requests.get("POST /v1/assistants/{assistant_id}") == 1
    assert updated["id"] == created["id"]


def test_rename_by_id(api):
    created = assistant(api, name="before", model="gpt-4o")["assistant"]
    renamed = assistant(api, assistant_id=created["id"], name="after")
    assert renamed["changed"] and renamed["assistant"]["name"] == "after"


def test_check_mode_update_shows_the_change_but_sends_no_write(api):
    assistant(api, name="support", model="gpt-4o", temperature=0.5)
    api.reset()
    result = assistant(api, check_mode=True, diff=True, name="support", temperature=1.5)
    assert result["changed"] and result["assistant"]["temperature"] == 1.5
    assert result["diff"]["before"]["temperature"] == 0.5
    assert api.writes() == 0
    assert info(api, name="support")["assistants"][0]["temperature"] == 0.5


def test_metadata_purge_and_merge(api):
    assistant(api, name="m", model="gpt-4o", metadata={"a": "1", "b": "2"})
    merged = assistant(api, name="m", metadata={"c": 3}, purge_metadata=False)["assistant"]
    assert merged["metadata"] == {"a": "1", "b": "2", "c": "3"}
    purged = assistant(api, name="m", metadata={"c": "3"})["assistant"]
    assert purged["metadata"] == {"c": "3"}
    untouched = assistant(api, name="m", description="x")["assistant"]
    assert untouched["metadata"] == {"c": "3"}


def test_tools_removal_and_reorder_are_changes(api):
    assistant(api, name="t", model="gpt-4o", tools=[{"type": "code_interpreter"}, {"type": "file_search"}])
    assert assistant(api, name="t", tools=[{"type": "file_search"}, {"type": "code_interpreter"}])["changed"]
    assert assistant(api, name="t", tools=[])["assistant"]["tools"] == []


def test_two_assistants_with_the_name_is_an_error_listing_both(api):
    one = assistant(api, assistant_id=None, name="dup", model="gpt-4o")["assistant"]["id"]
    other = assistant(api, name="other", model="gpt-4o")["assistant"]["id"]
    assistant(api, assistant_id=other, name="dup")
    with pytest.raises(ModuleFail) as failed:
        assistant(api, name="dup", instructions="x")
    message = failed.value.result["msg"]
    assert one in message and other in message and "assistant_id" in message


def test_delete_then_delete_again(api):
    assistant(api, name="gone", model="gpt-4o")
    api.reset()
    assert assistant(api, check_mode=True, name="gone", state="absent")["changed"] is True
    assert api.writes() == 0
    deleted = assistant(api, name="gone", state="absent", diff=True)
    assert deleted["changed"] is True and deleted["diff"]["after"] == {}
    assert assistant(api, name="gone", state="absent")["changed"] is False
    assert info(api, name="gone")["assistants"] == []


def test_absent_by_unknown_id_is_not_a_change(api):
    assert assistant(api, assistant_id="asst_doesnotexist", state="absent")["changed"] is False


def test_present_with_unknown_id_fails_clearly(api):
    with pytest.raises(ModuleFail, match="asst_nope was not found"):
        assistant(api, assistant_id="asst_nope", name="x")


def test_create_needs_a_model(api):
    with pytest.raises(ModuleFail, match="model is required"):
        assistant(api, name="nomodel")
    assert api.writes() == 0


@pytest.mark.parametrize("args,fragment", [
    ({"temperature": 2.5}, "temperature must be between 0 and 2"),
    ({"top_p": -0.1}, "top_p must be between 0 and 1"),
    ({"metadata": dict(("k%d" % i, "v") for i in range(17))}, "metadata has 17 keys"),
    ({"tools": [{"type": "browser"}]}, "tools[0].type must be one of"),
    ({"tools": [{"type": "function", "function": {}}]}, "tools[0].function.name is required"),
    ({"response_format": "xml"}, "response_format must be auto or"),
    ({"name": "n" * 257}, "name is 257 characters"),
    ({"tool_resources": {"code_interpreter": {"file_ids": ["f"] * 21}}}, "code_interpreter.file_ids has 21"),
    ({"assistant_id": "not-an-id"}, "assistant_id must be an id"),
    ({"reasoning_effort": "extreme"}, "reasoning_effort"),
])
def test_bad_input_fails_before_any_request(api, args, fragment):
    api.reset()
    base = {"name": "x", "model": "gpt-4o"}
    with pytest.raises(ModuleFail) as failed:
        assistant(api, **dict(base, **args))
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def test_api_errors_carry_status_type_and_request_id(api):
    with pytest.raises(ModuleFail) as failed:
        run(openai_assistant.main, dict(api.conn, api_key="sk-wrong-key-for-test", name="x", model="gpt-4o"))
    result = failed.value.result
    assert result["error"]["status"] == 401 and result["error"]["request_id"].startswith("req_")
    assert "sk-wrong-key-for-test" not in repr(result)


def test_missing_api_key_is_explained(api, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModuleFail, match="OPENAI_API_KEY"):
        run(openai_assistant.main, {"base_url": api.base_url, "name": "x"})


def test_retirement_warning_once(api):
    result = assistant(api, name="w", model="gpt-4o")
    assert len([w for w in result["warnings"] if "retired" in w]) == 1


def test_info_lists_every_page_in_order_with_max_items(api):
    # made straight through the API: the module's create would wait for racers (Settle) 120 times
    headers = {"Authorization": "Bearer %s" % api.api_key, "OpenAI-Beta": "assistants=v2"}
    for index in range(120):
        made = requests.post(api.base_url + "/assistants", json={"name": "a%03d" % index, "model": "gpt-4o"},
                             headers=headers, timeout=10)
        assert made.status_code == 200, made.text
    api.reset()
    listed = info(api, order="asc")["assistants"]
    assert [a["name"] for a in listed] == ["a%03d" % i for i in range(120)]
    assert api.stats()["requests"]["GET /v1/assistants"] == 2
    assert len(info(api, max_items=7)["assistants"]) == 7
    one = info(api, assistant_id=listed[5]["id"])["assistants"]
    assert [a["name"] for a in one] == ["a005"]
    assert info(api, assistant_id="asst_missing")["assistants"] == []
    assert [a["name"] for a in info(api, name="a010")["assistants"]] == ["a010"]


def test_a_vector_store_to_make_is_a_create_only_request(api):
    make_a_store = {"file_search": {"vector_stores": [{"file_ids": ["file-abc123"]}]}}
    tools = [{"type": "file_search"}]
    with_store = assistant(api, name="with-store", model="gpt-4o", tools=tools, tool_resources=make_a_store)
    assert with_store["assistant"]["tool_resources"]["file_search"]["vector_store_ids"]
    assert assistant(api, name="with-store", model="gpt-4o", tool_resources=make_a_store)["changed"] is False
    assistant(api, name="without", model="gpt-4o", tools=tools)
    api.reset()
    with pytest.raises(ModuleFail, match=r"^tool_resources.file_search.vector_stores makes a vector store, which the "
                                         r"API does only when the assistant is created, and assistant asst_\w+ has "
                                         r"none attached"):
        assistant(api, name="without", model="gpt-4o", tool_resources=make_a_store)
    assert api.writes() == 0


def test_reasoning_effort_max_is_sent_and_kept(api):
    """max is one of the spec's reasoning efforts (limits.REASONING_EFFORTS, checked against it): end to end."""
    made = assistant(api, name="thinker", model="o3", reasoning_effort="max")
    assert made["changed"] and made["assistant"]["reasoning_effort"] == "max"
    assert assistant(api, name="thinker", reasoning_effort="max")["changed"] is False
