#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_chatkit_thread
short_description: Delete ChatKit threads
version_added: 0.1.0
description:
  - ChatKit creates its threads itself, as users chat; the API can read, list and delete them, but not
    create or change them. This module deletes a thread (O(state=absent)), or checks that it exists
    (O(state=present), which fails when it does not).
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
    type: str
    required: true
seealso:
  - module: openai.beta.openai_chatkit_thread_info
"""

EXAMPLES = r"""
- name: Find a user's threads
  openai.beta.openai_chatkit_thread_info:
    user: user-1234
  register: found

- name: Delete them (for example, on an erasure request)
  openai.beta.openai_chatkit_thread:
    thread_id: "{{ item.id }}"
    state: absent
  loop: "{{ found.threads }}"
  loop_control:
    label: "{{ item.id }}"
"""

RETURN = r"""
thread:
  description:
    - The thread as it was (before a deletion); V(null) when O(state=absent) and there was no such thread.
  returned: always
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
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.chatkit import THREAD_FAMILY


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(with_metadata=False, thread_id=dict(type="str", required=True)),
        supports_check_mode=True,
    )
    runner.run(module, THREAD_FAMILY)


if __name__ == "__main__":
    main()
