"""Cursor pagination shared by every list endpoint.

Semantics (the same as the real API's):

* ``limit``: default 20, 1..100 (ChatKit lists: 0..100, as in their spec); anything else is 400
  with ``param: limit``.
* ``order``: ``asc`` or ``desc`` by creation time (default ``desc``); anything else is 400.
* ``after=<id>``: the objects that come after ``<id>`` in the chosen order; ``before=<id>``: the
  ones that come before it (the page nearest to the cursor is returned, in the chosen order).
* ``has_more`` is exact: true if and only if more objects follow the page in the direction of travel
  (for ``before`` that is towards the start of the list).
* ``first_id``/``last_id`` are the ids of the page's first and last objects, ``null`` on an empty page.

A cursor names a position, so a cursor whose object was deleted since still works (the store keeps
the sequence number of every id it issued). A cursor that the emulator never issued is a 400
``invalid_request_error`` with ``param`` ``after``/``before``: that makes a client bug visible
instead of silently ending the iteration. (This is the emulator's choice: the real API's behaviour
for a bogus cursor is not documented.)
"""

from . import errors

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def parse_list_params(query, store, allow_before=True, min_limit=1, default_order="desc"):
    """Validate ``limit``, ``order``, ``after``, ``before`` from a parsed query string."""
    raw = query.get("limit")
    if raw is None or raw == "":
        limit = DEFAULT_LIMIT
    else:
        try:
            limit = int(raw)
        except ValueError:
            raise errors.invalid(
                "Invalid 'limit': expected an integer, but got '%s' instead." % raw, "limit", "invalid_type"
            )
        if limit < min_limit or limit > MAX_LIMIT:
            raise errors.invalid(
                "Invalid 'limit': integer out of range. Expected a value between %d and %d, but got %d instead."
                % (min_limit, MAX_LIMIT, limit),
                "limit", "integer_out_of_range",
            )
    order = query.get("order") or default_order
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ["asc", "desc"])
    after = query.get("after") or None
    before = (query.get("before") or None) if allow_before else None
    for name, cursor in (("after", after), ("before", before)):
        if cursor is not None and store.seq(cursor) is None:
            raise errors.invalid(
                "Invalid '%s': no object with id '%s' in this list." % (name, cursor), name, "invalid_cursor"
            )
    return {"limit": limit, "order": order, "after": after, "before": before}


def paginate(items, params, seq_of):
    """Return ``(page, has_more)`` for ``items`` (already in ascending creation order)."""
    ascending = params["order"] == "asc"
    ordered = list(items) if ascending else list(reversed(items))
    # `sign` turns "comes after in this order" into a plain comparison of sequence numbers
    sign = 1 if ascending else -1
    if params["after"] is not None:
        cursor = sign * seq_of(params["after"])
        ordered = [o for o in ordered if sign * seq_of(o["id"]) > cursor]
    limit = params["limit"]
    if params["before"] is not None:
        cursor = sign * seq_of(params["before"])
        ordered = [o for o in ordered if sign * seq_of(o["id"]) < cursor]
        # the page nearest to the cursor: the last `limit` objects before it
        start = max(0, len(ordered) - limit)
        page = ordered[start:] if limit else []
        return page, start > 0
    page = ordered[:limit]
    return page, len(ordered) > limit


def list_object(page, has_more):
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": has_more,
    }
