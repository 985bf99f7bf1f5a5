"""Every input item form of the Responses API (tests/data/input_item_forms.json) through the conversation modules.

A unit table over all forms: how each is sent, how it is stored, that a second run matches it (no copy); then
through main(), against the emulator, which validates each against the spec's own schemas: every form added, the
same task again adds nothing, as openai_conversation_item and as openai_conversation's first items; and check mode
returns a would-be item for each.
"""

import json
import os

import pytest

from ansible_collections.openai.beta.plugins.module_utils.conversation_items import (as_sent, check_items,
                                                                                     needed_includes, normalized,
                                                                                     pair, references_of)
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput
from ansible_collections.openai.beta.plugins.modules import (openai_conversation, openai_conversation_item,
                                                             openai_conversation_item_info)

from modrun import run

FORMS_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "input_item_forms.json")
with open(FORMS_FILE, encoding="utf-8") as handle:
    FORMS = json.load(handle)["forms"]
NAMES = list(FORMS)


def test_every_form_of_the_spec_is_in_the_table():
    assert len(FORMS) == 32  # the spec's InputItem union: EasyInputMessage, Item's 27 members, and 4 more


@pytest.mark.parametrize("name", NAMES)
def test_every_form_passes_the_modules_checks(name):
    check_items("items", [FORMS[name]])


@pytest.mark.parametrize("name", NAMES)
def test_every_form_is_sent_in_a_form_the_request_schema_takes(name):
    sent = as_sent(FORMS[name])
    if sent.get("role") == "assistant" and "id" not in sent:
        assert all(part["type"] != "output_text" for part in sent.get("content") or [] if isinstance(part, dict))
    assert all(value is not None for value in sent.values())


@pytest.fixture(scope="module")
def stored(emulator_module):
    """What the emulator stores for each form (the spec's ConversationItem), added once to a conversation."""
    conversation = run(openai_conversation.main, dict(emulator_module.conn))["conversation"]["id"]
    added = run(openai_conversation_item.main, dict(emulator_module.conn, conversation_id=conversation,
                                                    items=list(FORMS.values())[:20]))["conversation_items"]
    added += run(openai_conversation_item.main, dict(emulator_module.conn, conversation_id=conversation,
                                                     items=list(FORMS.values())[20:]))["conversation_items"]
    return conversation, dict(zip(NAMES, added))


@pytest.fixture(scope="module")
def emulator_module():
    from emulator.harness import Emulator

    with Emulator() as server:
        server.conn = {"api_key": server.api_key, "base_url": server.base_url}
        yield server


@pytest.mark.parametrize("name", NAMES)
def test_every_stored_form_matches_its_input_on_a_second_run(stored, name):
    _conversation, by_name = stored
    listing = list(by_name.values())
    references = references_of([FORMS[name]], listing)
    ((_wanted, match),) = pair(listing, [FORMS[name]], references)
    assert match is not None, "%s: no stored item matches %s (stored: %s)" % (
        name, normalized(FORMS[name], references), by_name[name])
    assert match["id"] == by_name[name]["id"] or name == "EasyInputMessage" and match["type"] == "message"


def test_the_whole_set_again_adds_nothing_and_sends_only_reads(stored, emulator_module):
    conversation, by_name = stored
    emulator_module.reset()
    for chunk in (list(FORMS.values())[:20], list(FORMS.values())[20:]):
        again = run(openai_conversation_item.main, dict(emulator_module.conn, conversation_id=conversation,
                                                        items=chunk))
        assert again["changed"] is False, [item.get("type") for item in again["conversation_items"]]
    assert emulator_module.writes() == 0
    listed = run(openai_conversation_item_info.main, dict(emulator_module.conn, conversation_id=conversation))
    assert len(listed["conversation_items"]) == len(FORMS)


def test_an_item_reference_matches_a_copy_of_what_it_names_never_the_item_itself(stored):
    _conversation, by_name = stored
    reference = FORMS["ItemReferenceParam"]
    named = by_name["OutputMessage"]
    listing = [named]  # the named item alone: the reference is not there yet
    ((_wanted, match),) = pair(listing, [reference], references_of([reference], listing))
    assert match is None
    copy = by_name["ItemReferenceParam"]
    assert copy["id"] != named["id"] and copy["type"] == named["type"]
    ((_wanted, match),) = pair([named, copy], [reference], references_of([reference], [named, copy]))
    assert match["id"] == copy["id"]


def test_a_reference_to_an_item_of_another_conversation_cannot_be_matched():
    assert normalized({"type": "item_reference", "id": "msg_elsewhere"}, {}) is None


def test_a_compaction_trigger_does_not_take_the_compaction_a_summary_needs():
    summary = {"id": "cmp_1", "type": "compaction", "encrypted_content": "abc"}
    made = {"id": "cmp_2", "type": "compaction", "encrypted_content": "server-made"}
    wanted = [FORMS["CompactionTriggerItemParam"], dict(FORMS["CompactionSummaryItemParam"], encrypted_content="abc")]
    pairs = pair([summary, made], wanted)
    assert [match["id"] for _wanted, match in pairs] == ["cmp_2", "cmp_1"]


def test_the_fields_the_api_withholds_are_asked_for():
    assert needed_includes(list(FORMS.values())) == [
        "code_interpreter_call.outputs", "computer_call_output.output.image_url", "file_search_call.results",
        "reasoning.encrypted_content", "web_search_call.action.sources"]
    image = {"role": "user", "content": [{"type": "input_image", "image_url": "https://x/y.png"}]}
    assert needed_includes([image]) == ["message.input_image.image_url"]


def test_an_assistant_message_with_output_text_parts_is_sent_as_input_text():
    written = {"role": "assistant", "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}
    assert as_sent(written) == {"role": "assistant", "content": [{"type": "input_text", "text": "Hi"}]}
    assert normalized(as_sent(written))["content"] == [{"type": "output_text", "text": "Hi"}]
    full = FORMS["OutputMessage"]
    assert as_sent(full) == full  # with an id and a status, the OutputMessage form, sent as written


@pytest.mark.parametrize("item,message", [
    ({"type": "function_call", "call_id": "c", "name": "f"}, r"items\[0\]\.arguments is required for a function_call"),
    ({"type": "mcp_approval_response", "approve": True, "approval_request_id": "r"},
     r"items\[0\]\.request_id is required for a mcp_approval_response"),
    ({"type": "local_shell_call_output", "id": "x", "output": "o"},
     r"items\[0\]\.call_id is required for a local_shell_call_output"),
    ({"type": "teleport"}, r"items\[0\]\.type must be message or one of additional_tools, apply_patch_call"),
    ({"content": "no role"}, r"items\[0\]\.type must be set \(or role and content, for a message\)"),
    ({"role": "robot", "content": "x"}, r"items\[0\]\.role must be one of user, assistant, system, developer"),
])
def test_malformed_forms_are_refused_naming_the_field(item, message):
    with pytest.raises(InvalidInput, match=message):
        check_items("items", [item])


def test_every_form_as_first_items_of_a_conversation_and_again(emulator_module, tmp_path):
    conn = dict(emulator_module.conn, name_store=str(tmp_path / "names.json"))
    forms = [form for name, form in FORMS.items() if name != "ItemReferenceParam"]  # it names an item of its own
    first = run(openai_conversation.main, dict(conn, name="every-form", items=forms[:20]))
    assert first["changed"]
    emulator_module.reset()
    again = run(openai_conversation.main, dict(conn, name="every-form", items=forms[:20]))
    assert again["changed"] is False and emulator_module.writes() == 0


def test_check_mode_returns_a_would_be_item_for_every_form(stored, emulator_module):
    conversation = run(openai_conversation.main, dict(emulator_module.conn))["conversation"]["id"]
    emulator_module.reset()
    result = run(openai_conversation_item.main, dict(emulator_module.conn, conversation_id=conversation,
                                                     items=list(FORMS.values())[:20]), check_mode=True)
    assert result["changed"] and len(result["conversation_items"]) == 20
    assert all(item["id"] is None for item in result["conversation_items"]) and emulator_module.writes() == 0
