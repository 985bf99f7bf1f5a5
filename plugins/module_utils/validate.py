# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's documented limits, checked before any request is sent."""

from __future__ import annotations

from .limits import METADATA_MAX_KEY_LENGTH, METADATA_MAX_KEYS, METADATA_MAX_VALUE_LENGTH


class InvalidInput(ValueError):
    """Input the API would reject; the message names the option and the limit."""


def metadata(option, value):
    """The metadata map as the API stores it (string values), or InvalidInput."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("%s must be a dictionary of strings" % option)
    if len(value) > METADATA_MAX_KEYS:
        raise InvalidInput("%s has %d keys; at most %d are allowed" % (option, len(value), METADATA_MAX_KEYS))
    result = {}
    for key, item in value.items():
        key = str(key)
        if len(key) > METADATA_MAX_KEY_LENGTH:
            raise InvalidInput("%s key %r is %d characters long; keys are at most %d characters"
                               % (option, key[:20] + "...", len(key), METADATA_MAX_KEY_LENGTH))
        text = _metadata_text(option, key, item)
        if len(text) > METADATA_MAX_VALUE_LENGTH:
            raise InvalidInput("%s value of key %r is %d characters long; values are at most %d characters"
                               % (option, key, len(text), METADATA_MAX_VALUE_LENGTH))
        result[key] = text
    return result


def _metadata_text(option, key, item):
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (str, int, float)):
        return str(item)
    raise InvalidInput("%s value of key %r must be a string, number or boolean, got %s"
                       % (option, key, type(item).__name__))


def number_range(option, value, low, high=float("inf")):
    if value is not None and not low <= value <= high:
        if high == float("inf"):
            raise InvalidInput("%s must be at least %s, got %s" % (option, low, value))
        raise InvalidInput("%s must be between %s and %s, got %s" % (option, low, high, value))


def max_length(option, value, limit):
    if value is not None and len(value) > limit:
        raise InvalidInput("%s is %d characters long; at most %d are allowed" % (option, len(value), limit))


def item_count(option, items, low, high):
    if items is not None and not low <= len(items) <= high:
        raise InvalidInput("%s has %d entries; between %d and %d are allowed" % (option, len(items), low, high))
