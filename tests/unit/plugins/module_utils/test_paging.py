"""The pagination generator: both cursor styles, limits, and the ways a server can misbehave."""

import pytest

from ansible_collections.openai.beta.plugins.module_utils.errors import OpenAIError
from ansible_collections.openai.beta.plugins.module_utils.paging import paginate


class Pages:
    def __init__(self, *pages):
        self.pages = list(pages)
        self.queries = []

    def __call__(self, path, query):
        self.queries.append(dict(query))
        return self.pages.pop(0)


def page(ids, has_more, first_id=True, last_id=True):
    body = {"object": "list", "data": [{"id": i} for i in ids], "has_more": has_more}
    if first_id:
        body["first_id"] = ids[0] if ids else None
    if last_id:
        body["last_id"] = ids[-1] if ids else None
    return body


def test_reads_every_page_with_limit_100_and_after_last_id():
    pages = Pages(page(["a", "b"], True), page(["c"], False))
    assert [o["id"] for o in paginate(pages, "/x", {"order": "asc"})] == ["a", "b", "c"]
    assert pages.queries == [{"order": "asc", "limit": 100}, {"order": "asc", "limit": 100, "after": "b"}]


def test_without_last_id_the_last_object_is_the_cursor():
    pages = Pages(page(["a", "b"], True, last_id=False), page(["c"], False, last_id=False))
    assert len(list(paginate(pages, "/x"))) == 3
    assert pages.queries[1]["after"] == "b"


def test_before_pages_backwards_from_first_id():
    pages = Pages(page(["x", "y"], True), page(["w"], False))
    list(paginate(pages, "/x", {"before": "z"}, direction="before"))
    assert pages.queries[1]["before"] == "x"


def test_max_items_stops_early_and_sizes_pages():
    pages = Pages(page(["a", "b", "c"], True), page(["d", "e"], True))
    assert [o["id"] for o in paginate(pages, "/x", max_items=5)] == ["a", "b", "c", "d", "e"]
    assert [q["limit"] for q in pages.queries] == [5, 2]


def test_repeated_cursor_is_an_error_not_a_loop():
    pages = Pages(page(["a"], True), page(["a"], True))
    with pytest.raises(OpenAIError, match="twice"):
        list(paginate(pages, "/x"))


def test_empty_page_claiming_more_ends_with_a_warning():
    warnings = []
    pages = Pages(page(["a"], True), page([], True))
    assert [o["id"] for o in paginate(pages, "/x", warn=warnings.append)] == ["a"]
    assert "has_more" in warnings[0]


def test_none_query_values_are_not_sent():
    pages = Pages(page([], False))
    list(paginate(pages, "/x", {"order": None, "after": None}))
    assert pages.queries == [{"limit": 100}]


def test_before_yields_the_farther_pages_first_so_the_list_keeps_its_order():
    pages = Pages(page(["d", "e"], True), page(["b", "c"], True), page(["a"], False))
    assert [o["id"] for o in paginate(pages, "/x", {"before": "f"}, direction="before")] == ["a", "b", "c", "d", "e"]
    assert [q.get("before") for q in pages.queries] == ["f", "d", "b"]


def test_before_with_max_items_keeps_the_objects_nearest_the_cursor():
    pages = Pages(page(["c", "d"], True), page(["b"], True))
    assert [o["id"] for o in paginate(pages, "/x", {"before": "e"}, max_items=3, direction="before")] == ["b", "c", "d"]
    assert [q["limit"] for q in pages.queries] == [3, 1]
