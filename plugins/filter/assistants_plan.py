# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: assistants_plan
short_description: Decide which assistant definitions differ from the assistants of an account
version_added: 0.1.0
description:
  - The decision step of the role C(openai.beta.assistants). Given the assistant definitions and the assistants the
    account has (one listing by M(openai.beta.openai_assistant_info)), returns what must be created, updated and
    deleted, so that M(openai.beta.openai_assistant) is called only for the definitions that need a change.
  - Same semantics as M(openai.beta.openai_assistant), through the module's own validation and planner (the
    C(assistant.wanted) function and C(AssistantPlanner) of the collection's module_utils). Only the options
    a definition sets are compared; server defaults (such as C(temperature=1)) never count as a change; an option left
    out is never changed; the metadata must be exactly the definition's metadata plus the management marker.
  - A definition is found by its name. A name that more than one assistant of the account carries is an error that
    lists their ids, as in the module; so is a name defined twice, or a definition the module would refuse (its
    argument spec, the API's limits, a new assistant without a model), all before anything is sent.
  - The management marker (O(marker_key)=O(marker_value)) is added to the metadata of every definition. With
    O(purge=true), assistants that carry the marker but whose name no definition has are deleted; assistants
    without the marker are never purged.
author:
  - openai.beta maintainers (@openai-beta)
positional: current
extends_documentation_fragment:
  - openai.beta.assistant_marker
options:
  _input:
    description:
      - The assistant definitions, each a dictionary of options of M(openai.beta.openai_assistant) - V(name)
        (required), V(model), V(description), V(instructions), V(metadata), V(temperature), V(top_p),
        V(response_format), V(reasoning_effort), V(tools), V(tool_resources) and V(state) (V(present) or V(absent)).
    type: list
    elements: dict
    required: true
  current:
    description:
      - Every assistant of the account, as M(openai.beta.openai_assistant_info) returns them (its C(assistants)).
    type: list
    elements: dict
    required: true
  purge:
    description: Whether to plan the deletion of marked assistants that no definition names.
    type: bool
    default: false
seealso:
  - module: openai.beta.openai_assistant
  - module: openai.beta.openai_assistant_info
"""

EXAMPLES = r"""
- name: List every assistant once
  openai.beta.openai_assistant_info:
  register: listing

- name: Decide what differs
  ansible.builtin.set_fact:
    plan: "{{ definitions | openai.beta.assistants_plan(listing.assistants, purge=true) }}"
  vars:
    definitions:
      - name: support
        model: gpt-4o
        instructions: You answer questions about our product, briefly.

- name: Change only what differs, by id (no listing per assistant)
  openai.beta.openai_assistant:
    assistant_id: "{{ item.assistant_id | default(omit) }}"
    name: "{{ item.name }}"
    model: "{{ item.model | default(omit) }}"
    instructions: "{{ item.instructions | default(omit) }}"
    metadata: "{{ item.metadata }}"
  loop: "{{ plan.converge }}"
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    converge:
      description:
        - The definitions to create (no C(assistant_id)) or to update (with the C(assistant_id) of the assistant that has
          the name), in the order given, as options of M(openai.beta.openai_assistant) - only the options the definition
          sets, C(metadata) with the marker, C(state=present) - plus C(changes), the options that differ (V([]) for a
          create).
      type: list
      elements: dict
    delete:
      description:
        - The assistants to delete, each C(assistant_id), C(name) and C(reason) (V(absent) for a definition with
          C(state=absent), V(purge) for a marked assistant that no definition names).
      type: list
      elements: dict
    unchanged:
      description: The assistants that already are as defined, by name (definitions with C(state=present) only).
      type: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.openai.beta.plugins.module_utils import assistant_fleet
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput

# The options of openai_assistant that a definition may set (the module's argument spec, less the connection
# options, assistant_id and purge_metadata: the role finds assistants by name and owns their whole metadata).
_VALIDATOR = ArgumentSpecValidator(assistant_fleet.definition_spec())
LABEL = "openai_assistants"


def _plain(value):
    """Plain Python data: Ansible's lazy containers are expensive to deep-copy (the argument spec validator copies)."""
    if isinstance(value, Mapping):
        return dict((_plain(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def _label(index, definition):
    name = definition.get("name") if isinstance(definition, dict) else None
    return "%s[%d]%s" % (LABEL, index, " (%s)" % name if name else "")


def _normalize(index, definition):
    """The definition as the module would see it: types coerced, unset options left out."""
    if not isinstance(definition, dict):
        raise AnsibleFilterError("%s must be a dictionary of openai_assistant options, got %s"
                                 % (_label(index, definition), type(definition).__name__))
    result = _VALIDATOR.validate(dict(definition))
    if result.error_messages:
        messages = [("unsupported option %s" % error if isinstance(error, UnsupportedError) else str(error))
                    for error in result.errors.errors]
        raise AnsibleFilterError("%s: %s" % (_label(index, definition), "; ".join(messages)))
    return result.validated_parameters


def assistants_plan(definitions, current, marker_key=assistant_fleet.DEFAULT_MARKER_KEY,
                    marker_value=assistant_fleet.DEFAULT_MARKER_VALUE, purge=False):
    if not isinstance(definitions, list):
        raise AnsibleFilterError("assistants_plan: the definitions must be a list, got %s" % type(definitions).__name__)
    if not isinstance(current, list):
        raise AnsibleFilterError("assistants_plan: current must be the list of assistants from openai_assistant_info, "
                                 "got %s" % type(current).__name__)
    if not marker_key or marker_value is None:
        raise AnsibleFilterError("assistants_plan: marker_key and marker_value must be set")
    definitions, current = _plain(definitions), _plain(current)
    validated = [_normalize(index, definition) for index, definition in enumerate(definitions)]
    try:
        fleet = assistant_fleet.plan_fleet(validated, current, str(marker_key), str(marker_value), purge, LABEL)
    except InvalidInput as error:
        raise AnsibleFilterError(str(error))

    plan = {"converge": [], "delete": [], "unchanged": {}}
    for item in fleet.items:
        if item.action == assistant_fleet.DELETE:
            plan["delete"].append({"assistant_id": item.existing["id"], "name": item.name, "reason": item.reason})
        elif item.action == assistant_fleet.NONE:
            plan["unchanged"][item.name] = item.existing
        else:
            converge = dict(item.fields, state="present", changes=item.changes)
            if item.action == assistant_fleet.UPDATE:
                converge["assistant_id"] = item.existing["id"]
            plan["converge"].append(converge)
    return plan


class FilterModule:
    def filters(self):
        return {"assistants_plan": assistants_plan}
