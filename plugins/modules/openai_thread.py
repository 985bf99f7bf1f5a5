#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread
short_description: Create, update and delete Assistants API threads
version_added: 0.1.0
description:
  - Manages a thread of the Assistants API (v2), the object of the Terraform provider's C(openai_beta_thread)
    resource.
  - The API cannot list threads, so a thread is found by O(thread_id), or by the O(name) the playbook gives it,
    which the collection records (name -> id) in its name store (O(name_store)) right after the create. A later
    run, even a separate C(ansible-playbook) run, with the same O(name) finds the same thread. Two tasks that want
    the same name at once make one thread (the second waits for the first).
  - Without O(thread_id) or O(name), O(state=present) creates a new thread on every run.
  - O(metadata) and O(tool_resources) can be changed in place. O(messages) are set only when the thread is
    created.
  - A new thread is created empty, then given its O(metadata) and O(tool_resources) (one update) and its
    O(messages) (one request each), so that a create whose answer is lost can be sent again. What the lost
    one may have made is an empty thread that holds nothing of the task (a warning says so). If filling the
    thread fails, it is deleted again and the task fails; nothing is left half-made. A vector store to make
    (O(tool_resources.file_search.vector_stores)) is the exception; only a create accepts it, so it is sent
    with the create.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.metadata
  - openai.beta.tool_resources
  - openai.beta.messages
  - openai.beta.attributes
  - openai.beta.assistants_v2
options:
  state:
    description:
      - V(present) creates the thread (without O(thread_id)) or makes it match the options.
      - V(absent) deletes the thread given by O(thread_id) or O(name), and forgets the name. Deleting one that does
        not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  thread_id:
    description:
      - The ID of an existing thread (C(thread_...)). With O(state=absent), this or O(name) is required.
      - With O(state=present), an ID that does not exist is an error.
      - Wins over O(name); with both, the name is recorded for this thread.
    type: str
  name:
    description:
      - The name this playbook gives the thread, to find it again on later runs (the API has none).
      - Looked up in the name store (O(name_store)), per API account (base URL, organization, project). Not
        found there, a new thread is created and the name recorded for it, before it is filled.
      - A recorded thread that no longer exists is reported with a warning; V(present) then creates a new one and
        records that, V(absent) forgets the name.
      - Check mode records nothing.
    type: str
  messages:
    description:
      - Initial messages of the thread, at most 32.
      - Only sent when the thread is created. With O(thread_id), the thread's first messages must already be
        these (compared by role, content and attachments), or the task fails, as the API cannot change them.
        Use M(openai.beta.openai_thread_message) to add messages to an existing thread.
    type: list
    elements: dict
    suboptions:
      role:
        description: Who wrote the message.
        type: str
        required: true
        choices: [user, assistant]
      content:
        description: The text of the message, or a list of content parts.
        type: raw
        required: true
      attachments:
        description: Files attached to the message, and the tools they are for (at most 10).
        type: list
        elements: dict
        suboptions:
          file_id:
            description: The ID of the file.
            type: str
            required: true
          tools:
            description: "The tools to add the file to, such as C({type: code_interpreter})."
            type: list
            elements: dict
      metadata:
        description: Metadata of the message; the same limits as O(metadata).
        type: dict
seealso:
  - module: openai.beta.openai_thread_info
  - module: openai.beta.openai_thread_message
  - module: openai.beta.openai_thread_run
"""

EXAMPLES = r"""
- name: The thread of customer c-42 exists, with a first message (found by name on later runs)
  openai.beta.openai_thread:
    name: customer-c-42
    messages:
      - role: user
        content: What is the weather in Paris?
    metadata:
      customer: c-42
  register: thread

- name: Attach a vector store to it, by its ID this time (the metadata is kept)
  openai.beta.openai_thread:
    thread_id: "{{ thread.thread.id }}"
    tool_resources:
      file_search:
        vector_store_ids: [vs_abc123]

- name: Delete it, and forget its name
  openai.beta.openai_thread:
    name: customer-c-42
    state: absent
"""

RETURN = r"""
thread:
  description:
    - The thread as the API returned it; in check mode, the thread as it would be (a new one has no C(id)).
      After a deletion, the thread as it was.
    - V(null) when O(state=absent) and there was no such thread.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the thread.
      type: str
      sample: thread_abc123
    object:
      description: Always V(thread).
      type: str
      sample: thread
    created_at:
      description: Unix timestamp (seconds) of the creation.
      type: int
      sample: 1699012949
    tool_resources:
      description: The resources of the tools of the runs on this thread.
      type: dict
    metadata:
      description: The metadata of the thread.
      type: dict
      sample: {"customer": "c-42"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.thread import FAMILY, thread_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(thread_id=dict(type="str"), name=dict(type="str"),
                                                    **thread_spec()),
        required_if=[("state", "absent", ("thread_id", "name"), True)],
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
