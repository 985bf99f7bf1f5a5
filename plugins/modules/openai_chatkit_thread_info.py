#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_chatkit_thread_info
short_description: Read ChatKit threads and their items
version_added: 0.1.0
description:
  - Lists ChatKit threads (all pages, optionally of one O(user)), or returns one by O(thread_id); with
    O(include_items=true), each thread also gets its items (C(thread_items)). The Terraform provider's
    C(openai_beta_chatkit_threads) data source.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.listing
  - openai.beta.listing.BEFORE
  - openai.beta.attributes.INFO_MODULE
options:
  thread_id:
    description:
      - The ID of one thread (C(cthr_...)). When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
  user:
    description:
      - Only list the threads of this end user.
    type: str
  include_items:
    description:
      - Also read each thread's items (all pages, oldest first) into its C(thread_items) (not C(items),
        which Jinja's dot notation cannot reach on a dict).
    type: bool
    default: false
seealso:
  - module: openai.beta.openai_chatkit_thread
  - module: openai.beta.openai_chatkit_session
"""

EXAMPLES = r"""
- name: A user's threads, newest first
  openai.beta.openai_chatkit_thread_info:
    user: user-1234
    order: desc
  register: threads

- name: One thread with what was said in it
  openai.beta.openai_chatkit_thread_info:
    thread_id: cthr_abc123
    include_items: true
  register: transcript
"""

RETURN = r"""
threads:
  description:
    - The threads found, in the order the API returned them; V([]) when none matches.
    - Each is a thread object, as returned by M(openai.beta.openai_chatkit_thread).
  returned: always
  type: list
  elements: dict
  contains:
    thread_items:
      description:
        - With O(include_items=true), the thread's items (user and assistant messages, widgets, tool calls,
          tasks), each with C(object=chatkit.thread_item) and its C(type).
      type: list
      elements: dict
      returned: when O(include_items=true)
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.chatkit import ChatKitThreadInfo
from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            thread_id=dict(type="str"),
            user=dict(type="str"),
            include_items=dict(type="bool", default=False),
            **listing_options()
        ),
        mutually_exclusive=[("after", "before")],
        supports_check_mode=True,
    )
    ChatKitThreadInfo(module).run()


if __name__ == "__main__":
    main()
