"""Conversation items: every form of the spec's ``InputItem`` union in, its ``ConversationItem`` shape out.

An item is checked against the vendored ``InputItem`` schema (schema_validator.py: the real API's 400s,
``param`` naming the place, e.g. ``items[3].action.type``), then stored in the shape of the
``ConversationItem`` member of its ``type`` (schema_filler.py fills what the server fills: ``status:
completed`` where the shape has a status, ``annotations``/``logprobs`` ``[]``, an image's ``detail: auto``,
``null`` for the nullable fields the shape requires), with an id of its family's prefix (``ID_PREFIXES``)
unless it came with one. What the spec's forms do not say, the emulator decides as follows:

* ``message``: string content becomes one ``input_text`` part (``output_text`` for the assistant); an
  assistant's ``input_text`` parts (the EasyInputMessage form) are stored as ``output_text``.
* ``item_reference``: the referenced item (of this request, of this conversation, else of any
  conversation) is stored again, as a copy with an id of its own; an unknown id is a 400 on
  ``items[i].id``.
* ``compaction_trigger``: stored as the ``compaction`` item the server makes of it, with an
  emulator-made ``encrypted_content``.
* An id is unique within its conversation (a 400 ``duplicate_item_id`` otherwise); the same id may be
  used in another conversation.

``present(item, include)`` is what get, list and create answer: without the ``include`` value that adds
it, each of these is withheld (``null`` where the shape allows it, else left out, ``[]`` for logprobs):
``file_search_call.results``, ``web_search_call.action.sources``, ``computer_call_output.output.image_url``,
``code_interpreter_call.outputs``, ``reasoning.encrypted_content``, ``message.input_image.image_url``,
``message.output_text.logprobs``. (``web_search_call.results`` is a valid value with nothing to add: the
stored shape of a web search call has no results.)
"""

import copy
import secrets

from . import errors
from .spec_schemas import FILLER, VALIDATOR, enum_of, ref, union_members
from .store import public, random_hex_id

MAX_ITEMS = 20
INPUT_ITEM = ref("InputItem")
CONVERSATION_ITEM = ref("ConversationItem")
INCLUDE = tuple(enum_of("IncludeEnum"))
# The stored shape of each item type: the ConversationItem member whose ``type`` it is.
STORED = {kind: ref(member) for member in union_members("ConversationItem")
          for kind in sorted(VALIDATOR.type_values(ref(member)))}
# Ids: the real prefixes where recorded ids show them (msg, fc, fs, ws, cmp in the spec's examples; mcpr,
# mcpl, ctc, rs, ig, ci, cu, sh in public recordings), the emulator's choice for the others.
ID_PREFIXES = {
    "message": "msg", "function_call": "fc", "function_call_output": "fco", "file_search_call": "fs",
    "web_search_call": "ws", "image_generation_call": "ig", "computer_call": "cu", "computer_call_output": "cuo",
    "tool_search_call": "tsc", "tool_search_output": "tso", "additional_tools": "adt", "reasoning": "rs",
    "program": "prog", "program_output": "progo", "compaction": "cmp", "code_interpreter_call": "ci",
    "local_shell_call": "lsh", "local_shell_call_output": "lsho", "shell_call": "sh", "shell_call_output": "sho",
    "apply_patch_call": "apc", "apply_patch_call_output": "apco", "mcp_list_tools": "mcpl",
    "mcp_approval_request": "mcpr", "mcp_approval_response": "mcpa", "mcp_call": "mcp", "custom_tool_call": "ctc",
    "custom_tool_call_output": "ctco",
}


def item_key(conversation_id, item_id):
    """The item's key in the store's sequence numbers: ids are unique per conversation, not globally."""
    return "%s/%s" % (conversation_id, item_id)


# ---- building -------------------------------------------------------------------------------------
def _message(item):
    role = item["role"]
    content = item["content"]
    if isinstance(content, str):
        content = [{"type": "input_text", "text": content}]
    parts = []
    for part in content:
        part = dict(part)
        if role == "assistant" and part["type"] == "input_text":
            part["type"] = "output_text"
        if part["type"] == "input_image":
            part.setdefault("image_url", None)
            part.setdefault("file_id", None)
        parts.append(part)
    return dict(item, type="message", content=parts)


def _referenced(item_id, batch, store, conversation_id, param):
    found = batch.get(item_id)
    if found is None and conversation_id is not None:
        found = store.get("conversation_items", item_id, conversation_id)
    if found is None:
        found = next((table[item_id] for table in store.data["conversation_items"].values() if item_id in table), None)
    if found is None:
        raise errors.invalid("Item with id '%s' not found." % item_id, param + ".id")
    referenced = copy.deepcopy(public(found))
    referenced.pop("id", None)
    return referenced


def _build(raw, param, batch, store, conversation_id):
    """``(id given or None, item in its stored shape with id None)``; nothing is stored here."""
    VALIDATOR.check(raw, INPUT_ITEM, param)
    form = VALIDATOR.matching_leaf(raw, "InputItem")
    given = raw.get("id") if form != "ItemReferenceParam" else None
    if form == "ItemReferenceParam":
        item = _referenced(raw["id"], batch, store, conversation_id, param)
    elif form == "CompactionTriggerItemParam":
        item = {"type": "compaction", "encrypted_content": "emulated-compaction-" + secrets.token_hex(16)}
    elif raw.get("type", "message") == "message":
        item = _message(raw)
    else:
        item = dict(raw)
    item["id"] = ""  # the id is set when the item is stored; the shape requires one
    stored = FILLER.complete(item, STORED[item["type"]])
    problem = VALIDATOR.errors(stored, CONVERSATION_ITEM)
    if problem is not None:  # an emulator bug: never answer a shape outside the spec
        raise errors.APIError(500, "The emulator cannot store this item as a ConversationItem: %s: %s" % problem,
                              "server_error")
    stored["id"] = None
    return given, stored


def build_items(items, store, conversation_id=None, param="items"):
    """Check every item of a request; returns ``(id given or None, stored shape)`` pairs, storing nothing."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise errors.invalid_type(param, "an array", items)
    if len(items) > MAX_ITEMS:
        raise errors.array_too_long(param, MAX_ITEMS, len(items))
    built, batch = [], {}
    for index, raw in enumerate(items):
        item_param = "%s[%d]" % (param, index)
        given, stored = _build(raw, item_param, batch, store, conversation_id)
        if given is not None:
            taken = conversation_id is not None and store.seq(item_key(conversation_id, given)) is not None
            if taken or given in batch:
                raise errors.invalid("Duplicate item id '%s'." % given, item_param + ".id", "duplicate_item_id")
            batch[given] = stored
        built.append((given, stored))
    return built


def store_items(store, conversation_id, built):
    created = []
    for given, stored in built:
        item_id = given
        while item_id is None or store.seq(item_key(conversation_id, item_id)) is not None:
            item_id = "%s_%s" % (ID_PREFIXES[stored["type"]], random_hex_id())  # 48 hex, like the real ones
        item = dict({"id": item_id, "type": stored["type"]}, **stored)
        item["id"] = item_id
        store.register(item_key(conversation_id, item_id))
        store.put("conversation_items", item, conversation_id)
        created.append(item)
    return created


def ordered(store, conversation_id):
    items = store.table("conversation_items", conversation_id).values()
    return sorted(items, key=lambda item: store.seq(item_key(conversation_id, item["id"])) or 0)


# ---- answering ------------------------------------------------------------------------------------
def _message_parts(item, include):
    for part in item["content"]:
        if part.get("type") == "input_image" and "message.input_image.image_url" not in include:
            part["image_url"] = None
        if part.get("type") == "output_text" and "message.output_text.logprobs" not in include:
            part["logprobs"] = []


def _withhold(item, key, empty=None):
    if key in item:
        item[key] = empty


WITHHELD = {  # item type -> what is left out of it unless ``include`` asks for it
    "message": _message_parts,
    "file_search_call": lambda item, include: (
        "file_search_call.results" in include or _withhold(item, "results")),
    "web_search_call": lambda item, include: (
        "web_search_call.action.sources" in include or item["action"].pop("sources", None)),
    "computer_call_output": lambda item, include: (
        "computer_call_output.output.image_url" in include or item["output"].pop("image_url", None)),
    "code_interpreter_call": lambda item, include: (
        "code_interpreter_call.outputs" in include or _withhold(item, "outputs")),
    "reasoning": lambda item, include: (
        "reasoning.encrypted_content" in include or _withhold(item, "encrypted_content")),
}


def present(item, include=()):
    """The item as get, list and create answer it, for the ``include`` values of the request."""
    shown = copy.deepcopy(public(item))
    withhold = WITHHELD.get(shown["type"])
    if withhold is not None:
        withhold(shown, include)
    return shown
