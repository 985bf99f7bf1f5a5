# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Thread messages as the user writes them, and as the Assistants API stores them."""

from __future__ import annotations

from . import validate
from .compare import contains, strip_none
from .limits import ATTACHMENT_TOOL_TYPES, MESSAGE_ATTACHMENTS_MAX, MESSAGE_PART_TYPES, MESSAGE_ROLES, THREAD_MESSAGES_MAX


def normalized_content(content):
    """A message's content as the API returns it: a list of parts, text as {value, annotations}."""
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    parts = []
    for part in content or []:
        part = strip_none(part)
        if part.get("type") == "text" and isinstance(part.get("text"), str):
            part = dict(part, text={"value": part["text"]})
        parts.append(part)
    return parts


def message_matches(stored, role, content, attachments=None):
    """True when a stored message has this role and content (and attachments, when given)."""
    if stored.get("role") != role or not contains(stored.get("content"), normalized_content(content)):
        return False
    return attachments is None or contains(stored.get("attachments") or [], strip_none(attachments))


def check_message(option, message):
    """A message given as options (role, content, attachments, metadata): InvalidInput when malformed."""
    if message.get("role") not in MESSAGE_ROLES:
        raise validate.InvalidInput("%s.role must be one of %s, got %r"
                                    % (option, ", ".join(MESSAGE_ROLES), message.get("role")))
    check_content(option + ".content", message.get("content"))
    check_attachments(option + ".attachments", message.get("attachments"))
    validate.metadata(option + ".metadata", message.get("metadata"))


def check_attachments(option, attachments):
    validate.item_count(option, attachments, 0, MESSAGE_ATTACHMENTS_MAX)
    for index, attachment in enumerate(attachments or []):
        for tool in attachment.get("tools") or []:
            if tool.get("type") not in ATTACHMENT_TOOL_TYPES:
                raise validate.InvalidInput("%s[%d].tools: type must be %s, got %r"
                                            % (option, index, " or ".join(ATTACHMENT_TOOL_TYPES), tool.get("type")))


def check_content(option, content):
    if isinstance(content, str):
        if not content:
            raise validate.InvalidInput("%s must not be empty" % option)
        return
    if not isinstance(content, list) or not content:
        raise validate.InvalidInput("%s must be a non-empty string or a list of content parts" % option)
    for index, part in enumerate(content):
        kind = part.get("type") if isinstance(part, dict) else None
        if kind not in MESSAGE_PART_TYPES:
            raise validate.InvalidInput("%s[%d].type must be one of %s, got %r"
                                        % (option, index, ", ".join(MESSAGE_PART_TYPES), kind))


def messages_body(messages):
    """Messages as the API takes them: unset suboptions dropped, metadata values as strings."""
    body = []
    for message in strip_none(messages):
        if "metadata" in message:
            message = dict(message, metadata=validate.metadata("metadata", message["metadata"]))
        body.append(message)
    return body


def check_messages(option, messages, limit=THREAD_MESSAGES_MAX):
    if messages is None:
        return
    validate.item_count(option, messages, 0, limit)
    for index, message in enumerate(messages):
        check_message("%s[%d]" % (option, index), message)


def message_spec():
    """The suboptions of one message (thread messages, a run's additional_messages)."""
    return dict(
        role=dict(type="str", required=True, choices=list(MESSAGE_ROLES)),
        content=dict(type="raw", required=True),
        attachments=dict(type="list", elements="dict", options=attachment_spec()),
        metadata=dict(type="dict"),
    )


def attachment_spec():
    return dict(
        file_id=dict(type="str", required=True),
        tools=dict(type="list", elements="dict"),
    )
