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
  marker_key:
    description: The metadata key of the management marker.
    type: str
    default: managed_by
  marker_value:
    description: The value of the management marker.
    type: str
    default: openai.beta.assistants
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

from ansible_collections.openai.beta.plugins.module_utils import assistant
from ansible_collections.openai.beta.plugins.module_utils.planner import Held
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput

# The options of openai_assistant that a definition may set (the module's argument spec, less the connection
# options, assistant_id and purge_metadata: the role finds assistants by name and owns their whole metadata).
DEFINITION_SPEC = dict(
    assistant.assistant_spec(),
    name=dict(type="str", required=True),
    metadata=dict(type="dict"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
_VALIDATOR = ArgumentSpecValidator(DEFINITION_SPEC)


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
    return "openai_assistants[%d]%s" % (index, " (%s)" % name if name else "")


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


def _marked(obj, marker_key, marker_value):
    return (obj.get("metadata") or {}).get(marker_key) == marker_value


def assistants_plan(definitions, current, marker_key="managed_by", marker_value="openai.beta.assistants", purge=False):
    if not isinstance(definitions, list):
        raise AnsibleFilterError("assistants_plan: the definitions must be a list, got %s" % type(definitions).__name__)
    if not isinstance(current, list):
        raise AnsibleFilterError("assistants_plan: current must be the list of assistants from openai_assistant_info, "
                                 "got %s" % type(current).__name__)
    if not marker_key or marker_value is None:
        raise AnsibleFilterError("assistants_plan: marker_key and marker_value must be set")
    marker_key, marker_value = str(marker_key), str(marker_value)
    definitions, current = _plain(definitions), _plain(current)

    by_name = {}
    for obj in current:
        by_name.setdefault(obj.get("name"), []).append(obj)

    plan = {"converge": [], "delete": [], "unchanged": {}}
    errors = []
    defined = {}
    for index, definition in enumerate(definitions):
        params = _normalize(index, definition)
        name = params["name"]
        if name in defined:
            errors.append("%s: the name %r is already defined by openai_assistants[%d]; names must be unique"
                          % (_label(index, params), name, defined[name]))
            continue
        defined[name] = index
        matches = by_name.get(name, [])
        if len(matches) > 1:
            errors.append("%d assistants are named %r (%s); the role finds assistants by name: delete or rename all "
                          "but one" % (len(matches), name, ", ".join(str(obj.get("id")) for obj in matches)))
            continue
        existing = matches[0] if matches else None

        if params["state"] == "absent":
            if existing is not None:
                plan["delete"].append({"assistant_id": existing["id"], "name": name, "reason": "absent"})
            continue

        # The module's own validation and planner decide, so the role and the module cannot disagree.
        params = dict(params, assistant_id=None, purge_metadata=True,
                      metadata=dict(params.get("metadata") or {}, **{marker_key: marker_value}))
        try:
            wish = assistant.wanted(params)
            decision = assistant.AssistantPlanner(wish).plan(Held(existing))
        except InvalidInput as error:
            marker_note = " (the role adds the marker %s to the metadata)" % marker_key \
                if str(error).startswith("metadata") else ""
            errors.append("%s: %s%s" % (_label(index, params), error, marker_note))
            continue
        item = dict(wish.fields, metadata=wish.metadata, state="present")
        if existing is None:
            plan["converge"].append(dict(item, changes=[]))
        elif decision.changed:
            plan["converge"].append(dict(item, assistant_id=existing["id"], changes=decision.changes))
        else:
            plan["unchanged"][name] = existing

    if errors:
        raise AnsibleFilterError("; ".join(errors))

    if purge:
        for obj in current:
            if _marked(obj, marker_key, marker_value) and obj.get("name") not in defined:
                plan["delete"].append({"assistant_id": obj["id"], "name": obj.get("name"), "reason": "purge"})
    return plan


class FilterModule:
    def filters(self):
        return {"assistants_plan": assistants_plan}
