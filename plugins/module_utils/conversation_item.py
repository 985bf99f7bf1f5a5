# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversation items: added in one batch, matched by content so a repeat adds no copy."""

from __future__ import annotations

from . import endpoints, validate
from .compare import contains
from .conversation_items import as_sent, check_items, needed_includes, normalized, pair, references_of
from .info import Info
from .limits import CONVERSATION_INCLUDE_VALUES, CONVERSATION_ITEMS_MAX
from .plan import ITEMS, ReadBack, Send, Settle, oldest_first
from .planner import ObjectPlanner, wanted as common_wanted
from .runner import Family, Held

ENDPOINT = endpoints.CONVERSATION_ITEM
IN_ORDER = {"order": "asc"}


def items_spec():
    """The argument spec of what openai_conversation_item adds or deletes."""
    return dict(
        items=dict(type="list", elements="dict"),
        include=dict(type="list", elements="str", choices=list(CONVERSATION_INCLUDE_VALUES)),
    )


def wanted(params):
    wish = common_wanted(ENDPOINT, None, params)
    if params.get("item_id") is None and not params.get("items"):
        raise validate.InvalidInput("items is required (1 to %d items), or item_id with state=absent"
                                    % CONVERSATION_ITEMS_MAX)
    if params["state"] == "present" and params.get("item_id"):
        raise validate.InvalidInput("item_id is only used with state=absent: items cannot be changed, "
                                    "only added (items) or deleted")
    check_items("items", params.get("items"), minimum=1)
    return wish


def include_query(params):
    """The task's include, and what its items need to be compared (the API leaves those fields out otherwise)."""
    include = sorted(set(params.get("include") or ()) | set(needed_includes(params.get("items"))))
    return {"include": include} if include else None


def read(reader, wish):
    """The item named by item_id, or every item of the conversation, oldest first."""
    params = wish.params
    if params.get("item_id"):
        item = reader.get(ENDPOINT.object_path(params, params["item_id"]))
        return Held(None, [item] if item else [])
    return Held(None, reader.list(ENDPOINT.collection_path(params), dict(IN_ORDER, **(include_query(params) or {}))))


class ConversationItemsPlanner(ObjectPlanner):
    endpoint = ENDPOINT

    def plan_present(self, held):
        references = references_of(self.params["items"], held.children)
        pairs = pair(held.children, self.params["items"], references)
        missing = [as_sent(wanted_item) for wanted_item, match in pairs if match is None]
        if not missing:
            return self.make_plan(False, [match for _wanted, match in pairs], extra=self.extra())
        params = self.params
        path = self.endpoint.collection_path(params)
        in_order = dict(IN_ORDER, **(include_query(params) or {}))
        add = Send("POST", path, {"items": missing}, include_query(params), once=True,
                   recover=ReadBack(path, lambda listing, _new: self.added(listing, pairs, references), in_order),
                   keep=ITEMS)
        # matched by content: a task that raced this one may have added the same items
        settle = Settle(path, lambda listing, ours: self.keep_oldest_pairs(listing, ours, references),
                        lambda item_id: self.endpoint.object_path(params, item_id), in_order,
                        label="conversation item")
        would_be = [match if match is not None
                    else dict(normalized(wanted_item, references) or as_sent(wanted_item), id=None)
                    for wanted_item, match in pairs]

        def assemble(obj, added):
            if not added:  # check mode: the would-be items
                return obj
            new = iter(added)
            return [match if match is not None else next(new) for _wanted, match in pairs]

        kept = [match for _wanted, match in pairs if match is not None]
        return self.make_plan(True, would_be, [add, settle], before={"items": kept}, assemble=assemble,
                              after_of=lambda items: {"items": items}, extra=self.extra())

    def keep_oldest_pairs(self, listing, ours, references):
        """The Settle's resolve: each wanted item paired with the oldest item that holds it; this task's items that
        no wanted item then needs are its copies of what a racing task added first."""
        kept = [match for _wanted, match in pair(oldest_first(listing), self.params["items"], references)]
        if None in kept:  # a wanted item that nothing matches: nothing here can be told a copy
            return None, []
        used = set(item["id"] for item in kept)
        spare = [item for item in listing if item.get("id") in ours and item["id"] not in used]
        # only a spare item of this task's that holds what a wanted item says is a copy; anything else stays
        targets = [normalized(item, references) for item in self.params["items"]]
        return kept, [item["id"] for item in spare if any(target is not None and contains(item, target)
                                                          for target in targets)]

    def added(self, listing, pairs, references):
        """After a lost answer to the POST: the items it added, found again by content; None if none."""
        again = pair(listing, self.params["items"], references)
        added = [match for (_wanted, match), (_wanted_before, before) in zip(again, pairs)
                 if before is None and match is not None]
        if not added:
            return None
        if len(added) != sum(1 for _wanted, before in pairs if before is None):
            raise validate.InvalidInput("conversation %s holds only some of the items this task added before its "
                                        "connection broke; run the task again to add the rest"
                                        % self.params["conversation_id"])
        return {"data": added}

    def plan_absent(self, held):
        # What the task changes is what the server held before it (read first), not what a delete answers: a delete
        # sent again after its answer was lost finds the item gone.
        if self.params.get("item_id"):
            targets = held.children
        else:
            references = references_of(self.params["items"], held.children)
            targets = [match for _wanted, match in pair(held.children, self.params["items"], references)
                       if match is not None]
        deletes = [Send("DELETE", self.endpoint.object_path(self.params, item["id"]), keep=None, missing="ignore")
                   for item in targets]
        return self.make_plan(bool(targets), targets, deletes, before={"items": targets},
                              after_of=lambda _items: {"items": []}, extra=self.extra())

    def extra(self):
        return {"conversation_id": self.params["conversation_id"]}


FAMILY = Family(ENDPOINT, wanted, read, ConversationItemsPlanner)


class ConversationItemInfo(Info):
    endpoint = ENDPOINT
    include_query = "include"
