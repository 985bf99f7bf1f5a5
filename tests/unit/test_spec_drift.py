"""Every enum and limit of module_utils/limits.py, and every choice list of every module, against OpenAI's spec.

The collection states each fact about the API once (limits.py); argument specs, validation and doc fragments read it
there. This test reads the official spec (tests/spec_file.py: ``$OPENAI_SPEC``, else ../shared/openapi; skipped
with a message when absent, failed under CI) and checks each constant against the place of the spec that says it,
so that a constant that drifts from the spec, or a spec that changes, fails here. Two limits the spec does not
state come from the real service's recorded answers (named in RECORDED): for those the test checks that the spec
does not contradict them. Finally every ``choices`` list of every module's argument spec must be one of the
checked constants (or one of the collection's own, not the API's), so a new choice list cannot skip the check.
"""

import importlib
import re

import pytest

from ansible_collections.openai.beta.plugins.module_utils import limits

from modspec import module_spec
from spec_file import spec_document

MODULES = ["openai_assistant", "openai_assistant_fleet", "openai_assistant_info", "openai_chatkit_session", "openai_chatkit_thread",
           "openai_chatkit_thread_info", "openai_conversation", "openai_conversation_info", "openai_conversation_item",
           "openai_conversation_item_info", "openai_thread", "openai_thread_info", "openai_thread_message",
           "openai_thread_message_info", "openai_thread_run", "openai_thread_run_info", "openai_thread_run_step_info"]


# --- reading the spec -------------------------------------------------------------------------------------------
class Spec:
    def __init__(self, document):
        self.document = document
        self.schemas = document["components"]["schemas"]

    def resolve(self, node):
        """Follow $ref, and step into the one non-null branch of an `anyOf [X, null]`."""
        while True:
            if "$ref" in node:
                node = self.schemas[node["$ref"].rsplit("/", 1)[-1]]
            elif "anyOf" in node and "properties" not in node:
                branches = [branch for branch in node["anyOf"] if branch.get("type") != "null"]
                if len(branches) != 1:
                    return node
                node = branches[0]
            else:
                return node

    def at(self, schema, *path):
        """The schema at a property path; "[]" steps into array items."""
        node = self.resolve(self.schemas[schema] if isinstance(schema, str) else schema)
        for step in path:
            node = self.resolve(node["items"] if step == "[]" else node["properties"][step])
        return node

    def range(self, schema, *path):
        """(minimum, maximum) of a number the spec bounds."""
        bounded = self.at(schema, *path)
        return bounded["minimum"], bounded["maximum"]

    def enum(self, schema, *path):
        return tuple(self.at(schema, *path)["enum"])

    def branch_types(self, schema, *path):
        """The `type` constants of the branches of a oneOf/anyOf (tools, response formats, chunking strategies)."""
        node = self.at(schema, *path)
        branches = node.get("oneOf") or node.get("anyOf")
        found = []
        for branch in branches:
            branch = self.resolve(branch)
            if "enum" in branch:
                continue  # a plain string choice such as "auto"
            found.extend(self.at(branch, "type")["enum"])
        return tuple(found)

    def parameter(self, method, path, name):
        for parameter in self.document["paths"][path][method]["parameters"]:
            if parameter["name"] == name:
                return self.resolve(parameter["schema"])
        raise KeyError(name)

    def request(self, method, path, *steps):
        schema = self.document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        return self.at(schema, *steps)


@pytest.fixture(scope="module")
def spec():
    return Spec(spec_document())


def metadata_text(spec):
    return spec.schemas["Metadata"]["anyOf"][0]["description"]


# name -> (our value, how the spec says it)
CHECKS = {
    "METADATA_MAX_KEYS": (limits.METADATA_MAX_KEYS,
                          lambda spec: int(re.search(r"Set of (\d+) key-value pairs", metadata_text(spec)).group(1))),
    "METADATA_MAX_KEY_LENGTH": (limits.METADATA_MAX_KEY_LENGTH, lambda spec: int(re.search(
        r"Keys are strings with a maximum length of (\d+)", metadata_text(spec)).group(1))),
    "METADATA_MAX_VALUE_LENGTH": (limits.METADATA_MAX_VALUE_LENGTH, lambda spec: int(re.search(
        r"Values are strings\s+with a maximum length of (\d+)", metadata_text(spec)).group(1))),
    "LIST_ORDERS": (limits.LIST_ORDERS, lambda spec: tuple(spec.parameter("get", "/assistants", "order")["enum"])),
    "LIST_ORDERS (ChatKit)": (limits.LIST_ORDERS, lambda spec: tuple(spec.schemas["OrderEnum"]["enum"])),
    "PAGE_SIZE_MAX": (limits.PAGE_SIZE_MAX,
                      lambda spec: spec.parameter("get", "/chatkit/threads", "limit")["maximum"]),
    "REASONING_EFFORTS": (limits.REASONING_EFFORTS, lambda spec: spec.enum("ReasoningEffort")),
    "REASONING_EFFORTS (runs)": (limits.REASONING_EFFORTS, lambda spec: spec.enum("CreateRunRequest",
                                                                                  "reasoning_effort")),
    "TOOL_TYPES": (limits.TOOL_TYPES, lambda spec: spec.branch_types("CreateAssistantRequest", "tools", "[]")),
    "TOOL_TYPES (runs)": (limits.TOOL_TYPES, lambda spec: spec.branch_types("CreateRunRequest", "tools", "[]")),
    "RESPONSE_FORMAT_TYPES": (limits.RESPONSE_FORMAT_TYPES,
                              lambda spec: spec.branch_types("AssistantsApiResponseFormatOption")),
    "TEMPERATURE_RANGE": (limits.TEMPERATURE_RANGE, lambda spec: spec.range("CreateAssistantRequest", "temperature")),
    "TEMPERATURE_RANGE (runs)": (limits.TEMPERATURE_RANGE, lambda spec: spec.range("CreateRunRequest", "temperature")),
    "TOP_P_RANGE": (limits.TOP_P_RANGE, lambda spec: spec.range("CreateAssistantRequest", "top_p")),
    "ASSISTANT_NAME_MAX": (limits.ASSISTANT_NAME_MAX,
                           lambda spec: spec.at("CreateAssistantRequest", "name")["maxLength"]),
    "ASSISTANT_DESCRIPTION_MAX": (limits.ASSISTANT_DESCRIPTION_MAX,
                                  lambda spec: spec.at("CreateAssistantRequest", "description")["maxLength"]),
    "ASSISTANT_INSTRUCTIONS_MAX": (limits.ASSISTANT_INSTRUCTIONS_MAX,
                                   lambda spec: spec.at("CreateAssistantRequest", "instructions")["maxLength"]),
    "ASSISTANT_TOOLS_MAX": (limits.ASSISTANT_TOOLS_MAX,
                            lambda spec: spec.at("CreateAssistantRequest", "tools")["maxItems"]),
    "CODE_INTERPRETER_FILES_MAX": (limits.CODE_INTERPRETER_FILES_MAX, lambda spec: spec.at(
        "CreateAssistantRequest", "tool_resources", "code_interpreter", "file_ids")["maxItems"]),
    "VECTOR_STORES_MAX": (limits.VECTOR_STORES_MAX, lambda spec: spec.at(
        "CreateThreadRequest", "tool_resources", "file_search", "vector_stores")["maxItems"]),
    "VECTOR_STORES_MAX (ids)": (limits.VECTOR_STORES_MAX, lambda spec: spec.at(
        "CreateAssistantRequest", "tool_resources", "file_search", "vector_store_ids")["maxItems"]),
    "VECTOR_STORE_FILES_MAX": (limits.VECTOR_STORE_FILES_MAX, lambda spec: spec.at(
        "CreateThreadRequest", "tool_resources", "file_search", "vector_stores", "[]", "file_ids")["maxItems"]),
    "CHUNKING_STRATEGY_TYPES": (limits.CHUNKING_STRATEGY_TYPES, lambda spec: spec.branch_types(
        "CreateThreadRequest", "tool_resources", "file_search", "vector_stores", "[]", "chunking_strategy")),
    "MESSAGE_ROLES": (limits.MESSAGE_ROLES, lambda spec: spec.enum("CreateMessageRequest", "role")),
    "MESSAGE_PART_TYPES": (limits.MESSAGE_PART_TYPES, lambda spec: spec.branch_types(
        spec.at("CreateMessageRequest", "content")["oneOf"][1], "[]")),
    "ATTACHMENT_TOOL_TYPES": (limits.ATTACHMENT_TOOL_TYPES, lambda spec: spec.branch_types(
        "CreateMessageRequest", "attachments", "[]", "tools", "[]")),
    "RUN_TOOLS_MAX": (limits.RUN_TOOLS_MAX, lambda spec: spec.at("CreateRunRequest", "tools")["maxItems"]),
    "RUN_TOKENS_MIN (prompt)": (limits.RUN_TOKENS_MIN,
                                lambda spec: spec.at("CreateRunRequest", "max_prompt_tokens")["minimum"]),
    "RUN_TOKENS_MIN (completion)": (limits.RUN_TOKENS_MIN,
                                    lambda spec: spec.at("CreateRunRequest", "max_completion_tokens")["minimum"]),
    "RUN_INCLUDE_VALUES": (limits.RUN_INCLUDE_VALUES, lambda spec: tuple(
        spec.parameter("post", "/threads/{thread_id}/runs", "include[]")["items"]["enum"])),
    "RUN_INCLUDE_VALUES (steps)": (limits.RUN_INCLUDE_VALUES, lambda spec: tuple(
        spec.parameter("get", "/threads/{thread_id}/runs/{run_id}/steps", "include[]")["items"]["enum"])),
    "TRUNCATION_TYPES": (limits.TRUNCATION_TYPES, lambda spec: spec.enum("TruncationObject", "type")),
    "TRUNCATION_LAST_MESSAGES_MIN": (limits.TRUNCATION_LAST_MESSAGES_MIN,
                                     lambda spec: spec.at("TruncationObject", "last_messages")["minimum"]),
    "TOOL_CHOICE_MODES": (limits.TOOL_CHOICE_MODES,
                          lambda spec: tuple(spec.schemas["AssistantsApiToolChoiceOption"]["oneOf"][0]["enum"])),
    "TOOL_CHOICE_TYPES": (limits.TOOL_CHOICE_TYPES, lambda spec: spec.enum("AssistantsNamedToolChoice", "type")),
    "CONVERSATION_ITEMS_MAX": (limits.CONVERSATION_ITEMS_MAX,
                               lambda spec: spec.at("CreateConversationBody", "items")["maxItems"]),
    "CONVERSATION_ITEMS_MAX (add)": (limits.CONVERSATION_ITEMS_MAX, lambda spec: spec.request(
        "post", "/conversations/{conversation_id}/items", "items")["maxItems"]),
    "CONVERSATION_MESSAGE_ROLES": (limits.CONVERSATION_MESSAGE_ROLES, lambda spec: spec.enum("EasyInputMessage",
                                                                                             "role")),
    "MESSAGE_PHASES": (limits.MESSAGE_PHASES, lambda spec: tuple(spec.schemas["MessagePhase"]["enum"])),
    "CONVERSATION_INCLUDE_VALUES": (limits.CONVERSATION_INCLUDE_VALUES,
                                    lambda spec: tuple(spec.schemas["IncludeEnum"]["enum"])),
    "CHATKIT_STATE_VARIABLES_MAX": (limits.CHATKIT_STATE_VARIABLES_MAX,
                                    lambda spec: spec.at("WorkflowParam", "state_variables")["maxProperties"]),
    "CHATKIT_EXPIRY_SECONDS_RANGE": (limits.CHATKIT_EXPIRY_SECONDS_RANGE, lambda spec: spec.range("ExpiresAfterParam", "seconds")),
    "CHATKIT_EXPIRY_ANCHORS": (limits.CHATKIT_EXPIRY_ANCHORS, lambda spec: spec.enum("ExpiresAfterParam", "anchor")),
    "CHATKIT_FILE_SIZE_MB_RANGE": (limits.CHATKIT_FILE_SIZE_MB_RANGE, lambda spec: spec.range("FileUploadParam", "max_file_size")),
    "CHATKIT_MAX_FILES_MIN": (limits.CHATKIT_MAX_FILES_MIN,
                              lambda spec: spec.at("FileUploadParam", "max_files")["minimum"]),
    "CHATKIT_RECENT_THREADS_MIN": (limits.CHATKIT_RECENT_THREADS_MIN,
                                   lambda spec: spec.at("HistoryParam", "recent_threads")["minimum"]),
    "CHATKIT_RATE_LIMIT_MIN": (limits.CHATKIT_RATE_LIMIT_MIN,
                               lambda spec: spec.at("RateLimitsParam", "max_requests_per_1_minute")["minimum"]),
}

# Statuses the collection waits for: each must be one the spec gives a run.
RUN_STATUS_GROUPS = {"RUN_STATUSES_SETTLED": limits.RUN_STATUSES_SETTLED,
                     "RUN_STATUS_CANCELLING": (limits.RUN_STATUS_CANCELLING,)}

# Limits the spec does not state, from the real service: (our value, where the spec would say it, the record).
RECORDED = {
    "THREAD_MESSAGES_MAX": (limits.THREAD_MESSAGES_MAX, ("CreateThreadRequest", "messages"),
                            "POST /threads with 33 messages: 'ensure this value has at most 32 items' "
                            "(openai-php/client#269; dimagi/open-chat-studio#688)"),
    "MESSAGE_ATTACHMENTS_MAX": (limits.MESSAGE_ATTACHMENTS_MAX, ("CreateMessageRequest", "attachments"),
                                "OpenAI's Assistants reference: 'There can be a maximum of 10 files attached to a "
                                "message' (as carried by the openai-kotlin and another_chatgpt SDK docs)"),
}


def _normalized(value):
    """Enums compare as sets (their order carries no meaning); ranges as (low, high)."""
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(sorted(value))
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_constant_is_what_the_spec_says(spec, name):
    ours, theirs = CHECKS[name]
    assert _normalized(ours) == _normalized(theirs(spec)), "limits.%s drifted from the spec" % name.split(" ")[0]


@pytest.mark.parametrize("name", sorted(RUN_STATUS_GROUPS))
def test_the_run_statuses_waited_for_are_run_statuses(spec, name):
    assert set(RUN_STATUS_GROUPS[name]) <= set(spec.enum("RunObject", "status"))


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_limits_from_the_real_service_are_not_contradicted_by_the_spec(spec, name):
    ours, (schema, field), record = RECORDED[name]
    node = spec.at(schema, field)
    assert node.get("type") == "array" and "maxItems" not in node, (
        "the spec now states a limit for %s.%s: check limits.%s (%d, from %s) against it" % (
            schema, field, name, ours, record))


# --- every choice list of every module is a checked constant ---------------------------------------------------
OWN_CHOICES = {("present", "absent")}  # `state`: the collection's own, not the API's


def choice_lists(spec, prefix=""):
    for option, settings in spec.items():
        if settings.get("choices") is not None:
            yield prefix + option, tuple(settings["choices"])
        if settings.get("options"):
            yield from choice_lists(settings["options"], prefix + option + ".")


@pytest.mark.parametrize("module_name", MODULES)
def test_every_choice_list_is_a_constant_checked_against_the_spec(module_name):
    checked = set(_normalized(ours) for ours, _theirs in CHECKS.values() if isinstance(ours, tuple))
    for option, choices in choice_lists(module_spec(module_name)[0]):
        assert _normalized(choices) in checked or choices in OWN_CHOICES, (
            "%s option %s has choices %s that no spec check covers: take them from limits.py and add a row to "
            "CHECKS" % (module_name, option, choices))


def test_the_module_list_is_every_module():
    import os

    modules_dir = os.path.dirname(importlib.import_module("ansible_collections.openai.beta.plugins.modules."
                                                          "openai_assistant").__file__)
    assert sorted(name[:-3] for name in os.listdir(modules_dir) if name.startswith("openai_")) == MODULES


# --- module docs state the same limits ----------------------------------------------------------------------------
# Module docs and doc fragments are literals (ansible-test's sanity tests read them without running them: a
# fragment built from the constants breaks its yamllint test), so where they state a limit, this table checks that
# they state the constant. Choice lists need no row: validate-modules compares them with the argument specs.
DOC_LIMITS = [
    ("fragment:metadata", "metadata", limits.METADATA_MAX_KEYS),
    ("fragment:metadata", "metadata", limits.METADATA_MAX_KEY_LENGTH),
    ("fragment:metadata", "metadata", limits.METADATA_MAX_VALUE_LENGTH),
    ("fragment:sampling", "temperature", limits.TEMPERATURE_RANGE[1]),
    ("fragment:sampling", "top_p", limits.TOP_P_RANGE[1]),
    ("fragment:tool_resources", "tool_resources.code_interpreter.file_ids", limits.CODE_INTERPRETER_FILES_MAX),
    ("fragment:tool_resources", "tool_resources.file_search.vector_store_ids", limits.VECTOR_STORES_MAX),
    ("fragment:tool_resources", "tool_resources.file_search.vector_stores", limits.VECTOR_STORES_MAX),
    ("fragment:tool_resources", "tool_resources.file_search.vector_stores.file_ids", limits.VECTOR_STORE_FILES_MAX),
    ("openai_assistant", "name", limits.ASSISTANT_NAME_MAX),
    ("openai_assistant", "description", limits.ASSISTANT_DESCRIPTION_MAX),
    ("openai_assistant", "instructions", limits.ASSISTANT_INSTRUCTIONS_MAX),
    ("openai_assistant", "tools", limits.ASSISTANT_TOOLS_MAX),
    ("openai_thread", "messages", limits.THREAD_MESSAGES_MAX),
    ("openai_thread", "messages.attachments", limits.MESSAGE_ATTACHMENTS_MAX),
    ("openai_thread_message", "attachments", limits.MESSAGE_ATTACHMENTS_MAX),
    ("openai_thread_run", "additional_messages", limits.THREAD_MESSAGES_MAX),
    ("openai_thread_run", "additional_messages.attachments", limits.MESSAGE_ATTACHMENTS_MAX),
    ("openai_thread_run", "tools", limits.RUN_TOOLS_MAX),
    ("openai_thread_run", "max_prompt_tokens", limits.RUN_TOKENS_MIN),
    ("openai_thread_run", "max_completion_tokens", limits.RUN_TOKENS_MIN),
    ("openai_thread_run", "truncation_strategy.last_messages", limits.TRUNCATION_LAST_MESSAGES_MIN),
    ("openai_conversation", "items", limits.CONVERSATION_ITEMS_MAX),
    ("openai_conversation_item", "items", limits.CONVERSATION_ITEMS_MAX),
    ("openai_chatkit_session", "workflow.state_variables", limits.CHATKIT_STATE_VARIABLES_MAX),
    ("openai_chatkit_session", "expires_after.seconds", limits.CHATKIT_EXPIRY_SECONDS_RANGE[1]),
    ("openai_chatkit_session", "chatkit_configuration.file_upload.max_file_size", limits.CHATKIT_FILE_SIZE_MB_RANGE[1]),
    ("openai_chatkit_session", "chatkit_configuration.file_upload.max_files", limits.CHATKIT_MAX_FILES_MIN),
    ("openai_chatkit_session", "chatkit_configuration.history.recent_threads", limits.CHATKIT_RECENT_THREADS_MIN),
    ("openai_chatkit_session", "rate_limits.max_requests_per_1_minute", limits.CHATKIT_RATE_LIMIT_MIN),
]


def option_text(module_name, option_path):
    import yaml

    if module_name.startswith("fragment:"):
        documentation = importlib.import_module("ansible_collections.openai.beta.plugins.doc_fragments."
                                                + module_name.split(":", 1)[1]).ModuleDocFragment.DOCUMENTATION
    else:
        documentation = importlib.import_module("ansible_collections.openai.beta.plugins.modules."
                                                + module_name).DOCUMENTATION
    options = yaml.safe_load(documentation)["options"]
    node = None
    for step in option_path.split("."):
        node = options[step]
        options = node.get("suboptions") or {}
    description = node["description"]
    return " ".join(description) if isinstance(description, list) else description


@pytest.mark.parametrize("module_name,option,limit", DOC_LIMITS,
                         ids=["%s-%s-%s" % (row[0], row[1], row[2]) for row in DOC_LIMITS])
def test_module_docs_state_the_limits_of_limits_py(module_name, option, limit):
    text = option_text(module_name, option)
    numbers = set(int(number.replace(",", "")) for number in re.findall(r"\d[\d,]*", text))
    assert limit in numbers, "%s %s: its description (%r) does not state %d" % (module_name, option, text, limit)
