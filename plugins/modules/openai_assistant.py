#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_assistant
short_description: Create, update and delete OpenAI assistants
version_added: 0.1.0
description:
  - Manages an assistant of the OpenAI Assistants API (v2), the object of the Terraform provider's
    C(openai_beta_assistant) resource.
  - The assistant is found by O(assistant_id), or else by O(name). More than one assistant with that
    name is an error that lists their ids; the module never guesses.
  - Only the options you set are compared and sent. Server defaults (such as O(temperature=1)) never
    count as a change, and an option you leave out is never changed.
  - Every field can be changed in place.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.metadata
  - openai.beta.sampling
  - openai.beta.tool_resources
  - openai.beta.attributes
  - openai.beta.assistants_v2
options:
  state:
    description:
      - V(present) creates the assistant or makes it match the options.
      - V(absent) deletes it. Deleting an assistant that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  assistant_id:
    description:
      - The ID of an existing assistant (C(asst_...)).
      - When set, O(name) is a field to change rather than a way to find the assistant.
      - With O(state=present), an ID that does not exist is an error.
    type: str
  name:
    description:
      - The name of the assistant, at most 256 characters.
      - Without O(assistant_id), the assistant is found by this name, and created if none has it.
      - One of O(assistant_id) and O(name) is required.
    type: str
  model:
    description:
      - ID of the model to use, such as V(gpt-4o).
      - Required to create an assistant.
    type: str
  description:
    description:
      - The description of the assistant, at most 512 characters.
    type: str
  instructions:
    description:
      - The system instructions that the assistant uses, at most 256,000 characters.
    type: str
  tools:
    description:
      - The tools enabled on the assistant, at most 128.
      - Each is a dictionary whose C(type) is V(code_interpreter), V(file_search) or V(function).
        A function tool needs C(function.name), and usually C(function.description) and C(function.parameters)
        (a JSON schema).
      - The list is compared as a whole, in order; keys the server adds to a tool (such as C(file_search)
        ranking defaults) do not count as a change. V([]) removes every tool.
    type: list
    elements: dict
seealso:
  - module: openai.beta.openai_assistant_info
  - name: Assistants API reference
    description: The API this module calls.
    link: https://platform.openai.com/docs/api-reference/assistants
"""

EXAMPLES = r"""
- name: Make sure the support assistant exists, as described
  openai.beta.openai_assistant:
    name: support
    model: gpt-4o
    instructions: You answer questions about our product, briefly.
    temperature: 0.2
    tools:
      - type: code_interpreter
    metadata:
      team: support
  register: support

- name: Change only the instructions of the assistant created above
  openai.beta.openai_assistant:
    assistant_id: "{{ support.assistant.id }}"
    instructions: You answer questions about our product, in detail.

- name: Add a metadata key, keeping the others
  openai.beta.openai_assistant:
    name: support
    metadata:
      owner: alice
    purge_metadata: false

- name: A function-calling assistant that answers in JSON
  openai.beta.openai_assistant:
    name: weather
    model: gpt-4o
    response_format:
      type: json_object
    instructions: Answer in JSON.
    tools:
      - type: function
        function:
          name: get_weather
          description: Current weather of a city
          parameters:
            type: object
            properties:
              city:
                type: string
            required: [city]

- name: Delete the support assistant
  openai.beta.openai_assistant:
    name: support
    state: absent

- name: Set the connection once for every module of the collection
  module_defaults:
    group/openai.beta.all:
      base_url: http://127.0.0.1:8080/v1
  block:
    - name: Create an assistant on a server that still serves Assistants v2
      openai.beta.openai_assistant:
        name: support
        model: gpt-4o
"""

RETURN = r"""
assistant:
  description:
    - The assistant as the API returned it; in check mode, the assistant as it would be (a new one has
      no C(id)). After a deletion, the assistant as it was.
    - V(null) when O(state=absent) and there was no such assistant.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the assistant.
      type: str
      sample: asst_abc123
    object:
      description: Always V(assistant).
      type: str
      sample: assistant
    created_at:
      description: Unix timestamp (seconds) of the creation.
      type: int
      sample: 1698984975
    name:
      description: The name of the assistant.
      type: str
      sample: support
    description:
      description: The description of the assistant.
      type: str
    model:
      description: The model the assistant uses.
      type: str
      sample: gpt-4o
    instructions:
      description: The system instructions.
      type: str
    tools:
      description: The tools enabled on the assistant.
      type: list
      elements: dict
      sample: [{"type": "code_interpreter"}]
    tool_resources:
      description: The resources of the tools.
      type: dict
    metadata:
      description: The metadata of the assistant.
      type: dict
      sample: {"team": "support"}
    temperature:
      description: The sampling temperature.
      type: float
      sample: 1.0
    top_p:
      description: The nucleus sampling probability mass.
      type: float
      sample: 1.0
    response_format:
      description: The output format, V(auto) or a dictionary.
      type: raw
      sample: auto
    reasoning_effort:
      description: The reasoning effort, when the server returns it.
      type: str
      returned: when supported by the server
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.assistant import FAMILY, assistant_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(assistant_id=dict(type="str"), **assistant_spec()),
        required_one_of=[("assistant_id", "name")],
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
