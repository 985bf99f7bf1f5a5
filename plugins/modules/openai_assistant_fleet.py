#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_assistant_fleet
short_description: Converge a whole set of OpenAI assistants in one task
version_added: 0.1.0
description:
  - Makes the assistants of an account match a list of definitions, each as M(openai.beta.openai_assistant) would,
    in one module run - one listing of the account, then each write once, several at a time.
  - A definition is found by its C(name); more than one assistant with that name is an error that lists
    their ids, before anything is sent. So is a name defined twice, or a definition that
    M(openai.beta.openai_assistant) would refuse (its options, the API's limits, a new assistant without a model).
  - Only the options a definition sets are compared and sent; server defaults never count as a change.
  - The management marker O(marker_key)=O(marker_value) is added to the metadata of every definition, and the
    metadata is exactly the definition's metadata plus the marker. With O(purge=true), assistants that carry the
    marker but whose name no definition has are deleted; assistants without the marker are never deleted.
  - From scratch, N definitions cost N creates and one listing (100 assistants a page). A run that changes nothing
    costs the listing alone.
  - Up to O(concurrency) requests are in flight at once. When the server answers 429 (rate limit), every request
    waits out the delay it asks for, not only the one that got it.
  - The role C(openai.beta.assistants) is built on this module.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.attributes
  - openai.beta.assistants_v2
  - openai.beta.assistant_marker
options:
  assistants:
    description:
      - The assistant definitions, each a dictionary of options of M(openai.beta.openai_assistant) - V(name)
        (required), V(model) (required to create one), V(description), V(instructions), V(metadata),
        V(temperature), V(top_p), V(response_format), V(reasoning_effort), V(tools), V(tool_resources) - and
        V(state) (V(present), the default, or V(absent)).
      - Each is checked as M(openai.beta.openai_assistant) checks its options; an unknown key is an error.
    type: list
    elements: dict
    required: true
  purge:
    description:
      - Whether to delete the assistants that carry the marker but that no definition names.
    type: bool
    default: false
  concurrency:
    description:
      - How many requests are sent at once, between 1 and 32.
    type: int
    default: 8
notes:
  - A definition that fails (the server refuses it, or the connection breaks for good) fails the task; the message
    names it with the server's error, and says which definitions were done. The others are sent all the same, and
    O(assistants) of the result holds what they became.
  - In check mode nothing is written; the result shows what each definition would become.
seealso:
  - module: openai.beta.openai_assistant
  - module: openai.beta.openai_assistant_info
  - name: The role openai.beta.assistants
    description: Converges the account to the variable C(openai_assistants) with this module.
    link: https://github.com/openai-beta/ansible-collection-openai-beta/tree/main/roles/assistants
"""

EXAMPLES = r"""
- name: The support and sales assistants exist, as described; marked ones no longer listed are deleted
  openai.beta.openai_assistant_fleet:
    assistants:
      - name: support
        model: gpt-4o
        instructions: You answer questions about our product, briefly.
      - name: sales
        model: gpt-4o-mini
        temperature: 0.3
        metadata:
          team: sales
      - name: old-helper
        state: absent
    purge: true
  register: fleet

- name: Use an assistant of the fleet by its name
  ansible.builtin.debug:
    msg: "support is {{ fleet.assistants.support.id }}"
"""

RETURN = r"""
assistants:
  description:
    - Every assistant the definitions keep (V(state=present)), by name, as the API returned it after the task (in
      check mode, as it would be).
  returned: always
  type: dict
  sample: {"support": {"id": "asst_abc123", "object": "assistant", "name": "support", "model": "gpt-4o"}}
results:
  description: What was done for each definition, and for each purged assistant, in order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name of the assistant.
      type: str
    action:
      description: V(create), V(update), V(delete) or V(none).
      type: str
    changes:
      description: The options that differed (for an update).
      type: list
      elements: str
    reason:
      description: For a delete, V(absent) (so defined) or V(purge) (marked, and no longer defined).
      type: str
      returned: for deletes
    id:
      description: The id of the assistant.
      type: str
      returned: unless the definition failed
    error:
      description: Why the definition failed.
      type: str
      returned: when it failed
summary:
  description: How many assistants were created, updated, deleted and left unchanged.
  returned: always
  type: dict
  sample: {"created": 2, "updated": 1, "deleted": 1, "unchanged": 96}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import assistant_fleet
from ansible_collections.openai.beta.plugins.module_utils.connection import connection_argument_spec


def main():
    module = AnsibleModule(
        argument_spec=dict(connection_argument_spec(), **assistant_fleet.fleet_argument_spec()),
        supports_check_mode=True,
    )
    assistant_fleet.run(module)


if __name__ == "__main__":
    main()
