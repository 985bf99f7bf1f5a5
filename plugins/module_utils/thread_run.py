# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs: started once per identity (id, or assistant plus metadata), fed tool outputs, waited for."""

from __future__ import annotations

from . import assistant_options, validate
from .client import ASSISTANTS_BETA
from .compare import contains
from .errors import OpenAIError
from .info import Info
from .message_content import check_messages, messages_body
from .resource import Resource
from .wait import WaitTimeout, wait_for

TERMINAL = ("completed", "cancelled", "failed", "incomplete", "expired")
SETTLED = TERMINAL + ("requires_action",)
MAX_RUN_TOOLS = 20
MIN_TOKENS = 256
INCLUDE_VALUES = ["step_details.tool_calls[*].file_search.results[*].content"]
# Options the run object echoes: an existing run that differs in them is another run, not this one.
ECHOED = ("model", "instructions", "tools", "temperature", "top_p", "max_prompt_tokens", "max_completion_tokens",
          "truncation_strategy", "response_format", "tool_choice", "parallel_tool_calls")
SENT = ("assistant_id", "additional_instructions", "additional_messages", "reasoning_effort") + ECHOED


class ThreadRun(Resource):
    name = "run"
    id_option = "run_id"
    id_prefix = "run"
    beta = ASSISTANTS_BETA
    fields = SENT
    create_only = SENT
    retired = True
    can_recover_create = True

    def collection_path(self):
        return "/threads/%s/runs" % self.params["thread_id"]

    def desired(self):
        desired = super().desired()
        if "additional_messages" in desired:
            desired["additional_messages"] = messages_body(desired["additional_messages"])
        return desired

    def validate(self):
        validate.object_id("thread_id", self.params["thread_id"], "thread")
        super().validate()
        params = self.params
        validate.object_id("assistant_id", params.get("assistant_id"), "asst")
        assistant_options.check_sampling(params)
        assistant_options.check_response_format("response_format", params.get("response_format"))
        assistant_options.check_tools("tools", params.get("tools"))
        validate.item_count("tools", params.get("tools"), 0, MAX_RUN_TOOLS)
        check_messages("additional_messages", params.get("additional_messages"))
        for option in ("max_prompt_tokens", "max_completion_tokens"):
            if params.get(option) is not None and params[option] < MIN_TOKENS:
                raise validate.InvalidInput("%s must be at least %d, got %d" % (option, MIN_TOKENS, params[option]))
        check_truncation(params.get("truncation_strategy"))
        check_tool_choice(params.get("tool_choice"))
        if params["wait_timeout"] <= 0:
            raise validate.InvalidInput("wait_timeout must be greater than 0, got %s" % params["wait_timeout"])
        for index, output in enumerate(params.get("tool_outputs") or []):
            if not output.get("tool_call_id"):
                raise validate.InvalidInput("tool_outputs[%d].tool_call_id is required" % index)
        if params["state"] == "absent" and not (params.get("run_id") or self.metadata):
            raise validate.InvalidInput("state=absent needs run_id, or metadata to find the run by")

    # --- identity ---------------------------------------------------------------------------------
    def find(self):
        """Without run_id: the run of this assistant whose metadata holds the task's metadata."""
        if not self.metadata:
            return None
        assistant_id = self.params.get("assistant_id")
        found = [run for run in self.client.list(self.collection_path())
                 if (assistant_id is None or run.get("assistant_id") == assistant_id)
                 and contains(run.get("metadata") or {}, self.metadata)]
        if len(found) > 1:
            raise validate.InvalidInput("%d runs of thread %s match this assistant and metadata (%s); set run_id to "
                                        "choose one" % (len(found), self.params["thread_id"],
                                                        ", ".join(run["id"] for run in found)))
        return found[0] if found else None

    def recover_create(self, body):
        return self.find()

    def matches(self, obj, field, value):
        if field == "instructions" and self.params.get("additional_instructions"):
            return True  # the run's instructions then hold both: not comparable with either
        return super().matches(obj, field, value)

    def check_create(self, body):
        if not body.get("assistant_id"):
            raise validate.InvalidInput("assistant_id is required to start a run")

    # --- writes -----------------------------------------------------------------------------------
    def create(self, body):
        query = {"include[]": self.params["include"]} if self.params.get("include") else None

        # Without metadata there is nothing to find the run by: after an ambiguous failure, fail, never start another.
        recover = (lambda: self.recover_create(body)) if self.metadata else None
        if not self.params["stream"]:
            return self.client.post_once(self.collection_path(), body, query=query, recover=recover)
        return last_run(self.client.stream(self.collection_path(), dict(body, stream=True), query=query,
                                           recover=recover))

    def delete(self, obj):
        """Runs cannot be deleted: absent cancels a run that has not finished; returns the run the cancel left."""
        path = self.object_path(obj["id"])

        def recover():  # a second cancel would be a 400: look whether the first one reached the run
            latest = self.client.get(path)
            return latest if latest.get("status") in TERMINAL + ("cancelling",) else None

        return self.client.post_once("%s/cancel" % path, recover=recover)

    def would_be(self, body):
        run = dict(body, id=None, object="thread.run", thread_id=self.params["thread_id"], status="queued")
        run.setdefault("metadata", {})
        return run

    # --- the run's life after the create ----------------------------------------------------------
    def ensure_present(self, current):
        if self.params.get("tool_outputs") is not None and (current or {}).get("status") == "requires_action":
            self.check_tool_outputs(current)  # before any write, a metadata update included
        result = super().ensure_present(current)
        run = result["run"]
        if self.params.get("tool_outputs") is not None and run.get("status") == "requires_action":
            run = self.submit_tool_outputs(run)
            result["changed"] = True
        if self.params["wait"] and not self.check_mode and run.get("status") not in SETTLED:
            run = self.wait(run)
        result["run"] = run
        return result

    def ensure_absent(self, current):
        if current is None or current.get("status") in TERMINAL + ("cancelling",):
            # finished, or already being cancelled (a second cancel is a 400): nothing to send
            if current is not None and current.get("status") == "cancelling" and self.params["wait"] \
                    and not self.check_mode:
                current = self.wait(current, until=TERMINAL)
            return self.result(False, current, {}, {})
        if self.check_mode:
            run = dict(current, status="cancelling")
        else:
            try:
                run = self.delete(current) or dict(current, status="cancelling")
            except OpenAIError as error:
                # the run may have finished between our read and the cancel: then there is nothing to cancel
                latest = self.get(current["id"]) if error.status == 400 else None
                if latest is None or latest.get("status") not in TERMINAL + ("cancelling",):
                    raise
                return self.result(False, latest, {}, {})
            if run.get("status") in TERMINAL and run.get("status") != "cancelled":
                return self.result(False, run, {}, {})  # it finished by itself before the cancel reached it
            if self.params["wait"]:
                run = self.wait(run, until=TERMINAL)
        return self.result(True, run, self.view(current, current), {})

    def check_tool_outputs(self, run):
        """InvalidInput when a pending call of the run has no output in tool_outputs."""
        outputs = self.params["tool_outputs"]
        missing = sorted(set(pending_tool_calls(run)) - set(output["tool_call_id"] for output in outputs))
        if missing:
            raise validate.InvalidInput("tool_outputs has no output for tool call(s) %s of run %s"
                                        % (", ".join(missing), run["id"]))

    def submit_tool_outputs(self, run):
        self.check_tool_outputs(run)
        outputs = self.params["tool_outputs"]
        if self.check_mode:
            return dict(run, status="queued", required_action=None)
        path = "%s/submit_tool_outputs" % self.object_path(run["id"])
        body = {"tool_outputs": [dict((key, value) for key, value in output.items() if value is not None)
                                 for output in outputs]}

        def recover():  # sent twice, the outputs would be a 400: look whether the run took them
            latest = self.client.get(self.object_path(run["id"]))
            if pending_tool_calls(latest) == pending_tool_calls(run):
                return None
            if latest.get("status") in ("cancelled", "failed", "expired"):
                raise OpenAIError("the answer to the tool outputs was lost, and run %s is now %s: whether it took "
                                  "them cannot be told" % (run["id"], latest["status"]), method="POST", path=path)
            return latest

        if self.params["stream"]:
            return last_run(self.client.stream(path, dict(body, stream=True), recover=recover))
        return self.client.post_once(path, body, recover=recover)

    def wait(self, run, until=SETTLED):
        path = self.object_path(run["id"])

        def fetch():
            latest = self.client.get(path)
            return latest, poll_after_seconds(self.client.last_headers)

        # `run` is the answer of the request just made (the create, update, submit, cancel or read): it is the first
        # poll, paced by that answer's openai-poll-after-ms, so no GET is sent before the run can have moved on
        first = (run, poll_after_seconds(self.client.last_headers))
        try:
            return wait_for(fetch, lambda latest: latest.get("status") in until, self.params["wait_timeout"],
                            first=first)
        except WaitTimeout as timeout:
            self.module.fail_json(msg="run %s did not finish within wait_timeout=%ss; its last status was %s"
                                  % (run["id"], self.params["wait_timeout"], timeout.last.get("status")),
                                  run=timeout.last)


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


def poll_after_seconds(headers):
    value = (headers or {}).get("openai-poll-after-ms")
    try:
        return float(value) / 1000.0 if value else None
    except ValueError:
        return None


def check_truncation(strategy):
    if not strategy:
        return
    if strategy.get("type") not in ("auto", "last_messages"):
        raise validate.InvalidInput("truncation_strategy.type must be auto or last_messages, got %r"
                                    % strategy.get("type"))
    if strategy.get("last_messages") is not None and strategy["last_messages"] < 1:
        raise validate.InvalidInput("truncation_strategy.last_messages must be at least 1")


def check_tool_choice(choice):
    if choice is None or choice in ("none", "auto", "required"):
        return
    if not isinstance(choice, dict) or choice.get("type") not in ("function", "code_interpreter", "file_search"):
        raise validate.InvalidInput("tool_choice must be none, auto, required, or a dictionary such as "
                                    "{type: function, function: {name: ...}}")
    if choice["type"] == "function" and not (choice.get("function") or {}).get("name"):
        raise validate.InvalidInput("tool_choice.function.name is required when tool_choice.type is function")


class ThreadRunInfo(Info):
    plural = "runs"
    id_option = "run_id"
    id_prefix = "run"
    beta = ASSISTANTS_BETA
    retired = True

    def collection_path(self):
        return "/threads/%s/runs" % self.params["thread_id"]

    def validate(self):
        validate.object_id("thread_id", self.params["thread_id"], "thread")
        super().validate()


class RunStepInfo(Info):
    plural = "steps"
    id_option = "step_id"
    id_prefix = "step"
    beta = ASSISTANTS_BETA
    retired = True

    def collection_path(self):
        return "/threads/%s/runs/%s/steps" % (self.params["thread_id"], self.params["run_id"])

    def validate(self):
        validate.object_id("thread_id", self.params["thread_id"], "thread")
        validate.object_id("run_id", self.params["run_id"], "run")
        super().validate()

    def object_query(self):
        return {"include[]": self.params["include"]} if self.params.get("include") else None

    def list_query(self):
        return dict(super().list_query(), **(self.object_query() or {}))
