# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A set of assistant definitions against one listing of the account: which to create, update, delete or leave.

Pure: the definitions (validated by an argument spec) and the account's assistants in, a FleetPlan out. Each
definition is decided by openai_assistant's own validation and planner, so the fleet module, the role's filter and
the module cannot disagree. The management marker (marker_key=marker_value) goes into every definition's metadata;
with purge, marked assistants that no definition names are deleted, and unmarked ones never.
"""

from __future__ import annotations

from . import assistant
from .errors import redact
from .planner import Held
from .validate import InvalidInput

DEFAULT_MARKER_KEY = "managed_by"
DEFAULT_MARKER_VALUE = "openai.beta.assistants"
CREATE, UPDATE, DELETE, NONE = "create", "update", "delete", "none"


def definition_spec():
    """The options of one definition: openai_assistant's fields, name (required), metadata and state."""
    return dict(
        assistant.assistant_spec(),
        name=dict(type="str", required=True),
        metadata=dict(type="dict"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )


class FleetItem:
    def __init__(self, name, action, plan, existing=None, reason=None, fields=None):
        self.name = name
        self.action = action        # CREATE, UPDATE, DELETE or NONE
        self.plan = plan            # what to send for this definition (a Plan; NONE: a plan that sends nothing)
        self.existing = existing    # the assistant of the account, or None
        self.reason = reason        # for DELETE: "absent" (so defined) or "purge" (no longer defined)
        self.fields = fields or {}  # what the definition sets, as the API takes it (metadata with the marker)

    @property
    def changes(self):
        return self.plan.changes if self.action == UPDATE else []


class FleetPlan:
    def __init__(self, items):
        self.items = items

    @property
    def changed(self):
        return any(item.action != NONE for item in self.items)

    def of(self, *actions):
        return [item for item in self.items if item.action in actions]


def marked(obj, marker_key, marker_value):
    return (obj.get("metadata") or {}).get(marker_key) == marker_value


def plan_fleet(definitions, current, marker_key=DEFAULT_MARKER_KEY, marker_value=DEFAULT_MARKER_VALUE, purge=False,
               label="assistants"):
    """The FleetPlan of validated definitions against `current`, every assistant of the account. All problems are
    reported at once (InvalidInput), before anything is sent."""
    by_name = {}
    for obj in current:
        by_name.setdefault(obj.get("name"), []).append(obj)
    items, errors, defined = [], [], {}
    for index, params in enumerate(definitions):
        name = params["name"]
        where = "%s[%d] (%s)" % (label, index, name)
        if name in defined:
            errors.append("%s: the name %r is already defined by %s[%d]; names must be unique"
                          % (where, name, label, defined[name]))
            continue
        defined[name] = index
        matches = by_name.get(name, [])
        if len(matches) > 1:
            errors.append("%d assistants are named %r (%s); assistants are found by name: delete or rename all but "
                          "one" % (len(matches), name, ", ".join(str(obj.get("id")) for obj in matches)))
            continue
        existing = matches[0] if matches else None
        if params.get("state") == "absent":
            if existing is not None:
                items.append(FleetItem(name, DELETE, delete_plan(existing), existing, "absent"))
            continue
        wish_params = dict(params, assistant_id=None, purge_metadata=True, state="present",
                           metadata=dict(params.get("metadata") or {}, **{marker_key: marker_value}))
        try:
            wish = assistant.wanted(wish_params)
            decision = assistant.AssistantPlanner(wish).plan(Held(existing))
        except InvalidInput as error:
            note = " (the role adds the marker %s to the metadata)" % marker_key if str(error).startswith("metadata") else ""
            errors.append("%s: %s%s" % (where, error, note))
            continue
        action = CREATE if existing is None else UPDATE if decision.changed else NONE
        items.append(FleetItem(name, action, decision, existing, fields=dict(wish.fields, metadata=wish.metadata)))
    if errors:
        raise InvalidInput("; ".join(errors))
    if purge:
        for obj in current:
            if marked(obj, marker_key, marker_value) and obj.get("name") not in defined:
                items.append(FleetItem(obj.get("name"), DELETE, delete_plan(obj), obj, "purge"))
    return FleetPlan(items)


def delete_plan(obj):
    wish = assistant.wanted({"assistant_id": obj["id"], "state": "absent"})
    return assistant.AssistantPlanner(wish).plan(Held(obj))


# --- the module's run (doing) ------------------------------------------------------------------------------------
def fleet_argument_spec():
    from .connection import concurrency_option

    return dict(
        assistants=dict(type="list", elements="dict", required=True),
        purge=dict(type="bool", default=False),
        marker_key=dict(type="str", default=DEFAULT_MARKER_KEY, no_log=False),
        marker_value=dict(type="str", default=DEFAULT_MARKER_VALUE),
        **concurrency_option()
    )


def validated_definitions(definitions, label="assistants"):
    """Each definition through the definition spec (types coerced, defaults filled); all problems at once."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    validator = ArgumentSpecValidator(definition_spec())
    validated, errors = [], []
    for index, definition in enumerate(definitions):
        name = definition.get("name") if isinstance(definition, dict) else None
        where = "%s[%d]%s" % (label, index, " (%s)" % name if name else "")
        if not isinstance(definition, dict):
            errors.append("%s must be a dictionary of openai_assistant options" % where)
            continue
        result = validator.validate(dict(definition))
        if result.error_messages:
            errors.append("%s: %s" % (where, "; ".join(result.error_messages)))
        else:
            validated.append(result.validated_parameters)
    if errors:
        raise InvalidInput("; ".join(errors))
    return validated


def summary(fleet):
    counts = dict((key, 0) for key in ("created", "updated", "deleted", "unchanged"))
    names = {CREATE: "created", UPDATE: "updated", DELETE: "deleted", NONE: "unchanged"}
    for item in fleet.items:
        counts[names[item.action]] += 1
    return counts


def report(fleet, outcomes, diff, secrets=()):
    """The module's result: every defined assistant by name, what was done to each, and the diff."""
    assistants, results, before, after, failed = {}, [], {}, {}, []
    for item, (outcome, error) in zip(fleet.items, outcomes):
        entry = {"name": item.name, "action": item.action, "changes": item.changes}
        if item.reason:
            entry["reason"] = item.reason
        if error is not None:
            entry["error"] = redact(str(error), secrets)
            failed.append(item)
        else:
            result = item.plan.result(outcome, diff=True)
            obj = result[assistant.ENDPOINT.key]
            entry["id"] = (obj or {}).get("id")
            if item.action != DELETE:
                assistants[item.name] = obj
            if item.action != NONE:
                before[item.name] = result["diff"]["before"]
                after[item.name] = result["diff"]["after"]
        results.append(entry)
    data = {"changed": any(item.action != NONE for item in fleet.items if item not in failed),
            "assistants": assistants, "results": results, "summary": summary(fleet)}
    if diff:
        data["diff"] = {"before": before, "after": after}
    return data, failed


def run(module):
    """openai_assistant_fleet: validate, one listing, plan every definition, send the writes side by side."""
    from .connection import build_client
    from .errors import OpenAIError, fail_from_error
    from .executor import Executor
    from .retirement import warn_assistants_retired

    params = module.params
    client = build_client(module, assistant.ENDPOINT.beta, concurrency=params["concurrency"])
    try:
        warn_assistants_retired(module)
        if not params["marker_key"]:
            raise InvalidInput("marker_key must not be empty")
        definitions = validated_definitions(params["assistants"])
        current = list(client.list(assistant.ENDPOINT.collection_path({})))
        fleet = plan_fleet(definitions, current, params["marker_key"], params["marker_value"], params["purge"])
        outcomes = Executor(client, module.check_mode).run_each([item.plan for item in fleet.items],
                                                                params["concurrency"])
    except InvalidInput as error:
        module.fail_json(msg=str(error))
    except OpenAIError as error:
        fail_from_error(module, error, client.secrets)
    result, failed = report(fleet, outcomes, module._diff, client.secrets)
    if failed:
        done = [entry["name"] for entry in result["results"] if "error" not in entry and entry["action"] != NONE]
        module.fail_json(msg="%d of %d assistants failed: %s. Done: %s" % (
            len(failed), len(fleet.items), "; ".join("%s (%s): %s" % (entry["name"], entry["action"], entry["error"])
                                                     for entry in result["results"] if "error" in entry),
            ", ".join(done) or "nothing"), **result)
    module.exit_json(**result)
