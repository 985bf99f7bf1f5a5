#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_thread_run
short_description: Start, wait for, feed and cancel runs of an Assistants API thread
version_added: 0.1.0
description:
  - Manages a run of an assistant on a thread, the object of the Terraform provider's
    C(openai_beta_thread_run) resource. A run makes the assistant answer the thread's messages.
  - B(Identity.) A run is found by O(run_id). Without it, a run of the thread whose assistant is
    O(assistant_id) and whose metadata contains every key and value of O(metadata) counts as this task's run,
    so running the task again does not start a second run. B(Without O(run_id) and O(metadata), every run of
    the task starts a new run.) More than one matching run is an error that lists their ids.
  - The options that describe the run (model, instructions, tools, sampling...) are set when it starts; an
    existing run that differs in one the API reports is an error naming it. Give new O(metadata) to start a
    new run. O(metadata) itself can be changed in place.
  - With O(wait=true), the module waits until the run finishes or needs tool outputs, polling at the pace
    the server asks for (its C(openai-poll-after-ms) header). With O(stream=true), it reads the run's
    server-sent events to their end instead of polling.
  - O(tool_outputs) answers a run that is in V(requires_action) (its function calls).
  - Runs cannot be deleted. O(state=absent) cancels the run if it has not finished; a finished run is left
    as it is (not a change).
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.metadata
  - openai.beta.sampling
  - openai.beta.messages
  - openai.beta.attributes
  - openai.beta.assistants_v2
options:
  state:
    description:
      - V(present) starts the run if it does not exist, submits O(tool_outputs), and waits if O(wait=true).
      - V(absent) cancels the run if it is queued, in progress or requires action. Needs O(run_id) or O(metadata).
    type: str
    choices: [present, absent]
    default: present
  thread_id:
    description:
      - The ID of the thread to run on (C(thread_...)).
    type: str
    required: true
  run_id:
    description:
      - The ID of an existing run (C(run_...)).
    type: str
  assistant_id:
    description:
      - The ID of the assistant that executes the run (C(asst_...)). Required to start a run.
    type: str
  model:
    description:
      - The model that executes the run, instead of the assistant's.
    type: str
  instructions:
    description:
      - Instructions that replace the assistant's for this run.
    type: str
  additional_instructions:
    description:
      - Instructions appended to the assistant's (or to O(instructions)) for this run.
    type: str
  additional_messages:
    description:
      - Messages added to the thread before the run starts (at most 32).
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
  tools:
    description:
      - Tools for this run instead of the assistant's, at most 20; each as in M(openai.beta.openai_assistant).
    type: list
    elements: dict
  tool_choice:
    description:
      - >-
        Which tool the model calls. V(none) (no tool, a message), V(auto) (the model decides; the default),
        V(required) (at least one tool), or a dictionary naming one tool, such as
        C({type: function, function: {name: get_weather}}) or C({type: file_search}).
    type: raw
  parallel_tool_calls:
    description:
      - Whether the model may call several functions at once.
    type: bool
  max_prompt_tokens:
    description:
      - The most prompt tokens the run may use over all its turns, at least 256. Past it, the run ends
        V(incomplete).
    type: int
  max_completion_tokens:
    description:
      - The most completion tokens the run may use over all its turns, at least 256. Past it, the run ends
        V(incomplete).
    type: int
  truncation_strategy:
    description:
      - How the thread is truncated to fit the context window.
    type: dict
    suboptions:
      type:
        description: V(auto), or V(last_messages) to keep only the last O(truncation_strategy.last_messages).
        type: str
        required: true
        choices: [auto, last_messages]
      last_messages:
        description: How many of the most recent messages to keep (at least 1).
        type: int
  include:
    description:
      - Extra fields for the run's steps. The only value is
        V(step_details.tool_calls[*].file_search.results[*].content).
    type: list
    elements: str
    choices: ["step_details.tool_calls[*].file_search.results[*].content"]
  stream:
    description:
      - Start the run (and submit O(tool_outputs)) with server-sent events, and read them to the end, so that
        the module returns as soon as the run settles, without polling.
    type: bool
    default: false
  wait:
    description:
      - Wait until the run is V(completed), V(failed), V(cancelled), V(expired), V(incomplete) or
        V(requires_action). With O(state=absent), wait until the cancellation is done.
      - Not done in check mode.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait) waits, on a monotonic clock. When they run out, the task fails with the last
        status seen, and returns the last run seen.
    type: float
    default: 300
  tool_outputs:
    description:
      - Outputs of the function calls of a run in V(requires_action), one per call in the run's
        C(required_action.submit_tool_outputs.tool_calls). Ignored when the run does not require action (so a
        second run of the task changes nothing). A call without an output is an error, before any request.
    type: list
    elements: dict
    suboptions:
      tool_call_id:
        description: The ID of the call (C(call_...)).
        type: str
        required: true
      output:
        description: What the function returned, as a string.
        type: str
        required: true
seealso:
  - module: openai.beta.openai_thread_run_info
  - module: openai.beta.openai_thread_run_step_info
  - module: openai.beta.openai_thread_message_info
"""

EXAMPLES = r"""
- name: Run the assistant on the thread once, and wait for its answer
  openai.beta.openai_thread_run:
    thread_id: "{{ thread.thread.id }}"
    assistant_id: "{{ assistant.assistant.id }}"
    metadata:
      purpose: daily-summary   # makes the task idempotent: this run is found again next time
    wait: true
  register: run

- name: Answer the function calls of a run that requires action
  openai.beta.openai_thread_run:
    thread_id: "{{ thread.thread.id }}"
    run_id: "{{ run.run.id }}"
    tool_outputs: "{{ run.run.required_action.submit_tool_outputs.tool_calls
                      | map(attribute='id') | map('community.general.dict_kv', 'tool_call_id')
                      | map('combine', {'output': '{\"temp_c\": 21}'}) }}"
    wait: true
  when: run.run.status == 'requires_action'

- name: Stream a run with a tighter budget
  openai.beta.openai_thread_run:
    thread_id: "{{ thread.thread.id }}"
    assistant_id: "{{ assistant.assistant.id }}"
    additional_instructions: Answer in one sentence.
    max_completion_tokens: 512
    truncation_strategy:
      type: last_messages
      last_messages: 10
    metadata:
      purpose: one-liner
    stream: true

- name: Cancel it if it is still going
  openai.beta.openai_thread_run:
    thread_id: "{{ thread.thread.id }}"
    run_id: "{{ run.run.id }}"
    state: absent
    wait: true
"""

RETURN = r"""
run:
  description:
    - The run as the API last described it (after waiting, the settled run); in check mode, the run as it
      would be (a new one has no C(id) and status V(queued)).
    - V(null) when O(state=absent) and there was no such run.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the run.
      type: str
      sample: run_abc123
    object:
      description: Always V(thread.run).
      type: str
      sample: thread.run
    status:
      description: >-
        V(queued), V(in_progress), V(requires_action), V(cancelling), V(cancelled), V(failed), V(completed),
        V(incomplete) or V(expired).
      type: str
      sample: completed
    thread_id:
      description: The thread of the run.
      type: str
    assistant_id:
      description: The assistant that executes the run.
      type: str
    required_action:
      description: With V(requires_action), the function calls to answer in C(submit_tool_outputs.tool_calls).
      type: dict
    last_error:
      description: Why the run failed, when it did.
      type: dict
    usage:
      description: Token usage of a finished run.
      type: dict
    model:
      description: The model used.
      type: str
    instructions:
      description: The instructions used.
      type: str
    tools:
      description: The tools used.
      type: list
      elements: dict
    metadata:
      description: The metadata of the run.
      type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.thread_run import FAMILY, run_control_spec, run_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(
            thread_id=dict(type="str", required=True),
            run_id=dict(type="str"),
            **dict(run_spec(), **run_control_spec())
        ),
        supports_check_mode=True,
    )
    runner.run(module, FAMILY)


if __name__ == "__main__":
    main()
