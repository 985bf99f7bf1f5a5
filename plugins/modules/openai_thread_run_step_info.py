#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_run_step_info
short_description: Read the steps of an Assistants API run
version_added: 0.1.0
description:
  - Returns one step of a run by O(step_id), or lists the run's steps, reading every page. Steps say what a
    run did - the messages it wrote and the tools it called.
  - The data sources C(openai_beta_thread_run_step) and C(openai_beta_thread_run_steps) of the Terraform
    provider. Steps are read-only.
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
      - The ID of the run (C(run_...)).
    type: str
    required: true
  step_id:
    description:
      - The ID of one step (C(step_...)). When set, the listing options are ignored.
      - An ID that does not exist returns an empty list.
    type: str
  include:
    description:
      - Extra fields to return. The only value is V(step_details.tool_calls[*].file_search.results[*].content),
        the content of file search results.
    type: list
    elements: str
    choices: ["step_details.tool_calls[*].file_search.results[*].content"]
seealso:
  - module: openai.beta.openai_thread_run
"""

EXAMPLES = r"""
- name: What did the run do?
  openai.beta.openai_thread_run_step_info:
    thread_id: "{{ thread.thread.id }}"
    run_id: "{{ run.run.id }}"
    order: asc
  register: steps

- name: Show the step types
  ansible.builtin.debug:
    msg: "{{ steps.steps | map(attribute='type') | list }}"
"""

RETURN = r"""
steps:
  description:
    - The steps found, in the order the API returned them; V([]) when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The ID of the step.
      type: str
      sample: step_abc123
    object:
      description: Always V(thread.run.step).
      type: str
    type:
      description: V(message_creation) or V(tool_calls).
      type: str
    status:
      description: V(in_progress), V(cancelled), V(failed), V(completed) or V(expired).
      type: str
    step_details:
      description: The message the step wrote (C(message_creation.message_id)) or the tools it called.
      type: dict
    usage:
      description: Token usage of the step, once finished.
      type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils.info import info_argument_spec, listing_options
from ansible_collections.openai.beta.plugins.module_utils.limits import RUN_INCLUDE_VALUES
from ansible_collections.openai.beta.plugins.module_utils.thread_run import RunStepInfo


def main():
    module = AnsibleModule(
        argument_spec=info_argument_spec(
            thread_id=dict(type="str", required=True),
            run_id=dict(type="str", required=True),
            step_id=dict(type="str"),
            include=dict(type="list", elements="str", choices=list(RUN_INCLUDE_VALUES)),
            **listing_options()
        ),
        mutually_exclusive=[("after", "before")],
        supports_check_mode=True,
    )
    RunStepInfo(module).run()


if __name__ == "__main__":
    main()
