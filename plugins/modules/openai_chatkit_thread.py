#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_chatkit_thread
short_description: Delete ChatKit threads, one or every thread of a user
version_added: 0.1.0
description:
  - ChatKit creates its threads itself, as users chat; the API can read, list and delete them, but not
    create or change them. This module deletes a thread (O(state=absent)), or checks that it exists
    (O(state=present), which fails when it does not).
  - With O(user) instead of O(thread_id), O(state=absent) deletes every thread of that user, or only those older
    than O(older_than) (data retention, erasure requests), with one listing, then the deletions, O(concurrency) at a
    time, all waiting together when the server says 429. In check mode the result lists what would be deleted.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.attributes
options:
  state:
    description:
      - V(absent) deletes the thread. Deleting a thread that does not exist is not a change.
      - V(present) only checks that the thread exists, and returns it.
    type: str
    choices: [present, absent]
    default: present
  thread_id:
    description:
      - The ID of the ChatKit thread (C(cthr_...)).
      - One of O(thread_id) and O(user) is required.
    type: str
  user:
    description:
      - Delete every ChatKit thread of this user (the C(user) the sessions were minted for). Only with
        O(state=absent).
    type: str
  older_than:
    description:
      - With O(user), delete only the threads created longer ago than this, such as V(30d), V(12h), V(90m),
        V(45s) or V(2w) (a plain number is seconds), measured on the clock of the host that runs the module.
    type: str
  concurrency:
    description:
      - With O(user), how many deletions are sent at once, between 1 and 32.
    type: int
    default: 8
seealso:
  - module: openai.beta.openai_chatkit_thread_info
"""

EXAMPLES = r"""
- name: Delete every thread of a user (an erasure request), in one task
  openai.beta.openai_chatkit_thread:
    user: user-1234
    state: absent
  register: erased

- name: Keep 30 days of a user's threads
  openai.beta.openai_chatkit_thread:
    user: user-1234
    older_than: 30d
    state: absent

- name: Delete one thread
  openai.beta.openai_chatkit_thread:
    thread_id: cthr_abc123
    state: absent
"""

RETURN = r"""
thread:
  description:
    - The thread as it was (before a deletion); V(null) when O(state=absent) and there was no such thread.
  returned: with O(thread_id)
  type: dict
  contains:
    id:
      description: The ID of the thread.
      type: str
      sample: cthr_abc123
    object:
      description: Always V(chatkit.thread).
      type: str
    title:
      description: The title of the thread, if it has one.
      type: str
    status:
      description: "C({type: active}), or C({type: locked, reason}) or C({type: closed, reason})."
      type: dict
    user:
      description: The end user the thread belongs to.
      type: str
    created_at:
      description: Unix timestamp (seconds) of the creation.
      type: int
threads:
  description: With O(user), the threads deleted (in check mode, the threads that would be), as they were.
  returned: with O(user)
  type: list
  elements: dict
deleted:
  description: With O(user), how many threads were deleted (in check mode, would be).
  returned: with O(user)
  type: int
  sample: 42
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.chatkit import THREAD_FAMILY
from ansible_collections.openai.beta.plugins.module_utils.connection import concurrency_option


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(
            with_metadata=False,
            thread_id=dict(type="str"),
            user=dict(type="str"),
            older_than=dict(type="str"),
            **concurrency_option()
        ),
        required_one_of=[("thread_id", "user")],
        mutually_exclusive=[("thread_id", "user")],
        supports_check_mode=True,
    )
    runner.run(module, THREAD_FAMILY)


if __name__ == "__main__":
    main()
