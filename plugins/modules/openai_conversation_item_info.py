#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_conversation_item_info
short_description: Read the items of an OpenAI conversation
version_added: 0.1.0
description:
  - Returns one item by O(item_id), or lists the conversation's items, reading every page.
  - The data sources C(openai_conversation_item) and C(openai_conversation_items) of the Terraform provider.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.listing
  - openai.beta.conversation_include
  - openai.beta.attributes.INFO_MODULE
options:
  conversation_id:
    description:
      - The ID of the conversation (C(conv_...)).
    type: str
    required: true
  item_id:
    description:
      - The ID of one item. When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
seealso:
  - module: openai.beta.openai_conversation_item
"""

EXAMPLES = r"""
- name: The whole conversation, oldest first
  openai.beta.openai_conversation_item_info:
    conversation_id: "{{ conv.conversation.id }}"
    order: asc
  register: transcript

- name: One item
  openai.beta.openai_conversation_item_info:
    conversation_id: "{{ conv.conversation.id }}"
    item_id: msg_abc123
"""

RETURN = r"""
conversation_items:
  description:
    - The items found, in the order the API returned them; V([]) when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: msg_abc123
      type: message
      status: completed
      role: user
      content:
        - type: input_text
          text: Hello!
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.conversation_item import ConversationItemInfo
from ansible_collections.openai.beta.plugins.module_utils.limits import CONVERSATION_INCLUDE_VALUES
from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            conversation_id=dict(type="str", required=True),
            item_id=dict(type="str"),
            include=dict(type="list", elements="str", choices=list(CONVERSATION_INCLUDE_VALUES)),
            **listing_options(before=False)
        ),
        supports_check_mode=True,
    )
    ConversationItemInfo(module).run()


if __name__ == "__main__":
    main()
