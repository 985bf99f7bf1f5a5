#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_conversation_item
short_description: Add and delete items of an OpenAI conversation
version_added: 0.1.0
description:
  - Makes sure a conversation holds the given O(items), adding the missing ones in one request, or deletes
    items. The object of the Terraform provider's C(openai_conversation_item) resource.
  - An item counts as present when the conversation already has an item with the same type and content
    (a message's role and content, a function call output's C(call_id) and C(output), and so on; server-set
    fields such as C(id) and C(status) are ignored). So running the same task twice adds nothing. Each
    existing item stands for one item of the task, so the same message listed twice needs two copies.
  - Items cannot be changed, only added and deleted.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.conversation_include
  - openai.beta.attributes
options:
  state:
    description:
      - V(present) adds the O(items) the conversation does not hold yet.
      - V(absent) deletes the item O(item_id), or else the items of the conversation that match O(items).
        Deleting what does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  conversation_id:
    description:
      - The ID of the conversation (C(conv_...)).
    type: str
    required: true
  item_id:
    description:
      - The ID of one item to delete (C(msg_...), C(fc_...) and so on). Only with O(state=absent).
    type: str
  items:
    description:
      - The items, 1 to 20.
      - >-
        A message is C({type: message, role: user, content: Hello}); C(type) defaults to V(message), C(role) is
        one of V(user), V(assistant), V(system), V(developer), C(content) is a string or a list of content parts
        (C({type: input_text, text: ...}), C({type: input_image, image_url: ...}), C({type: input_file, file_id:
        ...})), and an assistant message may carry C(phase), V(commentary) or V(final_answer).
        An C(input_image) part without C(detail) is sent with C(detail: auto), the API's default.
      - >-
        Any other input item of the Responses API is passed through as written, for example a function call
        output C({type: function_call_output, call_id: call_123, output: '{"temp": 21}'}), a function call, a
        reasoning item, or an item reference C({type: item_reference, id: msg_123}).
    type: list
    elements: dict
seealso:
  - module: openai.beta.openai_conversation_item_info
  - module: openai.beta.openai_conversation
"""

EXAMPLES = r"""
- name: The conversation holds the exchange (a second run adds nothing)
  openai.beta.openai_conversation_item:
    conversation_id: "{{ conv.conversation.id }}"
    items:
      - role: user
        content: What is the weather in Paris?
      - type: function_call_output
        call_id: call_123
        output: '{"temp_c": 21}'
      - role: assistant
        content: It is 21 degrees in Paris.
        phase: final_answer
  register: added

- name: Delete one item
  openai.beta.openai_conversation_item:
    conversation_id: "{{ conv.conversation.id }}"
    item_id: "{{ added.conversation_items[0].id }}"
    state: absent
"""

RETURN = r"""
conversation_items:
  description:
    - With O(state=present), one item per item of the task, in order, as the API holds it (the existing one,
      or the one just added; in check mode a would-be item has no C(id)).
    - With O(state=absent), the items deleted, as they were before the delete.
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
          text: What is the weather in Paris?
conversation_id:
  description: The conversation of the items.
  returned: always
  type: str
  sample: conv_68ac1f3a8c2481969f6ee8cf0a2d6b1d07d09c13bac5a2c8
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.conversation_item import FAMILY, items_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(
            with_metadata=False,
            conversation_id=dict(type="str", required=True),
            item_id=dict(type="str"),
            **items_spec()
        ),
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
