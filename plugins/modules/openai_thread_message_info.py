#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_message_info
short_description: Read the messages of an Assistants API thread
version_added: 0.1.0
description:
  - Returns one message by O(message_id), or lists the thread's messages, reading every page.
  - The data sources C(openai_beta_thread_message) and C(openai_beta_thread_messages) of the Terraform provider.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.listing
  - openai.beta.listing.BEFORE
  - openai.beta.attributes.INFO_MODULE
  - openai.beta.assistants_v2
options:
  thread_id:
    description:
      - The ID of the thread (C(thread_...)).
    type: str
    required: true
  message_id:
    description:
      - The ID of one message. When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
  run_id:
    description:
      - Only list the messages written by this run (for example, the assistant's reply).
    type: str
seealso:
  - module: openai.beta.openai_thread_message
"""

EXAMPLES = r"""
- name: The assistant's reply written by a run
  openai.beta.openai_thread_message_info:
    thread_id: "{{ thread.thread.id }}"
    run_id: "{{ run.run.id }}"
  register: reply

- name: Show it
  ansible.builtin.debug:
    msg: "{{ reply.messages[0].content[0].text.value }}"

- name: The whole thread, oldest first
  openai.beta.openai_thread_message_info:
    thread_id: "{{ thread.thread.id }}"
    order: asc
"""

RETURN = r"""
messages:
  description:
    - The messages found, in the order the API returned them; V([]) when none matches.
    - Each element is a message object, as returned by M(openai.beta.openai_thread_message).
  returned: always
  type: list
  elements: dict
  sample:
    - id: msg_abc123
      object: thread.message
      created_at: 1699017614
      thread_id: thread_abc123
      role: assistant
      content:
        - type: text
          text:
            value: It is sunny in Paris.
            annotations: []
      assistant_id: asst_abc123
      run_id: run_abc123
      attachments: []
      metadata: {}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options
from ansible_collections.openai.beta.plugins.module_utils.thread_message import ThreadMessageInfo


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            thread_id=dict(type="str", required=True),
            message_id=dict(type="str"),
            run_id=dict(type="str"),
            **listing_options()
        ),
        mutually_exclusive=[("after", "before")],
        supports_check_mode=True,
    )
    ThreadMessageInfo(module).run()


if __name__ == "__main__":
    main()
