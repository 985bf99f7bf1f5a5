# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declarative base of every state: present/absent planner. Pure: plain data in, a Plan out.

A family declares its endpoint and its fields (from its argument-spec function); the base compares only what the
task sets, refuses changes to create-only fields, and plans a create, an update, a delete or nothing. A family
overrides the hooks where its API differs (what a create sends, how a field compares, what check mode shows).
"""

from __future__ import annotations

from . import validate
from .compare import contains, planned_metadata, strip_none
from .plan import NEW, Plan, ReadBack, Send, view

PRESENT, ABSENT = "present", "absent"


class Fields:
    """The options of a family that are API fields (the keys of its argument-spec function), and which of them the
    API sets only at creation."""

    def __init__(self, spec, create_only=()):
        self.names = tuple(spec)
        self.create_only = tuple(create_only)
        unknown = sorted(set(self.create_only) - set(self.names))
        if unknown:
            raise ValueError("create-only fields %s are not options of the argument spec" % ", ".join(unknown))

    def desired(self, params):
        """The API fields the task sets, as the API takes them (unset suboptions dropped)."""
        return dict((field, strip_none(params[field])) for field in self.names if params.get(field) is not None)


class Wanted:
    """What a task asks for, validated (InvalidInput is raised before anything is read or sent).

    `params` are the module's options; `fields` the API fields it sets; `metadata` the metadata as the API stores
    it (string values), or None when the task leaves metadata alone. Families add what their planners need.
    """

    def __init__(self, params, fields=None, metadata=None, **extra):
        self.params = params
        self.state = params.get("state") or PRESENT
        self.fields = fields or {}
        self.metadata = metadata
        self.purge_metadata = params.get("purge_metadata", True) is not False
        self.__dict__.update(extra)

    @property
    def object_id(self):
        return getattr(self, "id", None)


def wanted(endpoint, fields, params, **extra):
    """The common part of every family's validation: ids, metadata, the API fields set."""
    endpoint.check_ids(params)
    return Wanted(params, fields=fields.desired(params) if fields else {},
                  metadata=validate.metadata("metadata", params.get("metadata")),
                  id=params.get(endpoint.id_option), endpoint_key=endpoint.key, **extra)


class Held:
    """What the server holds for a task: the object (None when there is none) and, where the planner compares
    them, its children (a thread's first messages, a conversation's first items); for a named object the API cannot
    list, the id the name store holds for the task's name (`recorded`)."""

    def __init__(self, obj, children=None, recorded=None):
        self.obj = obj
        self.children = children
        self.recorded = recorded


class ObjectPlanner:
    endpoint = None
    fields = None          # Fields
    secret_fields = ()     # fields of the API object never shown in a diff
    finds_again = False    # find_again() can find a created object in the collection's listing
    listing_query = None   # the query of that listing

    def __init__(self, wanted):
        self.wanted = wanted
        self.params = wanted.params

    def plan(self, held):
        if self.wanted.state == ABSENT:
            return self.plan_absent(held)
        return self.plan_present(held)

    # --- hooks ---------------------------------------------------------------------------------------------------
    def matches(self, held, field, value):
        """True when the object's field already holds what the task sets (server defaults ignored).

        A field the server does not report at all (the spec leaves reasoning_effort out of its objects) cannot be
        compared, and so is not a difference.
        """
        if field not in held.obj:
            return True
        return contains(held.obj.get(field), value)

    def create_body(self, desired):
        body = dict(desired)
        if self.wanted.metadata is not None:
            body["metadata"] = self.wanted.metadata
        return body

    def check_create(self, body):
        """Raise validate.InvalidInput when a create would lack what the API requires."""

    def check_update(self, current, changes):
        """Raise validate.InvalidInput when the API would refuse these changes to the current object."""

    def find_again(self, listing, body):
        """After a lost answer to a create: the object it made, found in the collection's listing, or None (then
        the create is sent again). Only where `finds_again`: elsewhere a lost answer fails the task rather than
        risk a second object."""
        return None

    def create_operations(self, body):
        """(operations, rollback) of the create: one POST by default, found again after a lost answer where the
        family can (`finds_again`)."""
        path = self.endpoint.collection_path(self.params)
        recover = None
        if self.finds_again:
            recover = ReadBack(path, lambda listing, _new: self.find_again(listing, body), self.listing_query)
        return [Send("POST", path, body, once=True, recover=recover, binds_new=True)], None

    def update_operations(self, current, changes):
        return [Send("POST", self.endpoint.object_path(self.params, current["id"]), changes)]

    def delete_operations(self, current):
        # a 404 means it was deleted meanwhile, or by our own retried request
        return [Send("DELETE", self.endpoint.object_path(self.params, current["id"]), keep=None, missing="ignore")]

    def would_be(self, body):
        """The object a create would return, for check mode."""
        obj = dict(body, id=None)
        obj.setdefault("metadata", {})
        return obj

    # --- the decisions -------------------------------------------------------------------------------------------
    def plan_present(self, held):
        desired = self.wanted.fields
        current = held.obj
        if current is None:
            body = self.create_body(desired)
            self.check_create(body)
            operations, rollback = self.create_operations(body)
            return self.make_plan(True, self.would_be(body), operations, before={}, after_fields=tuple(body),
                                  after_base=body, rollback=rollback)
        self.refuse_create_only_changes(held, desired)
        changes = dict((field, value) for field, value in desired.items()
                       if field not in self.fields.create_only and not self.matches(held, field, value))
        metadata = planned_metadata(self.wanted.metadata, current.get("metadata"), self.wanted.purge_metadata)
        if metadata is not None:
            changes["metadata"] = metadata
        managed = tuple(desired) + (("metadata",) if self.wanted.metadata is not None else ())
        before = view(current, managed, self.secret_fields)
        if not changes:
            return self.make_plan(False, current, before=before, after_fields=managed)
        self.check_update(current, changes)
        return self.make_plan(True, dict(current, **changes), self.update_operations(current, changes),
                              before=before, after_fields=managed, changes=list(changes))

    def plan_absent(self, held):
        current = held.obj
        if current is None:
            return self.make_plan(False, None)
        return self.make_plan(True, current, self.delete_operations(current),
                              before=view(current, current, self.secret_fields))

    def refuse_create_only_changes(self, held, desired):
        blocked = sorted(field for field in self.fields.create_only
                         if field in desired and not self.matches(held, field, desired[field]))
        if blocked:
            name = self.endpoint.key
            raise validate.InvalidInput(
                "%s of an existing %s cannot be changed (the API sets %s only at creation): %s %s has other values"
                % (", ".join(blocked), name, "it" if len(blocked) == 1 else "them", name, held.obj["id"]))

    def make_plan(self, changed, obj, operations=(), **details):
        return Plan(self.endpoint.key, changed, obj, operations, secret_fields=self.secret_fields, **details)


def new_object_path(endpoint, params):
    """The path of the object a plan's first create makes (NEW stands for its id)."""
    return endpoint.object_path(params, NEW)
