"""Every form of the spec's InputItem union on the emulator's conversation items, checked against the spec.

tests/data/input_item_forms.json holds one minimal example per form (the modules' tests reuse it). The
forms are sent through ``SpecClient`` (openapi-core checks each request against the spec's InputItem and
each answer against ConversationItem / ConversationItemList, with the documented exceptions), created
both ways (``POST /conversations`` items and ``POST /conversations/{id}/items``), read back by get and
list, and their stored shapes checked: the type, an id of the family's prefix (or the one given), a
``status`` wherever the stored shape has one, what was sent kept. Malformed forms get the API's 400 naming
the param, and nothing of their request is stored. Each ``include`` value adds what it names.
"""

import json
import os
import re

import pytest
import requests

from emulator import conversation_items as items_
from emulator.spec_schemas import VALIDATOR, ref, union_members

pytestmark = pytest.mark.conformance

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "input_item_forms.json")
with open(DATA, encoding="utf-8") as _handle:
    FORMS = json.load(_handle)["forms"]
ALL_INCLUDE = [("include", value) for value in items_.INCLUDE]
HEX_ID = re.compile(r"^(?P<prefix>[a-z]+)_[0-9a-f]{48}$")
# forms stored as something else than what was sent (the others keep every key they were sent with)
CONVERTED = {"EasyInputMessage": "message", "ItemReferenceParam": "message", "CompactionTriggerItemParam": "compaction"}


def _conversation_items(c, conversation_id, **params):
    query = [("order", "asc"), ("limit", 100)] + ALL_INCLUDE + list(params.items())
    return c.get("/v1/conversations/%s/items" % conversation_id, params=query, beta=None)["data"]


def _add_every_form(c):
    """A conversation made with the first 20 forms, the others added to it; its items as listed, oldest first."""
    forms = list(FORMS.values())
    conversation = c.post("/v1/conversations", {"items": forms[:20], "metadata": {"forms": "all"}}, beta=None)
    assert set(conversation) == {"id", "object", "created_at", "metadata"}  # the items are not echoed
    added = c.post("/v1/conversations/%s/items" % conversation["id"], {"items": forms[20:]}, params=ALL_INCLUDE,
                   beta=None)
    assert added["object"] == "list" and added["has_more"] is False and len(added["data"]) == len(forms) - 20
    listed = _conversation_items(c, conversation["id"])
    assert listed[20:] == added["data"]
    return conversation["id"], listed


def test_the_data_file_has_every_form_of_the_spec_once():
    members = union_members("InputItem")
    assert sorted(FORMS) == sorted(members) and len(members) == len(set(members)) == 32
    for name, item in FORMS.items():
        VALIDATOR.check(item, ref(name), name)
        VALIDATOR.check(item, items_.INPUT_ITEM, name)
        assert VALIDATOR.matching_leaf(item, "InputItem") == name, "the example of %s fits an earlier form" % name


def test_every_stored_shape_is_a_conversation_item_of_its_type():
    assert sorted(items_.STORED) == sorted(items_.ID_PREFIXES)
    assert len(items_.STORED) == len(union_members("ConversationItem")) == 28


def test_every_form_is_stored_and_read_back(spec_client):
    c = spec_client
    conversation_id, listed = _add_every_form(c)
    assert len(listed) == len(FORMS)
    for (name, sent), stored in zip(FORMS.items(), listed):
        kind = CONVERTED.get(name, sent.get("type"))
        assert stored["type"] == kind, name
        if "id" in sent and name != "ItemReferenceParam":
            assert stored["id"] == sent["id"], name
        else:
            assert HEX_ID.match(stored["id"]).group("prefix") == items_.ID_PREFIXES[kind], (name, stored["id"])
        has_status = "status" in VALIDATOR.declared(items_.STORED[kind])
        assert ("status" in stored) is has_status, name
        if has_status:
            assert stored["status"] == sent.get("status", "completed"), name
        if name not in CONVERTED:
            assert _contains(stored, {key: value for key, value in sent.items() if key != "id"}), name
        assert "object" not in stored and "created_at" not in stored, name
        got = c.get("/v1/conversations/%s/items/%s" % (conversation_id, stored["id"]), params=ALL_INCLUDE, beta=None)
        assert got == stored, name
    assert_covered_items(c)


def _contains(stored, sent):
    """Everything sent is in what is stored (which may have more: what the server fills)."""
    if isinstance(sent, dict):
        return isinstance(stored, dict) and all(key in stored and _contains(stored[key], value)
                                                for key, value in sent.items())
    if isinstance(sent, list):
        return isinstance(stored, list) and len(stored) == len(sent) and all(map(_contains, stored, sent))
    return stored == sent


def assert_covered_items(c):
    for operation in ("POST /v1/conversations", "POST /v1/conversations/{conversation_id}/items",
                      "GET /v1/conversations/{conversation_id}/items",
                      "GET /v1/conversations/{conversation_id}/items/{item_id}"):
        assert c.validated[operation] > 0, operation


def test_what_the_emulator_makes_of_the_forms_that_are_not_kept_as_sent(spec_client):
    _conversation_id, listed = _add_every_form(spec_client)
    stored = dict(zip(FORMS, listed))
    assert stored["EasyInputMessage"]["content"] == [{"type": "input_text", "text": FORMS["EasyInputMessage"]["content"]}]
    assert stored["EasyInputMessage"]["role"] == "user" and stored["EasyInputMessage"]["status"] == "completed"
    # an item reference stores a copy of the item it names, with an id of its own
    reference = dict(stored["ItemReferenceParam"])
    assert reference.pop("id") != stored["OutputMessage"]["id"]
    assert reference == {key: value for key, value in stored["OutputMessage"].items() if key != "id"}
    assert stored["CompactionTriggerItemParam"]["encrypted_content"].startswith("emulated-compaction-")
    # what the stored shape requires and was not sent
    assert stored["FunctionShellCallItemParam"]["action"] == {"commands": ["echo hello"], "timeout_ms": None,
                                                              "max_output_length": None}
    assert stored["FunctionShellCallItemParam"]["environment"] is None
    assert stored["ToolSearchCallItemParam"]["execution"] == "server"


def test_ids_are_unique_per_conversation(spec_client):
    c = spec_client
    first, _listed = _add_every_form(c)
    second, listed = _add_every_form(c)  # the same forms, with the same given ids, in another conversation
    assert first != second and listed[2]["id"] == FORMS["OutputMessage"]["id"]
    again = requests.post("%s/conversations/%s/items" % (c.emulator.base_url, second), timeout=30,
                          headers={"Authorization": "Bearer %s" % c.emulator.api_key},
                          json={"items": [FORMS["OutputMessage"]]})
    assert again.status_code == 400 and again.json()["error"]["code"] == "duplicate_item_id"
    assert again.json()["error"]["param"] == "items[0].id"


# ---- include ----------------------------------------------------------------------------------------------
IMAGE_MESSAGE = {"type": "message", "role": "user", "content": [
    {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "auto"}]}
LOGPROBS = [{"token": "It", "logprob": -0.1, "bytes": [73, 116], "top_logprobs": []}]
SCORED_ANSWER = {"type": "message", "id": "msg_scored_answer", "role": "assistant", "status": "completed", "content": [
    {"type": "output_text", "text": "It", "annotations": [], "logprobs": LOGPROBS}]}
# include value -> (item, where the value is in the stored item, what it is without the include)
INCLUDED = {
    "file_search_call.results": (FORMS["FileSearchToolCall"], ("results",), None),
    "web_search_call.action.sources": (FORMS["WebSearchToolCall"], ("action", "sources"), "absent"),
    "computer_call_output.output.image_url": (FORMS["ComputerCallOutputItemParam"], ("output", "image_url"), "absent"),
    "code_interpreter_call.outputs": (FORMS["CodeInterpreterToolCall"], ("outputs",), None),
    "reasoning.encrypted_content": (FORMS["ReasoningItem"], ("encrypted_content",), None),
    "message.input_image.image_url": (IMAGE_MESSAGE, ("content", 0, "image_url"), None),
    "message.output_text.logprobs": (SCORED_ANSWER, ("content", 0, "logprobs"), []),
}


def _at(item, path):
    for step in path[:-1]:
        item = item[step]
    return item.get(path[-1], "absent") if isinstance(item, dict) else item[path[-1]]


@pytest.mark.parametrize("include", sorted(INCLUDED))
def test_each_include_value_adds_what_it_names(spec_client, include):
    c = spec_client
    item, path, withheld = INCLUDED[include]
    sent_value = _at(item, path)
    conversation = c.post("/v1/conversations", {}, beta=None)
    base = "/v1/conversations/%s/items" % conversation["id"]
    created = c.post(base, {"items": [item]}, beta=None)["data"][0]
    assert _at(created, path) == withheld
    assert _at(c.post(base, {"items": [dict(item, id=item["id"] + "_2") if "id" in item else item]},
                      params={"include": include}, beta=None)["data"][0], path) == sent_value
    path_one = "%s/%s" % (base, created["id"])
    assert _at(c.get(path_one, beta=None), path) == withheld
    assert _at(c.get(path_one, params={"include": include}, beta=None), path) == sent_value
    listed = c.get(base, params={"order": "asc"}, beta=None)["data"]
    assert [_at(found, path) for found in listed] == [withheld, withheld]
    others = [("include", value) for value in items_.INCLUDE if value != include]
    assert _at(c.get(path_one, params=others, beta=None), path) == withheld  # only its own value adds it
    listed = c.get(base, params=[("order", "asc"), ("include", include)], beta=None)["data"]
    assert [_at(found, path) for found in listed] == [sent_value, sent_value]


# ---- malformed forms ------------------------------------------------------------------------------------------
MALFORMED = [
    (dict(FORMS["ComputerToolCall"], action={"type": "teleport"}), "action.type", "invalid_value"),
    ({"type": "function_call", "call_id": "call_1", "name": "get_weather"}, "arguments", "missing_required_parameter"),
    (dict(FORMS["FunctionCallOutputItemParam"], output=5), "output", "invalid_type"),
    (dict(FORMS["FunctionShellCallItemParam"], action={"commands": "ls"}), "action.commands", "invalid_type"),
    (dict(FORMS["ApplyPatchToolCallItemParam"], operation={"type": "rename_file", "path": "a"}), "operation.type",
     "invalid_value"),
    (dict(FORMS["MCPApprovalResponse"], approve="yes"), "approve", "invalid_type"),
    ({"type": "reasoning", "id": "rs_1"}, "summary", "missing_required_parameter"),
    ({"type": "item_reference", "id": "msg_nowhere"}, "id", None),
    ({"type": "message", "role": "user", "content": [{"type": "input_text"}]}, "content[0].text",
     "missing_required_parameter"),
    ({"type": "message", "role": "robot", "content": "hi"}, "role", "invalid_value"),
    ({"type": "teleport"}, "type", "invalid_value"),
    (dict(FORMS["CompactionTriggerItemParam"], extra=1), "extra", "unknown_parameter"),
    (dict(FORMS["FunctionCallOutputItemParam"], call_id=""), "call_id", "empty_string"),
    (dict(FORMS["ProgramItemParam"], call_id="c" * 65), "call_id", "string_above_max_length"),
    (dict(FORMS["ComputerCallOutputItemParam"], output={"type": "computer_screenshot", "image_url": 3}),
     "output.image_url", "invalid_type"),
]


@pytest.mark.parametrize("item,where,code", MALFORMED, ids=[row[1] + "-" + str(row[0].get("type")) for row in MALFORMED])
def test_a_malformed_form_is_a_400_naming_the_param(emulator, item, where, code):
    http = requests.Session()
    http.headers["Authorization"] = "Bearer %s" % emulator.api_key
    conversation = http.post(emulator.base_url + "/conversations", json={}, timeout=30).json()["id"]
    good = [FORMS["EasyInputMessage"], FORMS["FunctionToolCall"], FORMS["InputMessage"]]
    for url, body in ((emulator.base_url + "/conversations", {"items": good + [item]}),
                      (emulator.base_url + "/conversations/%s/items" % conversation, {"items": good + [item]})):
        response = http.post(url, json=body, timeout=30)
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["param"] == "items[3]." + where, error
        if code is not None:
            assert error["code"] == code, error
        assert error["message"]
    listed = http.get(emulator.base_url + "/conversations/%s/items" % conversation, timeout=30).json()
    assert listed["data"] == []  # nothing of the request was stored
