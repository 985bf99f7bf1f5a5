# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversation items as the user writes them, as they are sent, and as the API stores and returns them.

Every input item form of the Responses API is taken: messages (a role and content, the EasyInputMessage form, or
with type, status and an id), and each item type of limits.INPUT_ITEM_REQUIRED. Items are matched by content, so
that a second run adds no copy: an item matches a stored one that holds everything it says (server fields such as
id and status aside). Three forms are stored as something else, and are matched as what they become:
- an assistant message written with output_text parts and no id is sent with input_text parts (the form the API's
  request schema takes for it) and stored with output_text parts;
- compaction_trigger is stored as a compaction item (whose encrypted content the server makes);
- item_reference is stored as a copy of the item it names (another id, the same content): it matches such a copy
  in the conversation, never the item it names itself. The item it names must be in the same conversation.
Some fields are left out of the items the API returns unless the request includes them (limits.ITEM_INCLUDES):
the module asks for those its items carry, so that such items can be compared.
"""

from __future__ import annotations

from . import validate
from .compare import contains, strip_none
from .limits import (CONVERSATION_ITEMS_MAX, CONVERSATION_MESSAGE_ROLES, INPUT_ITEM_REQUIRED, ITEM_INCLUDES,
                     MESSAGE_PHASES)

MESSAGE = "message"
REFERENCE = "item_reference"


def kind(item):
    """An item's type; a message may leave it out (an empty type is not left out: it is a wrong one)."""
    if item.get("type") is not None:
        return item["type"]
    return MESSAGE if "role" in item else None


def check_items(option, items, minimum=1):
    if items is None:
        return
    validate.item_count(option, items, minimum, CONVERSATION_ITEMS_MAX)
    for index, item in enumerate(items):
        where = "%s[%d]" % (option, index)
        if item.get("type") is not None and not isinstance(item["type"], str):
            raise validate.InvalidInput("%s.type must be a string, got %r" % (where, item["type"]))
        item_type = REFERENCE if reference_id(item) else kind(item)
        if item_type == MESSAGE:
            check_message(where, item)
        elif item_type in INPUT_ITEM_REQUIRED:
            missing = [field for field in INPUT_ITEM_REQUIRED[item_type] if item.get(field) is None]
            if missing:
                raise validate.InvalidInput("%s.%s is required for a %s item" % (where, missing[0], item_type))
        elif not item.get("type"):
            raise validate.InvalidInput("%s.type must be set (or role and content, for a message)" % where)
        else:
            raise validate.InvalidInput("%s.type must be message or one of %s, got %r"
                                        % (where, ", ".join(sorted(INPUT_ITEM_REQUIRED)), item["type"]))


def check_message(where, item):
    if item.get("role") not in CONVERSATION_MESSAGE_ROLES:
        raise validate.InvalidInput("%s.role must be one of %s, got %r"
                                    % (where, ", ".join(CONVERSATION_MESSAGE_ROLES), item.get("role")))
    if not isinstance(item.get("content"), (str, list)) or not item.get("content"):
        raise validate.InvalidInput("%s.content must be a non-empty string or list of content parts" % where)
    if item.get("phase") is not None and item["phase"] not in MESSAGE_PHASES:
        raise validate.InvalidInput("%s.phase must be one of %s, got %r"
                                    % (where, ", ".join(MESSAGE_PHASES), item["phase"]))


def needed_includes(items):
    """The include values that make the API return what these items carry (without them it leaves those out)."""
    needed = set()
    for item in items or ():
        item = strip_none(item)
        for include, (item_type, path) in ITEM_INCLUDES.items():
            if kind(item) == item_type and _carries(item, path):
                needed.add(include)
    return sorted(needed)


def _carries(value, path):
    if not path:
        return value not in (None, [], {})
    if isinstance(value, list):
        return any(_carries(element, path) for element in value)
    return isinstance(value, dict) and _carries(value.get(path[0]), path[1:])


def as_sent(item):
    """An input item as it is sent: as written (items are free-form dictionaries, so a null is the user's own, and
    some schemas require one, such as a function tool's parameters), but an input_image part without detail gets the
    API's default, auto (the request schema requires it), and an assistant message without an id written with
    output_text parts is sent with input_text parts, the form the request schema takes (the API stores them as
    output_text)."""
    item = dict(item)
    content = item.get("content")
    if kind(item) != MESSAGE or not isinstance(content, list):
        return item
    easy_assistant = item.get("role") == "assistant" and "id" not in item
    parts = []
    for part in content:
        if isinstance(part, dict) and part.get("type") == "input_image":
            part = dict({"detail": "auto"}, **part)
        elif isinstance(part, dict) and part.get("type") == "output_text" and easy_assistant:
            part = dict((key, value) for key, value in part.items() if key not in ("annotations", "logprobs"))
            part["type"] = "input_text"
        parts.append(part)
    return dict(item, content=parts)


def normalized(item, references=None):
    """An input item in the form the API stores it: a typed message with a list of content parts (an assistant's
    as output_text), a compaction for a compaction_trigger, the named item's content for an item_reference (from
    `references`, id -> item; None when it is not known)."""
    item = strip_none(item)
    item_type = kind(item)
    if item_type == "compaction_trigger":
        return {"type": "compaction"}
    if reference_id(item):
        named = (references or {}).get(reference_id(item))
        if named is None:
            return None
        return dict((key, value) for key, value in named.items() if key not in ("id", "status"))
    if item_type != MESSAGE:
        return item
    content = item.get("content")
    if isinstance(content, str):
        part = "output_text" if item.get("role") == "assistant" else "input_text"
        content = [{"type": part, "text": content}]
    elif isinstance(content, list) and item.get("role") == "assistant":
        # the API stores an assistant's input_text parts (the EasyInputMessage form) as output_text
        content = [dict(part, type="output_text") if isinstance(part, dict) and part.get("type") == "input_text"
                   else part for part in content]
    return dict(item, type=MESSAGE, content=content)


def reference_id(item):
    """The id an item_reference names (its type may be left out: then it is an id alone), else None."""
    item = strip_none(item)
    if kind(item) == REFERENCE or (kind(item) is None and set(item) == {"id"}):
        return item.get("id")
    return None


def references_of(items, existing):
    """id -> the stored item, for the items that the task's item_reference items name."""
    wanted = set(reference_id(item) for item in items or ()) - {None}
    return dict((stored["id"], stored) for stored in existing if stored.get("id") in wanted)


def pair(existing, wanted_items, references=None):
    """Each wanted item with the existing item that holds it (each existing item stands for one wanted item), or
    None. The most specific wanted items choose first, so that a general one (a compaction_trigger) does not take
    the item a specific one (a compaction with its content) needs; an item_reference never takes the item it names."""
    targets = [normalized(item, references) for item in wanted_items]
    order = sorted(range(len(wanted_items)), key=lambda index: -_size(targets[index]))
    unused = list(existing)
    matches = [None] * len(wanted_items)
    for index in order:
        target = targets[index]
        if target is None:
            continue
        named = reference_id(wanted_items[index])
        match = next((stored for stored in unused if stored.get("id") != named and contains(stored, target)), None)
        if match is not None:
            unused.remove(match)
            matches[index] = match
    return list(zip(wanted_items, matches))


def _size(value):
    if isinstance(value, dict):
        return sum(_size(item) for item in value.values()) + 1
    if isinstance(value, list):
        return sum(_size(item) for item in value) + 1
    return 1


def items_match(existing, wanted, references=None):
    """True when the stored items hold, in order, what the wanted input items say."""
    return len(existing) == len(wanted) and all(
        target is not None and contains(have, target)
        for have, target in zip(existing, (normalized(want, references) for want in wanted)))
