#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_run_info
short_description: Read the runs of an Assistants API thread
version_added: 0.1.0
description:
  - Returns one run by O(run_id), or lists the thread's runs, reading every page.
  - The data sources C(openai_beta_thread_run) and C(openai_beta_thread_runs) of the Terraform provider.
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.listing
  - openai.beta.listing.BEFORE
  - openai.beta.attributes.INFO_MODULE
  - openai.beta.assistants_v2
options:
  thread_id:
    description:
      - The ID of the thread (C(thread_...)).
    type: str
    required: true
  run_id:
    description:
      - The ID of one run. When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
seealso:
  - module: openai.beta.openai_thread_run
"""

EXAMPLES = r"""
- name: The latest run of a thread
  openai.beta.openai_thread_run_info:
    thread_id: thread_abc123
    max_items: 1
  register: latest

- name: One run
  openai.beta.openai_thread_run_info:
    thread_id: thread_abc123
    run_id: run_abc123
"""

RETURN = r"""
runs:
  description:
    - The runs found, in the order the API returned them; V([]) when none matches.
    - Each element is a run object, as returned by M(openai.beta.openai_thread_run).
  returned: always
  type: list
  elements: dict
  sample:
    - id: run_abc123
      object: thread.run
      thread_id: thread_abc123
      assistant_id: asst_abc123
      status: completed
      model: gpt-4o
      metadata: {}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options
from ansible_collections.openai.beta.plugins.module_utils.thread_run import ThreadRunInfo


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            thread_id=dict(type="str", required=True),
            run_id=dict(type="str"),
            **listing_options()
        ),
        mutually_exclusive=[("after", "before")],
        supports_check_mode=True,
    )
    ThreadRunInfo(module).run()


if __name__ == "__main__":
    main()
