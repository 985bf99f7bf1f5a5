# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating objects the API cannot list (threads, conversations): empty first, then filled.

Nothing can tell, after the answer to a create was lost, whether an object that cannot be listed was
made, and the API takes no idempotency key. So the create carries none of the task's messages, items
or metadata: when its answer is lost it is sent again, and what the lost one may have made holds none
of them. What the task sets is written next, with requests
that can be repeated or checked; if that fails, the new object is deleted, so that a failed task
leaves nothing half-made behind.
"""

from __future__ import annotations

from .errors import OpenAIError


def resend_when_answer_lost(client, path, what_may_be_left):
    """A `recover` for client.post_once that says what a lost answer may have left; the POST is then sent again
    (the client's retry warning says so), if a retry is left."""
    def answer_lost():
        client.warn("the answer to POST %s was lost: the server may have made %s" % (path, what_may_be_left))
        return None
    return answer_lost


def create_empty_then_fill(client, collection_path, name, id_option, fill, first_body=None):
    """The object `fill(new_object)` returns; on any failure the new object is deleted again.

    `first_body` is what only a create accepts (a vector store to make): then the create carries that, and
    still none of the task's messages, items or metadata."""
    lost = resend_when_answer_lost(client, collection_path, "an empty %s, which holds none of this task's messages, "
                                                            "items or metadata and which nothing refers to" % name)
    created = client.post_once(collection_path, first_body or {}, recover=lost)
    try:
        return fill(created)
    except Exception as exc:  # pylint: disable=broad-except  # whatever stops the filling, the new object goes
        error = exc if isinstance(exc, OpenAIError) else OpenAIError(
            "filling the new %s %s failed: %s: %s" % (name, created["id"], type(exc).__name__, exc))
        undone = _delete(client, "%s/%s" % (collection_path, created["id"]), name, created["id"], id_option)
        error.note = "%s. %s" % (error.note, undone) if error.note else undone
        if error is exc:
            raise
        raise error from exc


def _delete(client, path, name, object_id, id_option):
    try:
        client.delete(path)
    except OpenAIError as error:
        if error.status != 404:
            return ("The new %s %s could not be deleted (%s): delete it with state=absent and %s=%s"
                    % (name, object_id, error.message, id_option, object_id))
    return "The new %s %s was deleted again: nothing of this task is left half-made" % (name, object_id)
