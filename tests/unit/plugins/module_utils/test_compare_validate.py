"""Comparison (only what the user set) and the API's documented limits."""

import pytest

from ansible_collections.openai.beta.plugins.module_utils import endpoints, validate
from ansible_collections.openai.beta.plugins.module_utils.compare import contains, planned_metadata, strip_none
from ansible_collections.openai.beta.plugins.module_utils.conversation_items import items_match, normalized


def test_server_defaults_are_not_a_difference():
    actual = {"type": "file_search", "file_search": {"ranking_options": {"score_threshold": 0}}}
    assert contains(actual, {"type": "file_search"})


def test_lists_compare_element_by_element():
    assert contains([{"type": "a"}, {"type": "b"}], [{"type": "a"}, {"type": "b"}])
    assert not contains([{"type": "a"}, {"type": "b"}], [{"type": "a"}])
    assert not contains([{"type": "b"}, {"type": "a"}], [{"type": "a"}, {"type": "b"}])


def test_numbers_compare_by_value_but_bools_do_not_pass_for_numbers():
    assert contains(1, 1.0) and contains(0.7, 0.7000000000001)
    assert not contains(1, True) and not contains(0.7, 0.8)


def test_unset_suboptions_are_ignored_and_not_sent():
    assert contains({"a": 1}, {"a": 1, "b": None})
    assert strip_none({"a": None, "b": [{"c": None, "d": 1}]}) == {"b": [{"d": 1}]}


@pytest.mark.parametrize("desired,current,purge,planned", [
    (None, {"a": "1"}, True, None),
    ({"a": "1"}, {"a": "1"}, True, None),
    ({"a": "1"}, {"a": "1", "b": "2"}, True, {"a": "1"}),
    ({"a": "1"}, {"a": "1", "b": "2"}, False, None),
    ({"c": "3"}, {"a": "1"}, False, {"a": "1", "c": "3"}),
    ({}, {"a": "1"}, True, {}),
    ({"a": "1"}, None, True, {"a": "1"}),
])
def test_planned_metadata(desired, current, purge, planned):
    assert planned_metadata(desired, current, purge) == planned


def test_metadata_values_become_strings():
    assert validate.metadata("metadata", {"n": 2, "f": True, "s": "x"}) == {"n": "2", "f": "true", "s": "x"}


@pytest.mark.parametrize("value,fragment", [
    (dict(("k%d" % i, "v") for i in range(17)), "17 keys; at most 16"),
    ({"k" * 65: "v"}, "keys are at most 64"),
    ({"k": "v" * 513}, "values are at most 512"),
    ({"k": ["list"]}, "must be a string"),
])
def test_metadata_limits(value, fragment):
    with pytest.raises(validate.InvalidInput, match=fragment):
        validate.metadata("metadata", value)


def test_limits_at_the_boundary_are_accepted():
    validate.metadata("metadata", dict(("k%d" % i, "v" * 512) for i in range(16)))
    validate.number_range("temperature", 2, 0, 2)
    validate.item_count("items", [1] * 20, 1, 20)


def test_ids_are_checked_before_they_reach_a_url():
    endpoints.check_id("assistant_id", "asst_abc123", "asst")
    with pytest.raises(validate.InvalidInput, match="assistant_id must be an id of the form asst_"):
        endpoints.check_id("assistant_id", "asst_../../x", "asst")


def test_message_items_are_normalized_like_the_api_stores_them():
    assert normalized({"role": "user", "content": "hi"}) == {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
    assert normalized({"role": "assistant", "content": "yo", "phase": None})["content"][0]["type"] == "output_text"
    stored = [{"id": "msg_1", "type": "message", "status": "completed", "role": "user",
               "content": [{"type": "input_text", "text": "hi"}]}]
    assert items_match(stored, [{"role": "user", "content": "hi"}])
    assert not items_match(stored, [{"role": "user", "content": "hello"}])
