# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deciding whether an object already is what the task asks for."""

from __future__ import annotations


def strip_none(value):
    """Drop unset (None) entries at every level: suboptions the user did not give are not sent."""
    if isinstance(value, dict):
        return dict((key, strip_none(item)) for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return [strip_none(item) for item in value]
    return value


def contains(actual, desired):
    """True when `actual` already holds everything in `desired`.

    Dict keys the user did not give are ignored, so server-filled defaults never count as a change;
    lists must match element by element (an extra or missing element is a change); numbers compare
    by value (1 == 1.0).
    """
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return False
        return all(contains(actual.get(key), item) for key, item in desired.items() if item is not None)
    if isinstance(desired, list):
        if not isinstance(actual, list) or len(actual) != len(desired):
            return False
        return all(contains(have, want) for have, want in zip(actual, desired))
    if isinstance(desired, bool) or isinstance(actual, bool):
        return desired is actual
    if isinstance(desired, (int, float)) and isinstance(actual, (int, float)):
        return abs(desired - actual) <= 1e-9 * max(1.0, abs(desired))
    return actual == desired


def planned_metadata(desired, current, purge):
    """The metadata map to send, or None when the object's metadata already is what the task asks."""
    if desired is None:
        return None
    current = current or {}
    planned = dict(desired) if purge else dict(current, **desired)
    return None if planned == current else planned
