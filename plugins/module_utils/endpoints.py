# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where each family of OpenAI objects lives: one descriptor a family, shared by its module and its _info module.

A descriptor holds the path template, the option that holds an object's id and the prefix of such ids, the parent
ids the path needs, the OpenAI-Beta header and whether the family belongs to the retired Assistants API. Paths and
id checks are derived from it and written nowhere else.
"""

from __future__ import annotations

import re

from .validate import InvalidInput

ASSISTANTS_BETA = "assistants=v2"
CHATKIT_BETA = "chatkit_beta=v1"

ANY_PREFIX = "*"  # conversation items have one prefix per item type (msg_, fc_, fco_, ...)


class Endpoint:
    def __init__(self, key, plural, path, id_option, id_prefix, parents=(), beta=None, retired=False, listable=True):
        self.key = key                # the result key of the module ("assistant")
        self.plural = plural          # the result key of the _info module ("assistants")
        self.path = path              # "/threads/{thread_id}/messages": {x} are parent id options
        self.id_option = id_option    # "message_id"
        self.id_prefix = id_prefix    # "msg", or ANY_PREFIX
        self.parents = tuple(parents)  # ((option, id prefix), ...) in path order
        self.beta = beta
        self.retired = retired
        self.listable = listable      # False: the API has no list endpoint (found by id only)

    def collection_path(self, params):
        return self.path.format(**dict((option, params[option]) for option, _prefix in self.parents))

    def object_path(self, params, object_id):
        return "%s/%s" % (self.collection_path(params), object_id)

    def action_path(self, params, object_id, action):
        """POST .../{id}/<action>: cancel, submit_tool_outputs."""
        return "%s/%s" % (self.object_path(params, object_id), action)

    def check_ids(self, params):
        """InvalidInput unless every parent id and the object's own id (when set) look like this family's ids, so
        that nothing but an id ever lands in a URL."""
        for option, prefix in self.parents:
            check_id(option, params.get(option), prefix)
        check_id(self.id_option, params.get(self.id_option), self.id_prefix)


def check_id(option, value, prefix):
    """OpenAI ids are `<prefix>_<letters and digits>`: reject anything else before it reaches a URL."""
    if value is None:
        return
    if prefix == ANY_PREFIX:
        if not re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9]+", value):
            raise InvalidInput("%s must be an id of the form msg_..., fc_... (a prefix, _, letters and digits), got %r"
                               % (option, value))
    elif not re.fullmatch(r"%s_[A-Za-z0-9]+" % re.escape(prefix), value):
        raise InvalidInput("%s must be an id of the form %s_..., got %r" % (option, prefix, value))


THREAD_PARENT = (("thread_id", "thread"),)

ASSISTANT = Endpoint("assistant", "assistants", "/assistants", "assistant_id", "asst",
                     beta=ASSISTANTS_BETA, retired=True)
THREAD = Endpoint("thread", "threads", "/threads", "thread_id", "thread",
                  beta=ASSISTANTS_BETA, retired=True, listable=False)
THREAD_MESSAGE = Endpoint("message", "messages", "/threads/{thread_id}/messages", "message_id", "msg",
                          parents=THREAD_PARENT, beta=ASSISTANTS_BETA, retired=True)
THREAD_RUN = Endpoint("run", "runs", "/threads/{thread_id}/runs", "run_id", "run",
                      parents=THREAD_PARENT, beta=ASSISTANTS_BETA, retired=True)
RUN_STEP = Endpoint("step", "steps", "/threads/{thread_id}/runs/{run_id}/steps", "step_id", "step",
                    parents=THREAD_PARENT + (("run_id", "run"),), beta=ASSISTANTS_BETA, retired=True)
CHATKIT_SESSION = Endpoint("session", "sessions", "/chatkit/sessions", "session_id", "cksess",
                           beta=CHATKIT_BETA, listable=False)
CHATKIT_THREAD = Endpoint("thread", "threads", "/chatkit/threads", "thread_id", "cthr", beta=CHATKIT_BETA)
CHATKIT_THREAD_ITEM = Endpoint("item", "items", "/chatkit/threads/{thread_id}/items", "item_id", "cthi",
                               parents=(("thread_id", "cthr"),), beta=CHATKIT_BETA)
CONVERSATION = Endpoint("conversation", "conversations", "/conversations", "conversation_id", "conv",
                        listable=False)
CONVERSATION_ITEM = Endpoint("conversation_items", "conversation_items", "/conversations/{conversation_id}/items",
                             "item_id", ANY_PREFIX, parents=(("conversation_id", "conv"),))

ALL = (ASSISTANT, THREAD, THREAD_MESSAGE, THREAD_RUN, RUN_STEP, CHATKIT_SESSION, CHATKIT_THREAD, CHATKIT_THREAD_ITEM,
       CONVERSATION, CONVERSATION_ITEM)
