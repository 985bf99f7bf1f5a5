# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a planner decides, as plain data: the requests to send, the diff and the result.

Planners build a Plan from what the task wants and what the server holds; the executor sends its operations
(none in check mode) and the plan turns what came back into the module's result. Nothing here sends a request.
"""

from __future__ import annotations

NEW = "{new}"          # in a path: the id of the object that the plan's first create made
OBJECT = "object"      # an answer that is the object the task returns
ITEMS = "items"        # an answer whose `data` holds items the task returns


class ReadBack:
    """After a lost answer (or a refusal): read `path`, and let `pick(found, new_id)` say what the server did.

    `found` is every object of the listing at `path` (with `query`), or, with `listing=False`, the object at `path`
    (None when there is none). `pick` returns what the request would have answered had the server acted, or None
    when it did not act (the request is then sent again); it raises OpenAIError or InvalidInput when it cannot tell.
    """

    def __init__(self, path, pick, query=None, listing=True):
        self.path = path
        self.pick = pick
        self.query = query
        self.listing = listing


class Resend:
    """After a lost answer to a request that nothing can be read back for: send it again, warning what the lost one
    may have left behind (`what_may_be_left`)."""

    def __init__(self, what_may_be_left):
        self.what_may_be_left = what_may_be_left


class Send:
    """One request.

    once:          the request must act once (a create, a cancel, tool outputs): resent only when the server cannot
                   have acted, or after `recover` (ReadBack or Resend) says so; without `recover`, a lost answer fails.
    keep:          what the answer is: OBJECT (what the task returns), ITEMS (its `data` adds items), None (ignored).
    binds_new:     the answer is the object that NEW means in the paths of the operations after this one.
    stream:        the answer is an event stream; `stream(events)` reads it into the object.
    missing:       what a 404 means: None (an error), "ignore" (already done: go on), "unchanged" (nothing to do).
    refused:       a ReadBack for a 400 answer: when it picks an object, the task had nothing to do (the state
                   changed between the read and this request).
    unchanged_if:  `unchanged_if(answer)` true: the answer shows the task had nothing to do.
    """

    def __init__(self, method, path, body=None, query=None, once=False, recover=None, keep=OBJECT, binds_new=False,
                 stream=None, missing=None, refused=None, unchanged_if=None):
        self.method = method
        self.path = path
        self.body = body
        self.query = query
        self.once = once
        self.recover = recover
        self.keep = keep
        self.binds_new = binds_new
        self.stream = stream
        self.missing = missing
        self.refused = refused
        self.unchanged_if = unchanged_if

    @property
    def writes(self):
        return self.method != "GET"


class Wait:
    """Poll `path` until the object's status is one of `until`, for at most `timeout` seconds (skipped when the
    object in hand already is). `label` names the object in the timeout message ("run run_abc")."""

    writes = False

    def __init__(self, path, until, timeout, label):
        self.path = path
        self.until = tuple(until)
        self.timeout = timeout
        self.label = label


class Record:
    """Write down (`object_id`: an id, or NEW) or forget (`object_id` None) which object a playbook's name means,
    in the name store (module_utils/names.py). Not a request: the record lives on the host that runs the module."""

    writes = False

    def __init__(self, kind, name, object_id=None, fields=()):
        self.kind = kind
        self.name = name
        self.object_id = object_id
        self.fields = tuple(fields)  # fields of the object in hand kept with the id (a session's expires_at)


class Rollback:
    """When an operation after the plan's first create fails, delete that new object (`path`, with NEW in it), and
    forget the name recorded for it (`forget`: a Record), once it is deleted."""

    def __init__(self, path, name, id_option, forget=None):
        self.path = path
        self.name = name
        self.id_option = id_option
        self.forget = forget


class Plan:
    """The decision of a planner.

    changed:       whether the task changes anything (an operation's answer may still show it had nothing to do)
    operations:    Send and Wait, in order; empty when nothing is to be done
    obj:           what the task returns when no operation's answer replaces it: the object as it is, or, in check
                   mode, the object as the operations would leave it
    before:        the diff's before (managed fields, secrets left out)
    after_fields:  the fields of the diff's after, read from the final object laid over `after_base`
    changes:       the names of the fields that differ (an update), for messages and the role's decisions
    assemble:      `assemble(obj, items)` builds the returned object from the final answer and the ITEMS answers
    after_of:      `after_of(obj)` is the diff's after, where it is not a set of fields of one object
    extra:         more keys of the result
    """

    def __init__(self, key, changed, obj, operations=(), before=None, after_fields=(), after_base=None,
                 secret_fields=(), changes=(), rollback=None, assemble=None, after_of=None, extra=None):
        self.key = key
        self.changed = changed
        self.obj = obj
        self.operations = list(operations)
        self.before = before if before is not None else {}
        self.after_fields = tuple(after_fields)
        self.after_base = after_base or {}
        self.secret_fields = tuple(secret_fields)
        self.changes = list(changes)
        self.rollback = rollback
        self.assemble = assemble
        self.after_of = after_of
        self.extra = extra or {}

    @property
    def writes(self):
        return [op for op in self.operations if op.writes]

    def result(self, outcome, diff):
        """The module's result, from what the executor reports (`outcome`)."""
        if outcome.unchanged:
            result = {"changed": False, self.key: outcome.obj}
            before = after = {}
        else:
            obj = self.assemble(outcome.obj, outcome.items) if self.assemble else outcome.obj
            result = {"changed": self.changed, self.key: obj}
            before, after = self.before, self.after(obj)
        if diff:
            result["diff"] = {"before": before, "after": after}
        result.update(self.extra)
        return result

    def after(self, obj):
        if self.after_of:
            return self.after_of(obj)
        merged = dict(self.after_base, **obj) if isinstance(obj, dict) else {}
        return view(merged, self.after_fields, self.secret_fields)


class Outcome:
    """What the executor reports: the final object, the ITEMS answers, and whether an answer showed that the task
    had nothing to do after all."""

    def __init__(self, obj, items=(), unchanged=False):
        self.obj = obj
        self.items = list(items)
        self.unchanged = unchanged


def view(obj, fields, secret_fields=()):
    """The managed fields of an object, as shown in a diff."""
    return dict((field, (obj or {}).get(field)) for field in fields if field not in secret_fields)
