#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_conversation
short_description: Create, update and delete OpenAI conversations
version_added: 0.1.0
description:
  - Manages a conversation of the OpenAI Conversations API, the object of the Terraform provider's
    C(openai_conversation) resource.
  - The API cannot list conversations, so a conversation is found by O(conversation_id), or by the O(name) the
    playbook gives it, which the collection records (name -> id) in its name store (O(name_store)) right after the
    create. A later run, even a separate C(ansible-playbook) run, with the same O(name) finds the same conversation.
    Two tasks that want the same name at once make one conversation (the second waits for the first).
  - Without O(conversation_id) or O(name), O(state=present) creates a new conversation on every run.
  - O(metadata) can be changed in place. O(items) are set only when the conversation is created.
  - A new conversation is created empty, then given its O(metadata) (one update) and its O(items) (one
    request), so that a create whose answer is lost can be sent again. What the lost one may have made is an
    empty conversation that holds nothing of the task (a warning says so). If filling the conversation
    fails, it is deleted again and the task fails; nothing is left half-made.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.metadata
  - openai.beta.attributes
options:
  state:
    description:
      - V(present) creates the conversation (without O(conversation_id)) or makes its metadata match.
      - V(absent) deletes the conversation given by O(conversation_id) or O(name), and forgets the name. Deleting one
        that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  conversation_id:
    description:
      - The ID of an existing conversation (C(conv_...)). With O(state=absent), this or O(name) is required.
      - With O(state=present), an ID that does not exist is an error.
      - Wins over O(name); with both, the name is recorded for this conversation.
    type: str
  name:
    description:
      - The name this playbook gives the conversation, to find it again on later runs (the API has none).
      - Looked up in the name store (O(name_store)), per API account (base URL, organization, project). Not
        found there, a new conversation is created and the name recorded for it, before it is filled.
      - A recorded conversation that no longer exists is reported with a warning; V(present) then creates a new
        one and records that, V(absent) forgets the name.
      - Check mode records nothing.
    type: str
  items:
    description:
      - Initial items of the conversation, at most 20.
      - >-
        A message is C({type: message, role: user, content: Hello}); C(type) defaults to V(message),
        C(role) is one of V(user), V(assistant), V(system), V(developer), C(content) is a string or a list
        of content parts (C({type: input_text, text: ...}), C({type: input_image, image_url: ...}), ...),
        and an assistant message may carry C(phase) (V(commentary) or V(final_answer)).
        An C(input_image) part without C(detail) is sent with C(detail: auto), the API's default.
      - Any other input item type of the Responses API (for example C(function_call_output)) is passed
        through as written.
      - Only sent when the conversation is created. With O(conversation_id), the conversation's first items
        must already be these (compared by type, role and content), or the task fails, as the API cannot change
        them. Use M(openai.beta.openai_conversation_item) to add items to an existing conversation.
    type: list
    elements: dict
seealso:
  - module: openai.beta.openai_conversation_info
  - module: openai.beta.openai_conversation_item
  - name: Conversations API reference
    description: The API this module calls.
    link: https://platform.openai.com/docs/api-reference/conversations
"""

EXAMPLES = r"""
- name: The onboarding conversation exists, with its first message (found by name on later runs)
  openai.beta.openai_conversation:
    name: onboarding
    items:
      - role: user
        content: Hello!
    metadata:
      topic: demo
  register: conv

- name: Change its metadata
  openai.beta.openai_conversation:
    name: onboarding
    metadata:
      topic: demo
      status: open

- name: A conversation of its own for each run (no name), addressed by its ID afterwards
  openai.beta.openai_conversation:
    items:
      - role: user
        content: A one-off question.
  register: once

- name: Delete the named one, and forget its name
  openai.beta.openai_conversation:
    name: onboarding
    state: absent

- name: Delete the other by ID
  openai.beta.openai_conversation:
    conversation_id: "{{ once.conversation.id }}"
    state: absent
"""

RETURN = r"""
conversation:
  description:
    - The conversation as the API returned it; in check mode, the conversation as it would be (a new one
      has no C(id)). After a deletion, the conversation as it was.
    - V(null) when O(state=absent) and there was no such conversation.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the conversation.
      type: str
      sample: conv_68ac1f3a8c2481969f6ee8cf0a2d6b1d07d09c13bac5a2c8
    object:
      description: Always V(conversation).
      type: str
      sample: conversation
    created_at:
      description: Unix timestamp (seconds) of the creation.
      type: int
      sample: 1741900000
    metadata:
      description: The metadata of the conversation.
      type: dict
      sample: {"topic": "demo"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.conversation import FAMILY, conversation_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(conversation_id=dict(type="str"), name=dict(type="str"),
                                                    **conversation_spec()),
        required_if=[("state", "absent", ("conversation_id", "name"), True)],
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
