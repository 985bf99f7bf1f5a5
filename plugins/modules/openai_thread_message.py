#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_message
short_description: Add, update and delete messages of an Assistants API thread
version_added: 0.1.0
description:
  - Manages one message of a thread, the object of the Terraform provider's C(openai_beta_thread_message)
    resource.
  - The message is found by O(message_id), or else in its thread by O(role) and O(content) (and
    O(attachments) when set), so running the same task twice does not add a second copy. More than one
    matching message is an error that lists their ids.
  - O(metadata) can be changed in place; O(role), O(content) and O(attachments) are set when the message is
    created, and a different value on an existing message (given by O(message_id)) is an error.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.metadata
  - openai.beta.attributes
  - openai.beta.assistants_v2
options:
  state:
    description:
      - V(present) adds the message, or makes its metadata match.
      - V(absent) deletes it. Deleting a message that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  thread_id:
    description:
      - The ID of the thread the message belongs to (C(thread_...)).
    type: str
    required: true
  message_id:
    description:
      - The ID of an existing message (C(msg_...)).
      - Without it, O(role) and O(content) are required, and find the message.
    type: str
  role:
    description:
      - V(user) for a message from the user; V(assistant) to insert a message as if the assistant wrote it.
    type: str
    choices: [user, assistant]
  content:
    description:
      - The text of the message, or a list of content parts.
      - >-
        A part is C({type: text, text: ...}), C({type: image_file, image_file: {file_id: ..., detail: auto}})
        or C({type: image_url, image_url: {url: ..., detail: auto}}).
      - Compared with the stored message as the API returns it (a string is one text part).
    type: raw
  attachments:
    description:
      - Files attached to the message, and the tools they are for (at most 10).
    type: list
    elements: dict
    suboptions:
      file_id:
        description: The ID of the file.
        type: str
        required: true
      tools:
        description: "The tools to add the file to, C({type: code_interpreter}) or C({type: file_search})."
        type: list
        elements: dict
seealso:
  - module: openai.beta.openai_thread_message_info
  - module: openai.beta.openai_thread
"""

EXAMPLES = r"""
- name: Ask a question in the thread (a second run of this task adds nothing)
  openai.beta.openai_thread_message:
    thread_id: "{{ thread.thread.id }}"
    role: user
    content: How many orders shipped last week?
    metadata:
      source: ansible
  register: question

- name: Tag the message
  openai.beta.openai_thread_message:
    thread_id: "{{ thread.thread.id }}"
    message_id: "{{ question.message.id }}"
    metadata:
      source: ansible
      reviewed: "yes"

- name: Remove it
  openai.beta.openai_thread_message:
    thread_id: "{{ thread.thread.id }}"
    message_id: "{{ question.message.id }}"
    state: absent
"""

RETURN = r"""
message:
  description:
    - The message as the API returned it; in check mode, the message as it would be (a new one has no C(id)).
      After a deletion, the message as it was.
    - V(null) when O(state=absent) and there was no such message.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the message.
      type: str
      sample: msg_abc123
    object:
      description: Always V(thread.message).
      type: str
      sample: thread.message
    thread_id:
      description: The thread the message belongs to.
      type: str
    role:
      description: V(user) or V(assistant).
      type: str
    content:
      description: "The content parts; text parts are C({type: text, text: {value, annotations}})."
      type: list
      elements: dict
    attachments:
      description: The files attached to the message.
      type: list
      elements: dict
    assistant_id:
      description: The assistant that wrote the message, if any.
      type: str
    run_id:
      description: The run that wrote the message, if any.
      type: str
    status:
      description: V(in_progress), V(incomplete) or V(completed).
      type: str
    metadata:
      description: The metadata of the message.
      type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.thread_message import FAMILY, message_fields_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(
            thread_id=dict(type="str", required=True),
            message_id=dict(type="str"),
            **message_fields_spec()
        ),
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
