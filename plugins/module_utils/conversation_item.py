# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversation items: added in one batch, matched by content so a repeat adds no copy."""

from __future__ import annotations

from . import endpoints, validate
from .compare import contains
from .conversation_items import as_sent, check_items, normalized
from .info import Info
from .limits import CONVERSATION_INCLUDE_VALUES, CONVERSATION_ITEMS_MAX
from .plan import ITEMS, ReadBack, Send
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
    return {"include": params["include"]} if params.get("include") else None


def read(reader, wish):
    """The item named by item_id, or every item of the conversation, oldest first."""
    params = wish.params
    if params.get("item_id"):
        item = reader.get(ENDPOINT.object_path(params, params["item_id"]))
        return Held(None, [item] if item else [])
    return Held(None, reader.list(ENDPOINT.collection_path(params), dict(IN_ORDER, **(include_query(params) or {}))))


def pair(existing, wanted_items):
    """Each wanted item with the existing item that holds it (each existing item used once), or None."""
    unused = list(existing)
    pairs = []
    for wanted_item in wanted_items:
        target = normalized(wanted_item)
        match = next((item for item in unused if contains(item, target)), None)
        if match is not None:
            unused.remove(match)
        pairs.append((wanted_item, match))
    return pairs


class ConversationItemsPlanner(ObjectPlanner):
    endpoint = ENDPOINT

    def plan_present(self, held):
        pairs = pair(held.children, self.params["items"])
        missing = [as_sent(wanted_item) for wanted_item, match in pairs if match is None]
        if not missing:
            return self.make_plan(False, [match for _wanted, match in pairs], extra=self.extra())
        params = self.params
        path = self.endpoint.collection_path(params)
        add = Send("POST", path, {"items": missing}, include_query(params), once=True,
                   recover=ReadBack(path, lambda listing, _new: self.added(listing, pairs),
                                    dict(IN_ORDER, **(include_query(params) or {}))),
                   keep=ITEMS)
        would_be = [match if match is not None else dict(normalized(wanted_item), id=None)
                    for wanted_item, match in pairs]

        def assemble(obj, added):
            if not added:  # check mode: the would-be items
                return obj
            new = iter(added)
            return [match if match is not None else next(new) for _wanted, match in pairs]

        kept = [match for _wanted, match in pairs if match is not None]
        return self.make_plan(True, would_be, [add], before={"items": kept}, assemble=assemble,
                              after_of=lambda items: {"items": items}, extra=self.extra())

    def added(self, listing, pairs):
        """After a lost answer to the POST: the items it added, found again by content; None if none."""
        again = pair(listing, self.params["items"])
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
            targets = [match for _wanted, match in pair(held.children, self.params["items"]) if match is not None]
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
