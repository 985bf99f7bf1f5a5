# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One generator for every OpenAI list endpoint, whichever cursor style it uses."""

from __future__ import annotations

from .errors import OpenAIError

PAGE_SIZE = 100


def paginate(get_page, path, query=None, max_items=None, direction="after", warn=None):
    """Yield the objects of every page of `path`, in the list's order.

    `get_page(path, query)` returns one list response. The next cursor is the page's `last_id`
    (`first_id` when paging with `before`), or the id of its last (first) object. A cursor the
    server already gave is an error rather than an endless loop; a page that claims `has_more`
    but gives no way forward ends the listing with a warning. Paging with `before` walks away from
    the cursor, so each page lies earlier in the list than the one before it: those pages are read
    first and yielded farthest first.
    """
    pages = _pages(get_page, path, query, max_items, direction, warn)
    if direction == "before":
        pages = reversed(list(pages))
    for page in pages:
        yield from page


def _pages(get_page, path, query, max_items, direction, warn):
    query = dict((key, value) for key, value in (query or {}).items() if value is not None)
    seen_cursors = set()
    count = 0
    while max_items is None or count < max_items:
        query["limit"] = PAGE_SIZE if max_items is None else min(PAGE_SIZE, max_items - count)
        page = get_page(path, query)
        items = page.get("data") or []
        if max_items is not None:
            items = items[:max_items - count] if direction == "after" else items[max(0, len(items) - (max_items - count)):]
        count += len(items)
        yield items
        if not page.get("has_more"):
            return
        cursor = _next_cursor(page, items, direction)
        if cursor is None:
            if warn:
                warn("GET %s said has_more but returned no cursor; stopped after %d objects" % (path, count))
            return
        if cursor in seen_cursors:
            raise OpenAIError("the server returned cursor %r twice; stopping to avoid an endless listing" % cursor,
                              method="GET", path=path)
        seen_cursors.add(cursor)
        query[direction] = cursor


def _next_cursor(page, items, direction):
    if direction == "before":
        return page.get("first_id") or (items[0].get("id") if items else None)
    return page.get("last_id") or (items[-1].get("id") if items else None)
