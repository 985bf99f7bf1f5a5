# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning the create of an object the API cannot list (threads, conversations): empty first, then filled.

Nothing can tell, after the answer to a create was lost, whether an object that cannot be listed was made, and the
API takes no idempotency key. So the create carries none of the task's messages, items or metadata: when its
answer is lost it is sent again, and what the lost one may have made holds none of them. What the task sets is
written next, with requests that can be repeated or checked; if that fails, the new object is deleted (the plan's
Rollback), so that a failed task leaves nothing half-made behind.
"""

from __future__ import annotations

from .plan import NEW, Resend, Rollback, Send


def create_empty_then_fill(endpoint, params, first_body, fill):
    """(operations, rollback) of a create that carries only `first_body` (what only a create accepts, such as a
    vector store to make), followed by the `fill` operations, whose paths hold NEW for the new object's id."""
    lost = Resend("an empty %s, which holds none of this task's messages, items or metadata and which nothing "
                  "refers to" % endpoint.key)
    create = Send("POST", endpoint.collection_path(params), first_body or {}, once=True, recover=lost, binds_new=True)
    rollback = Rollback(endpoint.object_path(params, NEW), endpoint.key, endpoint.id_option)
    return [create] + list(fill), rollback
