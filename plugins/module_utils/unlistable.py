# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning the create of an object the API cannot list (threads, conversations): empty first, then filled.

Nothing can tell, after the answer to a create was lost, whether an object that cannot be listed was made, and the
API takes no idempotency key. So the create carries none of the task's messages, items or metadata: when its
answer is lost it is sent again, and what the lost one may have made holds none of them. What the task sets is
written next, with requests that can be repeated or checked; if that fails, the new object is deleted (the plan's
Rollback), so that a failed task leaves nothing half-made behind.

A playbook can give such an object a `name` (module_utils/names.py): the name is recorded right after the create,
before the object is filled, so that a failure later in the task or the play never leads to a second object; and
the task holds the name from its read to its last write, so that two tasks that want it at once make one object.
"""

from __future__ import annotations

import contextlib

from .plan import NEW, Record, Resend, Rollback, Send
from .planner import ABSENT, Held, ObjectPlanner
from .runner import read_by_id


def create_empty_then_fill(endpoint, params, first_body, fill):
    """(operations, rollback) of a create that carries only `first_body` (what only a create accepts, such as a
    vector store to make), followed by the `fill` operations, whose paths hold NEW for the new object's id."""
    lost = Resend("an empty %s, which holds none of this task's messages, items or metadata and which nothing "
                  "refers to" % endpoint.key)
    create = Send("POST", endpoint.collection_path(params), first_body or {}, once=True, recover=lost, binds_new=True)
    name = params.get("name")
    recorded = [Record(endpoint.key, name, NEW)] if name else []
    rollback = Rollback(endpoint.object_path(params, NEW), endpoint.key, endpoint.id_option,
                        forget=Record(endpoint.key, name) if name else None)
    return [create] + recorded + list(fill), rollback


def claim_name(names, wanted):
    """The lock on the task's name, when it finds (or makes) its object by name."""
    params = wanted.params
    if not params.get("name") or wanted.object_id:
        return contextlib.nullcontext()
    return names.claim(wanted.endpoint_key, params["name"])


def read_named(reader, endpoint, wanted):
    """The object the task means: by id; else the one the name store holds for its name (a recorded object that is
    gone is reported, and present then makes a new one); else none."""
    params = wanted.params
    name = params.get("name")
    recorded = reader.names.lookup(endpoint.key, name) if name else None
    if wanted.object_id or not recorded:
        held = read_by_id(reader, endpoint, wanted)
        return Held(held.obj, recorded=recorded)
    obj = reader.get(endpoint.object_path(params, recorded))
    if obj is None:
        reader.client.warn("the %s named %r was %s (name store %s), which no longer exists; %s"
                           % (endpoint.key, name, recorded, reader.names.path,
                              "the name is forgotten" if wanted.state == ABSENT else "a new one is created"))
    return Held(obj, recorded=recorded)


class NamedPlanner(ObjectPlanner):
    """A planner of an object the API cannot list, which the task may find by the name the playbook gave it."""

    def plan(self, held):
        plan = super().plan(held)
        name = self.params.get("name")
        if not name:
            return plan
        kind = self.endpoint.key
        if self.wanted.state == ABSENT:
            if held.obj is not None or held.recorded:
                plan.operations.append(Record(kind, name))  # after the delete: the name means nothing now
        elif held.obj is not None and held.recorded != held.obj["id"]:
            plan.operations.append(Record(kind, name, held.obj["id"]))  # an explicit id gets the name
        return plan
