# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending a plan's operations through the client, with each operation's own recovery.

Check mode is planning only: the executor then sends nothing and reports the plan's would-be object. Operations run
in order; each one's answer may become the task's object (Send.keep). A lost answer is handled as the operation
says (ReadBack: look before sending again; Resend: send again), so nothing is ever made twice.
"""

from __future__ import annotations

import concurrent.futures

from .errors import OpenAIError
from .plan import ITEMS, NEW, OBJECT, Outcome, ReadBack, Record
from .wait import WaitTimeout, wait_for


class Executor:
    def __init__(self, client, check_mode=False, wait=wait_for, names=None):
        self.client = client
        self.check_mode = check_mode
        self.wait = wait
        self.names = names  # the name store, for plans that record names (Record)

    def run(self, plan):
        if self.check_mode:
            return Outcome(plan.obj)
        progress = _Progress(plan.obj)
        try:
            for operation in plan.operations:
                if self._step(operation, progress):
                    return Outcome(progress.obj, progress.items, unchanged=True)
        except Exception as exc:  # pylint: disable=broad-except  # whatever stops a plan, its new object goes
            if plan.rollback is None or progress.new is None:
                raise
            error = _rolled_back(self.client, plan.rollback, progress.new, exc, self.names)
            if error is exc:
                raise
            raise error from exc
        return Outcome(progress.obj, progress.items)

    def run_each(self, plans, concurrency=1):
        """Several independent plans (one a fleet's item), at most `concurrency` at once, each plan's operations in
        order: a list, in the plans' order, of (Outcome, None) or (None, the exception that stopped that plan). The
        client's shared pause slows every worker down together after a 429."""
        def one(plan):
            try:
                return self.run(plan), None
            except Exception as exc:  # pylint: disable=broad-except  # reported with the item it stopped
                return None, exc

        if concurrency <= 1 or len(plans) <= 1:
            return [one(plan) for plan in plans]
        with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(one, plans))

    def _step(self, operation, progress):
        """Send one operation; True when its answer shows that the task has nothing to do."""
        if isinstance(operation, Record):
            self._record(operation, progress)
            return False
        if not hasattr(operation, "method"):
            progress.obj = self._wait(operation, progress)
            return False
        try:
            body, poll_after = self._send(operation, progress.new)
        except OpenAIError as error:
            return self._refusal(operation, error, progress)
        if operation.binds_new:
            progress.new = body["id"]
        if operation.unchanged_if is not None and operation.unchanged_if(body):
            progress.obj = body
            return True
        if operation.keep == OBJECT and body:
            progress.obj, progress.poll_after = body, poll_after
        elif operation.keep == ITEMS:
            progress.items.extend(body.get("data") or [])
        return False

    def _send(self, operation, new):
        path = _bind(operation.path, new)
        recover = None
        if operation.recover is not None:
            recover = self._recoverer(operation.recover, path, new)
        if operation.stream is not None:
            stream = self.client.stream(path, operation.body, query=operation.query, recover=recover)
            return operation.stream(stream.events), stream.poll_after
        answer = self.client.call(operation.method, path, body=operation.body, query=operation.query,
                                  once=operation.once, recover=recover)
        return answer.body, answer.poll_after

    def _refusal(self, operation, error, progress):
        """A 404 or 400 that the operation expects: True when it means the task has nothing to do."""
        if error.status == 404 and operation.missing == "ignore":
            return False
        if error.status == 404 and operation.missing == "unchanged":
            progress.obj = None
            return True
        if error.status == 400 and operation.refused is not None:
            found = self._read(operation.refused, progress.new)
            picked = operation.refused.pick(found, progress.new)
            if picked is not None:
                progress.obj = picked
                return True
        raise error

    def _recoverer(self, recovery, path, new):
        if isinstance(recovery, ReadBack):
            return lambda: recovery.pick(self._read(recovery, new), new)

        def resend():
            self.client.warn("the answer to POST %s was lost: the server may have made %s"
                             % (path, recovery.what_may_be_left))
            return None
        return resend

    def _read(self, recovery, new):
        path = _bind(recovery.path, new)
        if recovery.listing:
            return list(self.client.list(path, recovery.query))
        try:
            return self.client.get(path, recovery.query)
        except OpenAIError as error:
            if error.status == 404:
                return None
            raise

    def _record(self, record, progress):
        if record.object_id is None:
            self.names.forget(record.kind, record.name)
        else:
            kept = dict((field, (progress.obj or {}).get(field)) for field in record.fields)
            self.names.remember(record.kind, record.name, _bind(record.object_id, progress.new), **kept)

    def _wait(self, operation, progress):
        obj = progress.obj
        if obj.get("status") in operation.until:
            return obj
        path = _bind(operation.path, progress.new)

        def fetch():
            answer = self.client.call("GET", path)
            return answer.body, answer.poll_after

        # the object in hand is the answer of the request just made: it stands for the first poll, paced by that
        # answer's poll hint, so no GET goes out before the object can have moved on
        try:
            return self.wait(fetch, lambda latest: latest.get("status") in operation.until, operation.timeout,
                             first=(obj, progress.poll_after))
        except WaitTimeout as timeout:
            timeout.message = ("%s did not finish within wait_timeout=%ss; its last status was %s"
                               % (_bind(operation.label, progress.new), operation.timeout,
                                  (timeout.last or {}).get("status")))
            raise


class _Progress:
    def __init__(self, obj):
        self.obj = obj
        self.poll_after = None
        self.items = []
        self.new = None


def _bind(path, new):
    return path.replace(NEW, new) if new is not None and NEW in path else path


def _rolled_back(client, rollback, new_id, exc, names):
    """The error that stopped the plan, saying what became of the new object."""
    error = exc if isinstance(exc, OpenAIError) else OpenAIError(
        "filling the new %s %s failed: %s: %s" % (rollback.name, new_id, type(exc).__name__, exc))
    try:
        client.delete(_bind(rollback.path, new_id))
        failure = None
    except OpenAIError as delete_error:
        failure = None if delete_error.status == 404 else delete_error
    if failure is None:
        undone = "The new %s %s was deleted again: nothing of this task is left half-made" % (rollback.name, new_id)
        if rollback.forget is not None:
            names.forget(rollback.forget.kind, rollback.forget.name)
    else:
        undone = ("The new %s %s could not be deleted (%s): delete it with state=absent and %s=%s"
                  % (rollback.name, new_id, failure.message, rollback.id_option, new_id))
    error.note = "%s. %s" % (error.note, undone) if error.note else undone
    return error
