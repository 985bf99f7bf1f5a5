# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversation items: added in one batch, matched by content so a repeat adds no copy."""

from __future__ import annotations

import re

from . import validate
from .compare import contains
from .conversation_items import as_sent, check_items, normalized
from .info import Info
from .resource import Resource

INCLUDE_VALUES = ["file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
                  "message.input_image.image_url", "computer_call_output.output.image_url",
                  "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs"]


def check_item_id(value):
    """Item ids have several prefixes (msg_, fc_, fco_...): any <prefix>_<letters and digits>, never a path."""
    if value is not None and not re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9]+", value):
        raise validate.InvalidInput("item_id must be an id of the form msg_..., fc_... (a prefix, _, letters and "
                                    "digits), got %r" % value)


class ConversationItems(Resource):
    name = "conversation_items"
    id_option = "item_id"
    beta = None

    def collection_path(self):
        return "/conversations/%s/items" % self.params["conversation_id"]

    def include_query(self):
        return {"include": self.params["include"]} if self.params.get("include") else None

    def validate(self):
        validate.object_id("conversation_id", self.params["conversation_id"], "conv")
        check_item_id(self.params.get("item_id"))
        super().validate()
        if self.params.get("item_id") is None and not self.params.get("items"):
            raise validate.InvalidInput("items is required (1 to 20 items), or item_id with state=absent")
        if self.params["state"] == "present" and self.params.get("item_id"):
            raise validate.InvalidInput("item_id is only used with state=absent: items cannot be changed, "
                                        "only added (items) or deleted")
        check_items("items", self.params.get("items"), minimum=1)

    def existing_items(self):
        return list(self.client.list(self.collection_path(), dict({"order": "asc"}, **(self.include_query() or {}))))

    def pair(self, existing):
        """Each wanted item with the existing item that holds it (each existing item used once), or None."""
        unused = list(existing)
        pairs = []
        for wanted in self.params["items"]:
            target = normalized(wanted)
            match = next((item for item in unused if contains(item, target)), None)
            if match is not None:
                unused.remove(match)
            pairs.append((wanted, match))
        return pairs

    def ensure_present(self, current):
        pairs = self.pair(self.existing_items())
        missing = [as_sent(wanted) for wanted, match in pairs if match is None]
        if not missing:
            items = [match for wanted, match in pairs]
            return self.result(False, items, {}, {})
        if self.check_mode:
            added = [dict(normalized(item), id=None) for item in missing]
        else:
            added = self.client.post_once(self.collection_path(), {"items": missing}, query=self.include_query(),
                                          recover=lambda: self.recover_create(pairs))["data"]
        new = iter(added)
        items = [match if match is not None else next(new) for wanted, match in pairs]
        return self.result(True, items, {"items": [match for wanted, match in pairs if match is not None]},
                           {"items": items})

    def recover_create(self, pairs):
        """After an ambiguous failure of the create: the items it added, found again by content; None if none."""
        again = self.pair(self.existing_items())
        added = [match for (_wanted, match), (_wanted_before, before) in zip(again, pairs)
                 if before is None and match is not None]
        if not added:
            return None
        if len(added) != sum(1 for _wanted, before in pairs if before is None):
            raise validate.InvalidInput("conversation %s holds only some of the items this task added before its "
                                        "connection broke; run the task again to add the rest"
                                        % self.params["conversation_id"])
        return {"data": added}

    def ensure_absent(self, current):
        # Read first: whether the task changes anything is what the server held before it, not what a delete
        # answers (a delete sent again after its answer was lost finds the item gone).
        if self.params.get("item_id"):
            item = self.get(self.params["item_id"])
            targets = [item] if item else []
        else:
            targets = [match for wanted, match in self.pair(self.existing_items()) if match is not None]
        if not self.check_mode:
            for item in targets:
                self.delete(item)
        return self.result(bool(targets), targets, {"items": targets}, {"items": []})

    def read(self):
        return None

    def result(self, changed, obj, before, after):
        result = super().result(changed, obj, before, after)
        result["conversation_id"] = self.params["conversation_id"]
        return result


class ConversationItemInfo(Info):
    plural = "conversation_items"
    id_option = "item_id"

    def collection_path(self):
        return "/conversations/%s/items" % self.params["conversation_id"]

    def validate(self):
        validate.object_id("conversation_id", self.params["conversation_id"], "conv")
        check_item_id(self.params.get("item_id"))
        super().validate()

    def object_query(self):
        return {"include": self.params["include"]} if self.params.get("include") else None

    def list_query(self):
        return dict(super().list_query(), **(self.object_query() or {}))
