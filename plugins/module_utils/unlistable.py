# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating objects the API cannot list (threads, conversations): empty first, then filled.

Nothing can tell, after the answer to a create was lost, whether an object that cannot be listed was
made, and the API takes no idempotency key. So the create carries nothing of the task: when its
answer is lost it is sent again, and what the lost one may have made is an empty object that holds
none of the task's messages, items or metadata. What the task sets is written next, with requests
that can be repeated or checked; if that fails, the new object is deleted, so that a failed task
leaves nothing half-made behind.
"""

from __future__ import annotations

from .errors import OpenAIError


def resend_when_answer_lost(client, path, what_may_be_left):
    """A `recover` for client.post_once that warns what a lost answer may have left, and sends the POST again."""
    def answer_lost():
        client.warn("the answer to POST %s was lost: the server may have made %s; sending it again"
                    % (path, what_may_be_left))
        return None
    return answer_lost


def create_empty_then_fill(client, collection_path, name, id_option, fill):
    """The object `fill(empty_object)` returns; on failure the empty object is deleted again."""
    lost = resend_when_answer_lost(client, collection_path, "an empty %s, which holds nothing this task sent and "
                                                            "which nothing refers to" % name)
    created = client.post_once(collection_path, {}, recover=lost)
    try:
        return fill(created)
    except OpenAIError as error:
        undone = _delete(client, "%s/%s" % (collection_path, created["id"]), name, created["id"], id_option)
        error.note = "%s. %s" % (error.note, undone) if error.note else undone
        raise


def _delete(client, path, name, object_id, id_option):
    try:
        client.delete(path)
    except OpenAIError as error:
        if error.status != 404:
            return ("The new %s %s could not be deleted (%s): delete it with state=absent and %s=%s"
                    % (name, object_id, error.message, id_option, object_id))
    return "The new %s %s was deleted again: nothing of this task is left half-made" % (name, object_id)
