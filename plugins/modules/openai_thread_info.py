#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_info
short_description: Read an Assistants API thread
version_added: 0.1.0
description:
  - Returns the thread with the given ID, the Terraform provider's C(openai_beta_thread) data source.
  - The API cannot list threads, so O(thread_id) is required.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.attributes.INFO_MODULE
  - openai.beta.assistants_v2
options:
  thread_id:
    description:
      - The ID of the thread (C(thread_...)). An ID that does not exist returns an empty list.
    type: str
    required: true
seealso:
  - module: openai.beta.openai_thread
  - module: openai.beta.openai_thread_message_info
"""

EXAMPLES = r"""
- name: Read a thread
  openai.beta.openai_thread_info:
    thread_id: thread_abc123
  register: found
"""

RETURN = r"""
threads:
  description:
    - A list with the thread, or V([]) when no thread has this ID.
    - Each element is a thread object, as returned by M(openai.beta.openai_thread).
  returned: always
  type: list
  elements: dict
  sample:
    - id: thread_abc123
      object: thread
      created_at: 1699012949
      tool_resources: {}
      metadata: {}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec
from ansible_collections.openai.beta.plugins.module_utils.thread import ThreadInfo


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(thread_id=dict(type="str", required=True)),
        supports_check_mode=True,
    )
    ThreadInfo(module).run()


if __name__ == "__main__":
    main()
