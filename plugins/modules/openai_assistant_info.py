#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_assistant_info
short_description: Read OpenAI assistants
version_added: 0.1.0
description:
  - Returns one assistant by O(assistant_id), or lists assistants, reading every page.
  - The data sources C(openai_beta_assistant) and C(openai_beta_assistants) of the Terraform provider.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.listing
  - openai.beta.listing.BEFORE
  - openai.beta.attributes.INFO_MODULE
  - openai.beta.assistants_v2
options:
  assistant_id:
    description:
      - The ID of one assistant. When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
  name:
    description:
      - Only return assistants with exactly this name. The API has no name filter, so every page is read.
    type: str
seealso:
  - module: openai.beta.openai_assistant
"""

EXAMPLES = r"""
- name: List every assistant
  openai.beta.openai_assistant_info:
  register: listing

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ listing.assistants | map(attribute='name') | list }}"

- name: Read one assistant
  openai.beta.openai_assistant_info:
    assistant_id: asst_abc123
  register: one

- name: The five newest assistants named support
  openai.beta.openai_assistant_info:
    name: support
    order: desc
    max_items: 5
"""

RETURN = r"""
assistants:
  description:
    - The assistants found, in the order the API returned them; V([]) when none matches.
    - Each element is an assistant object, as returned by M(openai.beta.openai_assistant).
  returned: always
  type: list
  elements: dict
  sample:
    - id: asst_abc123
      object: assistant
      created_at: 1698984975
      name: support
      description: null
      model: gpt-4o
      instructions: You answer questions about our product.
      tools: []
      metadata: {}
      temperature: 1.0
      top_p: 1.0
      response_format: auto
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.assistant import AssistantInfo
from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            assistant_id=dict(type="str"),
            name=dict(type="str"),
            **listing_options()
        ),
        mutually_exclusive=[("after", "before")],
        supports_check_mode=True,
    )
    AssistantInfo(module).run()


if __name__ == "__main__":
    main()
