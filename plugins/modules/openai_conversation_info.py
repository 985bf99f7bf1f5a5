#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_conversation_info
short_description: Read an OpenAI conversation
version_added: 0.1.0
description:
  - Returns the conversation with the given ID, the Terraform provider's C(openai_conversation) data source.
  - The API cannot list conversations, so O(conversation_id) is required.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.attributes.INFO_MODULE
options:
  conversation_id:
    description:
      - The ID of the conversation (C(conv_...)). An ID that does not exist returns an empty list.
    type: str
    required: true
seealso:
  - module: openai.beta.openai_conversation
"""

EXAMPLES = r"""
- name: Read a conversation
  openai.beta.openai_conversation_info:
    conversation_id: conv_68ac1f3a8c2481969f6ee8cf0a2d6b1d07d09c13bac5a2c8
  register: found

- name: Fail if it is gone
  ansible.builtin.assert:
    that: found.conversations | length == 1
"""

RETURN = r"""
conversations:
  description:
    - A list with the conversation, or V([]) when no conversation has this ID.
    - Each element is a conversation object, as returned by M(openai.beta.openai_conversation).
  returned: always
  type: list
  elements: dict
  sample:
    - id: conv_68ac1f3a8c2481969f6ee8cf0a2d6b1d07d09c13bac5a2c8
      object: conversation
      created_at: 1741900000
      metadata:
        topic: demo
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.conversation import ConversationInfo
from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(conversation_id=dict(type="str", required=True)),
        supports_check_mode=True,
    )
    ConversationInfo(module).run()


if __name__ == "__main__":
    main()
