# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs: started once per identity (id, or assistant plus metadata), fed tool outputs, waited for."""

from __future__ import annotations

from . import assistant_options, endpoints, validate
from .compare import contains
from .errors import OpenAIError
from .info import Info
from .limits import (REASONING_EFFORTS, RUN_INCLUDE_VALUES, RUN_STATUS_CANCELLING, RUN_STATUSES_SETTLED,
                     RUN_STATUSES_TERMINAL, RUN_TOKENS_MIN, RUN_TOOLS_MAX, TOOL_CHOICE_MODES, TOOL_CHOICE_TYPES,
                     TRUNCATION_LAST_MESSAGES_MIN, TRUNCATION_TYPES)
from .message_content import check_messages, message_spec, messages_body
from .plan import NEW, ReadBack, Send, Wait, view
from .planner import Fields, ObjectPlanner, wanted as common_wanted
from .runner import Family, Held, read_by_id

ENDPOINT = endpoints.THREAD_RUN
STEPS = endpoints.RUN_STEP
TERMINAL = RUN_STATUSES_TERMINAL
SETTLED = RUN_STATUSES_SETTLED
ENDED = TERMINAL + (RUN_STATUS_CANCELLING,)  # nothing left to cancel


def run_spec():
    """The argument spec of what a run is started with (openai_thread_run's API fields). A run echoes most of them
    (model, instructions, tools, sampling, token limits, truncation, response format, tool choice): an existing run
    that differs in one is another run, not this one, so all are create-only."""
    return dict(
        assistant_id=dict(type="str"),
        model=dict(type="str"),
        instructions=dict(type="str"),
        additional_instructions=dict(type="str"),
        additional_messages=dict(type="list", elements="dict", options=message_spec()),
        tools=dict(type="list", elements="dict"),
        tool_choice=dict(type="raw"),
        parallel_tool_calls=dict(type="bool"),
        response_format=dict(type="raw"),
        reasoning_effort=dict(type="str", choices=list(REASONING_EFFORTS)),
        temperature=dict(type="float"),
        top_p=dict(type="float"),
        max_prompt_tokens=dict(type="int", no_log=False),
        max_completion_tokens=dict(type="int", no_log=False),
        truncation_strategy=dict(type="dict", options=dict(
            type=dict(type="str", required=True, choices=list(TRUNCATION_TYPES)),
            last_messages=dict(type="int"),
        )),
    )


def run_control_spec():
    """How the module drives a run (not API fields of the run)."""
    return dict(
        include=dict(type="list", elements="str", choices=list(RUN_INCLUDE_VALUES)),
        stream=dict(type="bool", default=False),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="float", default=300),
        tool_outputs=dict(type="list", elements="dict", no_log=False, options=dict(
            tool_call_id=dict(type="str", required=True),
            output=dict(type="str", required=True),
        )),
    )


FIELDS = Fields(run_spec(), create_only=tuple(run_spec()))


def wanted(params):
    wish = common_wanted(ENDPOINT, FIELDS, params)
    endpoints.check_id("assistant_id", params.get("assistant_id"), "asst")
    assistant_options.check_sampling(params)
    assistant_options.check_response_format("response_format", params.get("response_format"))
    assistant_options.check_tools("tools", params.get("tools"), RUN_TOOLS_MAX)
    check_messages("additional_messages", params.get("additional_messages"))
    for option in ("max_prompt_tokens", "max_completion_tokens"):
        if params.get(option) is not None and params[option] < RUN_TOKENS_MIN:
            raise validate.InvalidInput("%s must be at least %d, got %d" % (option, RUN_TOKENS_MIN, params[option]))
    check_truncation(params.get("truncation_strategy"))
    check_tool_choice(params.get("tool_choice"))
    if params["wait_timeout"] <= 0:
        raise validate.InvalidInput("wait_timeout must be greater than 0, got %s" % params["wait_timeout"])
    for index, output in enumerate(params.get("tool_outputs") or []):
        if not output.get("tool_call_id"):
            raise validate.InvalidInput("tool_outputs[%d].tool_call_id is required" % index)
    if params["state"] == "absent" and not (params.get("run_id") or wish.metadata):
        raise validate.InvalidInput("state=absent needs run_id, or metadata to find the run by")
    if "additional_messages" in wish.fields:
        wish.fields["additional_messages"] = messages_body(wish.fields["additional_messages"])
    return wish


def same_identity(listing, wish):
    """Without run_id: the run of this assistant whose metadata holds the task's metadata; more than one is an
    error that lists their ids."""
    assistant_id = wish.params.get("assistant_id")
    found = [run for run in listing
             if (assistant_id is None or run.get("assistant_id") == assistant_id)
             and contains(run.get("metadata") or {}, wish.metadata)]
    if len(found) > 1:
        raise validate.InvalidInput("%d runs of thread %s match this assistant and metadata (%s); set run_id to "
                                    "choose one" % (len(found), wish.params["thread_id"],
                                                    ", ".join(run["id"] for run in found)))
    return found[0] if found else None


def read(reader, wish):
    if wish.object_id or not wish.metadata:
        return read_by_id(reader, ENDPOINT, wish)
    return Held(same_identity(reader.list(ENDPOINT.collection_path(wish.params)), wish))


class ThreadRunPlanner(ObjectPlanner):
    endpoint = ENDPOINT
    fields = FIELDS

    def matches(self, held, field, value):
        if field == "instructions" and self.params.get("additional_instructions"):
            return True  # the run's instructions then hold both: not comparable with either
        return super().matches(held, field, value)

    def check_create(self, body):
        if not body.get("assistant_id"):
            raise validate.InvalidInput("assistant_id is required to start a run")

    def create_operations(self, body):
        query = {"include[]": self.params["include"]} if self.params.get("include") else None
        # Without metadata there is nothing to find the run by: after a lost answer, fail, never start another.
        path = self.endpoint.collection_path(self.params)
        recover = None
        if self.wanted.metadata:
            recover = ReadBack(path, lambda listing, _new: same_identity(listing, self.wanted))
        if self.params["stream"]:
            return [Send("POST", path, dict(body, stream=True), query, once=True, recover=recover, binds_new=True,
                         stream=last_run)], None
        return [Send("POST", path, body, query, once=True, recover=recover, binds_new=True)], None

    def would_be(self, body):
        run = dict(body, id=None, object="thread.run", thread_id=self.params["thread_id"], status="queued")
        run.setdefault("metadata", {})
        return run

    # --- the run's life after the create --------------------------------------------------------------------------
    def plan_present(self, held):
        current = held.obj
        feeding = self.params.get("tool_outputs") is not None and (current or {}).get("status") == "requires_action"
        if feeding:
            self.check_tool_outputs(current)  # before any write, a metadata update included
        plan = super().plan_present(held)
        if feeding:
            plan.operations.append(self.submit_tool_outputs(current))
            plan.obj = dict(plan.obj, status="queued", required_action=None)
            plan.changed = True
        if self.params["wait"]:
            plan.operations.append(self.wait_for(current, SETTLED))
        return plan

    def plan_absent(self, held):
        current = held.obj
        if current is None or current.get("status") in ENDED:
            # finished, or already being cancelled (a second cancel is a 400): nothing to send
            waits = [self.wait_for(current, TERMINAL)] \
                if current is not None and current.get("status") == RUN_STATUS_CANCELLING and self.params["wait"] \
                else []
            return self.make_plan(False, current, waits)
        operations = [self.cancel(current)]
        if self.params["wait"]:
            operations.append(self.wait_for(current, TERMINAL))
        return self.make_plan(True, dict(current, status=RUN_STATUS_CANCELLING), operations,
                              before=view(current, current))

    def cancel(self, current):
        """Runs cannot be deleted: absent cancels a run that has not finished."""
        path = self.endpoint.object_path(self.params, current["id"])
        # a second cancel would be a 400: after a lost answer, look whether the first one reached the run; a 400 may
        # also mean the run finished between the read and the cancel, and then there is nothing to cancel
        ended = ReadBack(path, lambda latest, _new: latest if (latest or {}).get("status") in ENDED else None,
                         listing=False)
        return Send("POST", self.endpoint.action_path(self.params, current["id"], "cancel"), once=True, recover=ended,
                    refused=ended, unchanged_if=finished_by_itself)

    def check_tool_outputs(self, run):
        """InvalidInput when a pending call of the run has no output in tool_outputs."""
        outputs = self.params["tool_outputs"]
        missing = sorted(set(pending_tool_calls(run)) - set(output["tool_call_id"] for output in outputs))
        if missing:
            raise validate.InvalidInput("tool_outputs has no output for tool call(s) %s of run %s"
                                        % (", ".join(missing), run["id"]))

    def submit_tool_outputs(self, run):
        path = self.endpoint.action_path(self.params, run["id"], "submit_tool_outputs")
        body = {"tool_outputs": [dict((key, value) for key, value in output.items() if value is not None)
                                 for output in self.params["tool_outputs"]]}

        def took_them(latest, _new):  # sent twice, the outputs would be a 400: look whether the run took them
            if latest is None:
                raise OpenAIError("the answer to the tool outputs was lost, and run %s is gone" % run["id"],
                                  method="POST", path=path)
            if pending_tool_calls(latest) == pending_tool_calls(run):
                return None
            if latest.get("status") in ("cancelled", "failed", "expired"):
                raise OpenAIError("the answer to the tool outputs was lost, and run %s is now %s: whether it took "
                                  "them cannot be told" % (run["id"], latest["status"]), method="POST", path=path)
            return latest

        recover = ReadBack(self.endpoint.object_path(self.params, run["id"]), took_them, listing=False)
        if self.params["stream"]:
            return Send("POST", path, dict(body, stream=True), once=True, recover=recover, stream=last_run)
        return Send("POST", path, body, once=True, recover=recover)

    def wait_for(self, run, until):
        run_id = (run or {}).get("id") or NEW
        return Wait(self.endpoint.object_path(self.params, run_id), until, self.params["wait_timeout"],
                    "run %s" % run_id)


def finished_by_itself(run):
    """A cancel's answer that shows the run had finished before the cancel reached it."""
    return run.get("status") in TERMINAL and run.get("status") != "cancelled"


def pending_tool_calls(run):
    """The ids of the tool calls a run waits for (empty unless it requires action)."""
    if run.get("status") != "requires_action":
        return []
    calls = ((run.get("required_action") or {}).get("submit_tool_outputs") or {}).get("tool_calls") or []
    return sorted(call["id"] for call in calls)


def last_run(events):
    """The run as the last `thread.run.*` event of a stream described it."""
    run = None
    for name, data in events:
        if isinstance(data, dict) and data.get("object") == "thread.run" and (name or "thread.run").startswith(
                "thread.run"):
            run = data
    if run is None:
        raise validate.InvalidInput("the event stream ended without describing the run")
    return run


def check_truncation(strategy):
    if not strategy:
        return
    if strategy.get("type") not in TRUNCATION_TYPES:
        raise validate.InvalidInput("truncation_strategy.type must be %s, got %r"
                                    % (" or ".join(TRUNCATION_TYPES), strategy.get("type")))
    if strategy.get("last_messages") is not None and strategy["last_messages"] < TRUNCATION_LAST_MESSAGES_MIN:
        raise validate.InvalidInput("truncation_strategy.last_messages must be at least %d"
                                    % TRUNCATION_LAST_MESSAGES_MIN)


def check_tool_choice(choice):
    if choice is None or choice in TOOL_CHOICE_MODES:
        return
    if not isinstance(choice, dict) or choice.get("type") not in TOOL_CHOICE_TYPES:
        raise validate.InvalidInput("tool_choice must be %s, or a dictionary such as {type: function, function: "
                                    "{name: ...}}" % ", ".join(TOOL_CHOICE_MODES))
    if choice["type"] == "function" and not (choice.get("function") or {}).get("name"):
        raise validate.InvalidInput("tool_choice.function.name is required when tool_choice.type is function")


FAMILY = Family(ENDPOINT, wanted, read, ThreadRunPlanner)


class ThreadRunInfo(Info):
    endpoint = ENDPOINT


class RunStepInfo(Info):
    endpoint = STEPS
    include_query = "include[]"
