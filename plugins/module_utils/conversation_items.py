# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversation items as the user writes them, and as the API returns them."""

from __future__ import annotations

from . import validate
from .compare import contains, strip_none

MAX_ITEMS_PER_REQUEST = 20
MESSAGE_ROLES = ("user", "assistant", "system", "developer")
PHASES = ("commentary", "final_answer")


def check_items(option, items, minimum=1):
    if items is None:
        return
    validate.item_count(option, items, minimum, MAX_ITEMS_PER_REQUEST)
    for index, item in enumerate(items):
        if item.get("type", "message") != "message":
            if not item.get("type"):
                raise validate.InvalidInput("%s[%d].type must be set" % (option, index))
            continue
        if item.get("role") not in MESSAGE_ROLES:
            raise validate.InvalidInput("%s[%d].role must be one of %s, got %r"
                                        % (option, index, ", ".join(MESSAGE_ROLES), item.get("role")))
        if not isinstance(item.get("content"), (str, list)) or not item.get("content"):
            raise validate.InvalidInput("%s[%d].content must be a non-empty string or list of content parts"
                                        % (option, index))
        if item.get("phase") is not None and item["phase"] not in PHASES:
            raise validate.InvalidInput("%s[%d].phase must be one of %s, got %r"
                                        % (option, index, ", ".join(PHASES), item["phase"]))


def normalized(item):
    """An input item in the form the API stores it: a typed message with a list of content parts."""
    item = strip_none(item)
    if item.get("type", "message") != "message":
        return item
    content = item.get("content")
    if isinstance(content, str):
        part = "output_text" if item.get("role") == "assistant" else "input_text"
        content = [{"type": part, "text": content}]
    elif isinstance(content, list) and item.get("role") == "assistant":
        # the API stores an assistant's input_text parts (the EasyInputMessage form) as output_text
        content = [dict(part, type="output_text") if isinstance(part, dict) and part.get("type") == "input_text"
                   else part for part in content]
    return dict(item, type="message", content=content)


def as_sent(item):
    """An input item as it is sent: unset (None) entries dropped, and an `input_image` content part without
    `detail` given the API's default, `auto` (the API's request schema, InputImageContent, requires it)."""
    item = strip_none(item)
    content = item.get("content")
    if item.get("type", "message") != "message" or not isinstance(content, list):
        return item
    return dict(item, content=[dict({"detail": "auto"}, **part)
                               if isinstance(part, dict) and part.get("type") == "input_image" else part
                               for part in content])


def items_match(existing, wanted):
    """True when the stored items hold, in order, what the wanted input items say."""
    return len(existing) == len(wanted) and all(
        contains(have, normalized(want)) for have, want in zip(existing, wanted))
