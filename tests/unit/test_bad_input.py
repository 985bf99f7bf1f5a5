"""Bad input, across every module: one table of invalid tasks.

Each row is (module, args, fragments[, READS]). The module must fail; its message must contain every
fragment, the first of which names the option (and the limit, where there is one). The emulator must
have seen no request at all, except in rows marked READS: those are checks that can only be made against
the server's object (a field the API cannot change, a run's pending calls, an object that must exist),
and there the emulator must have seen no write.

The rows run against one emulator for the whole file, counters reset before each row.
"""

import atexit
import os
import shutil
import tempfile

import pytest

from ansible_collections.openai.beta.plugins.modules import (
    openai_assistant,
    openai_assistant_info,
    openai_chatkit_session,
    openai_chatkit_thread,
    openai_chatkit_thread_info,
    openai_conversation,
    openai_conversation_info,
    openai_conversation_item,
    openai_conversation_item_info,
    openai_thread,
    openai_thread_info,
    openai_thread_message,
    openai_thread_message_info,
    openai_thread_run,
    openai_thread_run_info,
    openai_thread_run_step_info,
)

from emulator.harness import Emulator
from modrun import ModuleFail, run

MODULES = {
    "assistant": openai_assistant,
    "assistant_info": openai_assistant_info,
    "chatkit_session": openai_chatkit_session,
    "chatkit_thread": openai_chatkit_thread,
    "chatkit_thread_info": openai_chatkit_thread_info,
    "conversation": openai_conversation,
    "conversation_info": openai_conversation_info,
    "conversation_item": openai_conversation_item,
    "conversation_item_info": openai_conversation_item_info,
    "thread": openai_thread,
    "thread_info": openai_thread_info,
    "thread_message": openai_thread_message,
    "thread_message_info": openai_thread_message_info,
    "thread_run": openai_thread_run,
    "thread_run_info": openai_thread_run_info,
    "thread_run_step_info": openai_thread_run_step_info,
}

# The smallest valid task of each module; a row changes it.
BASE = {
    "assistant": {"name": "x", "model": "gpt-4o"},
    "assistant_info": {},
    "chatkit_session": {"user": "u", "workflow": {"id": "wf_1"}},
    "chatkit_thread": {"thread_id": "cthr_abc"},
    "chatkit_thread_info": {},
    "conversation": {},
    "conversation_info": {"conversation_id": "conv_abc"},
    "conversation_item": {"conversation_id": "conv_abc", "items": [{"role": "user", "content": "hi"}]},
    "conversation_item_info": {"conversation_id": "conv_abc"},
    "thread": {},
    "thread_info": {"thread_id": "thread_abc"},
    "thread_message": {"thread_id": "thread_abc", "role": "user", "content": "hi"},
    "thread_message_info": {"thread_id": "thread_abc"},
    "thread_run": {"thread_id": "thread_abc", "assistant_id": "asst_abc"},
    "thread_run_info": {"thread_id": "thread_abc"},
    "thread_run_step_info": {"thread_id": "thread_abc", "run_id": "run_abc"},
}
assert sorted(BASE) == sorted(MODULES)

DROP = object()     # remove the option from the base task
READS = "reads"     # the row may read (never write): the check needs the server's object
WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}


class Ref:
    """The id of an object made once for the whole file (see the world fixture)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "<%s>" % self.name


def many(count, value="v", key="k%d"):
    return dict((key % index, value) for index in range(count))


def messages(count):
    return [{"role": "user", "content": "m%d" % index} for index in range(count)]


def items(count):
    return [{"role": "user", "content": "i%d" % index} for index in range(count)]


ROWS = []


# ansible-core checks no_log values of suboptions before it checks types, and fails a string given for a
# dict with suboptions with "dictionary requested, could not parse JSON or key=value", a message that does
# not name the option. That happens before any code of the collection runs; these rows keep the gap visible.
# A number (or boolean) given for a dict with suboptions makes ansible-core's set_fallbacks() raise TypeError
# ("argument of type 'int' is not iterable"): a module crash with a traceback, not a message
# (https://github.com/ansible/ansible/pull/81631, open).
CORE_UNNAMED = pytest.mark.xfail(strict=True, reason="ansible-core's message for a string given as a dict with "
                                 "suboptions does not name the option")
CORE_CRASH = pytest.mark.xfail(strict=True, raises=TypeError, reason="ansible-core crashes on a scalar given as a "
                               "dict with suboptions (ansible/ansible#81631)")


def row(label, module, args, *fragments, reads=False, core_unnamed=False, core_crash=False):
    marks = [CORE_UNNAMED] if core_unnamed else [CORE_CRASH] if core_crash else []
    ROWS.append(pytest.param(module, args, fragments, READS if reads else None, id="%s-%s" % (module, label),
                             marks=marks))


# ---- connection options, every module ------------------------------------------------------------------
KEY_FILES = tempfile.mkdtemp(prefix="openai-bad-key-files-")
atexit.register(shutil.rmtree, KEY_FILES, True)
for _name, _content in (("empty", " \n"), ("two-lines", "sk-one\nsk-two\n")):
    with open(os.path.join(KEY_FILES, _name), "w", encoding="utf-8") as _handle:
        _handle.write(_content)
CONNECTION = [
    ("api-key-file-missing", {"api_key": DROP, "api_key_file": os.path.join(KEY_FILES, "missing")},
     ("api_key_file %s cannot be read" % os.path.join(KEY_FILES, "missing"), "No such file")),
    ("api-key-file-empty", {"api_key": DROP, "api_key_file": os.path.join(KEY_FILES, "empty")},
     ("api_key_file %s is empty" % os.path.join(KEY_FILES, "empty"),)),
    ("api-key-file-two-lines", {"api_key": DROP, "api_key_file": os.path.join(KEY_FILES, "two-lines")},
     ("api_key_file %s must hold the key alone" % os.path.join(KEY_FILES, "two-lines"),)),
    ("no-api-key", {"api_key": DROP}, ("api_key is required", "OPENAI_API_KEY")),
    ("empty-api-key", {"api_key": ""}, ("api_key is required",)),
    ("http-non-loopback", {"base_url": "http://api.example.com/v1"},
     ("base_url must use https unless its host is loopback", "http://api.example.com")),
    ("base-url-not-a-url", {"base_url": "api.openai.com/v1"}, ("base_url must be an http(s) URL",)),
    ("base-url-ftp", {"base_url": "ftp://127.0.0.1/v1"}, ("base_url must be an http(s) URL",)),
    ("timeout-0", {"timeout": 0}, ("timeout must be greater than 0", "got 0")),
    ("timeout-negative", {"timeout": -5}, ("timeout must be greater than 0",)),
    ("timeout-wrong-type", {"timeout": "soon"}, ("timeout", "float")),
    ("max-retries-negative", {"max_retries": -1}, ("max_retries must be between 0 and 10", "got -1")),
    ("max-retries-11", {"max_retries": 11}, ("max_retries must be between 0 and 10", "got 11")),
    ("validate-certs-wrong-type", {"validate_certs": "perhaps"}, ("validate_certs", "bool")),
    ("unknown-option", {"colour": "blue"}, ("Unsupported parameters", "colour")),
]
for _module in MODULES:
    for _label, _args, _fragments in CONNECTION:
        row(_label, _module, _args, *_fragments)

# ---- malformed ids, every id option ----------------------------------------------------------------------
# (module, option, prefix, extra args that make the option meaningful)
ID_OPTIONS = [
    ("assistant", "assistant_id", "asst", {}),
    ("assistant_info", "assistant_id", "asst", {}),
    ("chatkit_session", "session_id", "cksess", {"state": "absent", "user": DROP, "workflow": DROP}),
    ("chatkit_thread", "thread_id", "cthr", {"state": "absent"}),
    ("chatkit_thread_info", "thread_id", "cthr", {}),
    ("conversation", "conversation_id", "conv", {}),
    ("conversation_info", "conversation_id", "conv", {}),
    ("conversation_item", "conversation_id", "conv", {}),
    ("conversation_item", "item_id", None, {"state": "absent", "items": DROP}),
    ("conversation_item_info", "conversation_id", "conv", {}),
    ("conversation_item_info", "item_id", None, {}),
    ("thread", "thread_id", "thread", {}),
    ("thread_info", "thread_id", "thread", {}),
    ("thread_message", "thread_id", "thread", {}),
    ("thread_message", "message_id", "msg", {}),
    ("thread_message_info", "thread_id", "thread", {}),
    ("thread_message_info", "message_id", "msg", {}),
    ("thread_message_info", "run_id", "run", {}),
    ("thread_run", "thread_id", "thread", {}),
    ("thread_run", "run_id", "run", {}),
    ("thread_run", "assistant_id", "asst", {}),
    ("thread_run_info", "thread_id", "thread", {}),
    ("thread_run_info", "run_id", "run", {}),
    ("thread_run_step_info", "thread_id", "thread", {}),
    ("thread_run_step_info", "run_id", "run", {}),
    ("thread_run_step_info", "step_id", "step", {}),
]
for _module, _option, _prefix, _extra in ID_OPTIONS:
    _good = (_prefix or "msg") + "_"
    _wrong = "file_abc" if _prefix else "1_abc"
    for _label, _value in (("traversal", _good + "../x"), ("traversal-deep", _good + "abc/../../assistants"),
                           ("space", _good + "ab c"), ("wrong-prefix", _wrong), ("trailing-newline", _good + "abc\n"),
                           ("query", _good + "abc?limit=1")):
        row("%s-%s" % (_option, _label), _module, dict(_extra, **{_option: _value}),
            "%s must be an id of the form %s" % (_option, (_prefix + "_") if _prefix else ""))

# ---- assistants -----------------------------------------------------------------------------------------
row("temperature-2.5", "assistant", {"temperature": 2.5}, "temperature must be between 0 and 2", "got 2.5")
row("temperature-negative", "assistant", {"temperature": -0.1}, "temperature must be between 0 and 2")
row("temperature-wrong-type", "assistant", {"temperature": "hot"}, "temperature", "float")
row("top_p-1.5", "assistant", {"top_p": 1.5}, "top_p must be between 0 and 1", "got 1.5")
row("top_p-negative", "assistant", {"top_p": -0.01}, "top_p must be between 0 and 1")
row("metadata-17-keys", "assistant", {"metadata": many(17)}, "metadata has 17 keys; at most 16")
row("metadata-key-65", "assistant", {"metadata": {"k" * 65: "v"}}, "metadata key", "65 characters", "at most 64")
row("metadata-value-513", "assistant", {"metadata": {"k": "v" * 513}}, "metadata value of key 'k'", "513 characters",
    "at most 512")
row("metadata-nested-value", "assistant", {"metadata": {"k": {"a": 1}}}, "metadata value of key 'k' must be a string")
row("metadata-wrong-type", "assistant", {"metadata": ["a", "b"]}, "metadata", "dict")
row("name-257", "assistant", {"name": "n" * 257}, "name is 257 characters long; at most 256")
row("description-513", "assistant", {"description": "d" * 513}, "description is 513 characters long; at most 512")
row("instructions-256001", "assistant", {"instructions": "i" * 256001},
    "instructions is 256001 characters long; at most 256000")
row("tools-129", "assistant", {"tools": [{"type": "code_interpreter"}] * 129}, "tools has 129 entries",
    "between 0 and 128")
row("tools-unknown-type", "assistant", {"tools": [{"type": "browser"}]}, "tools[0].type must be one of",
    "code_interpreter, file_search, function")
row("tools-function-without-name", "assistant", {"tools": [{"type": "function", "function": {}}]},
    "tools[0].function.name is required")
row("tools-wrong-type", "assistant", {"tools": "code_interpreter"}, "tools", "dict")
row("response_format-unknown-type", "assistant", {"response_format": {"type": "xml"}},
    "response_format must be auto or a dictionary whose type is one of", "json_schema")
row("response_format-string", "assistant", {"response_format": "json"}, "response_format must be auto or")
row("response_format-json_schema-without-name", "assistant",
    {"response_format": {"type": "json_schema", "json_schema": {}}}, "response_format.json_schema.name is required")
row("reasoning_effort-unknown", "assistant", {"reasoning_effort": "extreme"}, "reasoning_effort", "must be one of",
    "extreme")
row("code_interpreter-files-21", "assistant", {"tool_resources": {"code_interpreter": {"file_ids": ["file_a"] * 21}}},
    "tool_resources.code_interpreter.file_ids has 21 entries", "between 0 and 20")
row("vector_store_ids-2", "assistant", {"tool_resources": {"file_search": {"vector_store_ids": ["vs_a", "vs_b"]}}},
    "tool_resources.file_search.vector_store_ids has 2 entries", "between 0 and 1")
row("vector_stores-metadata-17", "assistant",
    {"tool_resources": {"file_search": {"vector_stores": [{"metadata": many(17)}]}}},
    "tool_resources.file_search.vector_stores[0].metadata has 17 keys")
row("chunking_strategy-unknown", "assistant",
    {"tool_resources": {"file_search": {"vector_stores": [{"chunking_strategy": {"type": "fixed"}}]}}},
    "tool_resources.file_search.vector_stores[0].chunking_strategy.type must be auto or static")
row("tool_resources-unknown-key", "assistant", {"tool_resources": {"web_search": {}}}, "web_search",
    "tool_resources")
row("state-unknown", "assistant", {"state": "gone"}, "state", "must be one of", "present, absent")
row("neither-id-nor-name", "assistant", {"name": DROP}, "one of the following is required", "assistant_id, name")
row("create-without-model", "assistant", {"name": "nomodel", "model": DROP}, "model is required to create",
    reads=True)
row("present-unknown-id", "assistant", {"assistant_id": "asst_doesnotexist"}, "assistant_id",
    "asst_doesnotexist was not found", reads=True)
row("name-matches-two", "assistant", {"name": "dup", "model": DROP}, "2 assistants are named 'dup'",
    "set assistant_id", reads=True)

row("order-unknown", "assistant_info", {"order": "sideways"}, "order", "must be one of", "asc, desc")
row("after-and-before", "assistant_info", {"after": "asst_a", "before": "asst_b"}, "mutually exclusive",
    "after|before")
row("max_items-0", "assistant_info", {"max_items": 0}, "max_items must be at least 1", "got 0")
row("max_items-wrong-type", "assistant_info", {"max_items": "many"}, "max_items", "int")

# ---- ChatKit ---------------------------------------------------------------------------------------------
row("expires_after-seconds-0", "chatkit_session", {"expires_after": {"seconds": 0}},
    "expires_after.seconds must be between 1 and 600", "got 0")
row("expires_after-seconds-601", "chatkit_session", {"expires_after": {"seconds": 601}},
    "expires_after.seconds must be between 1 and 600", "got 601")
row("expires_after-without-seconds", "chatkit_session", {"expires_after": {"anchor": "created_at"}},
    "seconds", "expires_after")
row("expires_after-anchor-unknown", "chatkit_session", {"expires_after": {"anchor": "now", "seconds": 60}},
    "anchor", "created_at")
row("expires_after-seconds-wrong-type", "chatkit_session", {"expires_after": {"seconds": "ten"}}, "seconds", "int")
row("max_file_size-513", "chatkit_session",
    {"chatkit_configuration": {"file_upload": {"enabled": True, "max_file_size": 513}}},
    "chatkit_configuration.file_upload.max_file_size must be between 1 and 512", "got 513")
row("max_file_size-0", "chatkit_session", {"chatkit_configuration": {"file_upload": {"max_file_size": 0}}},
    "chatkit_configuration.file_upload.max_file_size must be between 1 and 512")
row("max_files-0", "chatkit_session", {"chatkit_configuration": {"file_upload": {"max_files": 0}}},
    "chatkit_configuration.file_upload.max_files must be at least 1")
row("recent_threads-0", "chatkit_session", {"chatkit_configuration": {"history": {"recent_threads": 0}}},
    "chatkit_configuration.history.recent_threads must be at least 1")
row("rate_limits-0", "chatkit_session", {"rate_limits": {"max_requests_per_1_minute": 0}},
    "rate_limits.max_requests_per_1_minute must be at least 1")
row("state_variables-65", "chatkit_session", {"workflow": {"id": "wf_1", "state_variables": many(65)}},
    "workflow.state_variables has 65 keys; at most 64")
row("state_variables-nested", "chatkit_session", {"workflow": {"id": "wf_1", "state_variables": {"k": [1]}}},
    "workflow.state_variables.k must be a string, number or boolean")
row("workflow-without-id", "chatkit_session", {"workflow": {"version": "1"}}, "id", "workflow")
row("workflow-a-number", "chatkit_session", {"workflow": 42}, "workflow", core_crash=True)
row("truncation-a-number", "thread_run", {"truncation_strategy": 42}, "truncation_strategy", core_crash=True)
row("workflow-a-string", "chatkit_session", {"workflow": "wf_1"}, "workflow", core_unnamed=True)
row("without-user", "chatkit_session", {"user": DROP}, "user is required to create a ChatKit session")
row("empty-user", "chatkit_session", {"user": ""}, "user is required to create a ChatKit session")
row("without-workflow", "chatkit_session", {"workflow": DROP}, "workflow is required to create a ChatKit session")
row("session_id-with-present", "chatkit_session", {"session_id": "cksess_abc"},
    "session_id is only used with state=absent")
row("absent-without-session_id", "chatkit_session", {"state": "absent"}, "state is absent", "session_id")
row("chatkit_configuration-unknown-key", "chatkit_session", {"chatkit_configuration": {"voice": {}}}, "voice",
    "chatkit_configuration")

row("without-thread_id", "chatkit_thread", {"thread_id": DROP}, "one of the following is required: thread_id, user")
row("thread_id-and-user", "chatkit_thread", {"user": "u", "state": "absent"}, "mutually exclusive", "thread_id", "user")
row("user-present", "chatkit_thread", {"thread_id": DROP, "user": "u"}, "user", "only used with state=absent")
row("older_than-bad", "chatkit_thread", {"thread_id": DROP, "user": "u", "state": "absent", "older_than": "-3d"},
    "older_than", "positive age")
row("present-unknown-thread", "chatkit_thread", {"thread_id": "cthr_doesnotexist"},
    "ChatKit thread cthr_doesnotexist was not found", reads=True)
row("state-unknown", "chatkit_thread", {"state": "deleted"}, "state", "must be one of")

row("after-and-before", "chatkit_thread_info", {"after": "cthr_a", "before": "cthr_b"}, "mutually exclusive",
    "after|before")
row("order-unknown", "chatkit_thread_info", {"order": "newest"}, "order", "must be one of", "asc, desc")
row("include_items-wrong-type", "chatkit_thread_info", {"include_items": "maybe"}, "include_items", "bool")
row("max_items-negative", "chatkit_thread_info", {"max_items": -1}, "max_items must be at least 1")

# ---- conversations ---------------------------------------------------------------------------------------
row("items-21", "conversation", {"items": items(21)}, "items has 21 entries", "between 0 and 20")
row("items-role-unknown", "conversation", {"items": [{"role": "robot", "content": "x"}]},
    "items[0].role must be one of", "user, assistant, system, developer", "robot")
row("items-phase-unknown", "conversation", {"items": [{"role": "assistant", "content": "x", "phase": "draft"}]},
    "items[0].phase must be one of", "commentary, final_answer")
row("items-empty-content", "conversation", {"items": [{"role": "user", "content": ""}]},
    "items[0].content must be a non-empty string")
row("items-empty-type", "conversation", {"items": [{"type": "", "role": "user", "content": "x"}]},
    "items[0].type must be set")
row("items-type-a-list", "conversation", {"items": [{"type": [], "role": "user", "content": "x"}]},
    "items[0].type must be a string, got []")
row("items-wrong-type", "conversation", {"items": "hello"}, "items", "dict")
row("metadata-17-keys", "conversation", {"metadata": many(17)}, "metadata has 17 keys")
row("metadata-value-513", "conversation", {"metadata": {"k": "v" * 513}}, "metadata value of key 'k'", "at most 512")
row("absent-without-conversation_id", "conversation", {"state": "absent"}, "state is absent", "conversation_id")
row("purge_metadata-wrong-type", "conversation", {"purge_metadata": "sometimes"}, "purge_metadata", "bool")
row("items-differ-on-existing", "conversation", {"conversation_id": Ref("conversation"),
                                                 "items": [{"role": "user", "content": "other"}]},
    "items of an existing conversation cannot be changed", reads=True)
row("present-unknown-id", "conversation", {"conversation_id": "conv_doesnotexist"},
    "conv_doesnotexist was not found", "conversation_id", reads=True)

row("without-conversation_id", "conversation_info", {"conversation_id": DROP},
    "missing required arguments: conversation_id")

row("without-conversation_id", "conversation_item", {"conversation_id": DROP},
    "missing required arguments: conversation_id")
row("items-21", "conversation_item", {"items": items(21)}, "items has 21 entries", "between 1 and 20")
row("items-empty", "conversation_item", {"items": []}, "items is required", "1 to 20")
row("without-items", "conversation_item", {"items": DROP}, "items is required", "1 to 20")
row("items-role-unknown", "conversation_item", {"items": [{"role": "tool", "content": "x"}]},
    "items[0].role must be one of")
row("items-phase-unknown", "conversation_item", {"items": [{"role": "assistant", "content": "x", "phase": "final"}]},
    "items[0].phase must be one of", "commentary, final_answer")
row("items-content-missing", "conversation_item", {"items": [{"role": "user"}]},
    "items[0].content must be a non-empty string")
row("include-unknown", "conversation_item", {"include": ["everything"]}, "value of include must be one or more of",
    "everything")
row("item_id-with-present", "conversation_item", {"item_id": "msg_abc"}, "item_id is only used with state=absent")

row("without-conversation_id", "conversation_item_info", {"conversation_id": DROP},
    "missing required arguments: conversation_id")
row("before-is-not-an-option", "conversation_item_info", {"before": "msg_a"}, "Unsupported parameters", "before")
row("include-unknown", "conversation_item_info", {"include": ["message.everything"]},
    "value of include must be one or more of")
row("order-unknown", "conversation_item_info", {"order": "random"}, "order", "must be one of", "asc, desc")
row("max_items-0", "conversation_item_info", {"max_items": 0}, "max_items must be at least 1")

# ---- threads and messages --------------------------------------------------------------------------------
row("messages-33", "thread", {"messages": messages(33)}, "messages has 33 entries", "between 0 and 32")
row("messages-role-unknown", "thread", {"messages": [{"role": "system", "content": "x"}]}, "role",
    "must be one of", "user, assistant", "messages")
row("messages-without-content", "thread", {"messages": [{"role": "user"}]}, "content", "messages")
row("messages-empty-content", "thread", {"messages": [{"role": "user", "content": ""}]},
    "messages[0].content must not be empty")
row("messages-content-part-unknown", "thread", {"messages": [{"role": "user", "content": [{"type": "audio"}]}]},
    "messages[0].content[0].type must be one of", "text, image_file, image_url")
row("messages-attachments-11", "thread",
    {"messages": [{"role": "user", "content": "x", "attachments": [{"file_id": "file_a"}] * 11}]},
    "messages[0].attachments has 11 entries", "between 0 and 10")
row("messages-attachment-tool-unknown", "thread",
    {"messages": [{"role": "user", "content": "x",
                   "attachments": [{"file_id": "file_a", "tools": [{"type": "function"}]}]}]},
    "messages[0].attachments[0].tools", "code_interpreter or file_search")
row("messages-metadata-17", "thread", {"messages": [{"role": "user", "content": "x", "metadata": many(17)}]},
    "messages[0].metadata has 17 keys")
row("messages-a-number", "thread", {"messages": 42}, "sub parameter field 'messages'", "not 'int'")
row("messages-a-string", "thread", {"messages": "hello"}, "messages", core_unnamed=True)
row("metadata-key-65", "thread", {"metadata": {"k" * 65: "v"}}, "metadata key", "at most 64")
row("code_interpreter-files-21", "thread", {"tool_resources": {"code_interpreter": {"file_ids": ["file_a"] * 21}}},
    "tool_resources.code_interpreter.file_ids has 21 entries")
row("absent-without-thread_id", "thread", {"state": "absent"}, "state is absent", "thread_id")
row("messages-differ-on-existing", "thread", {"thread_id": Ref("thread"),
                                              "messages": [{"role": "user", "content": "other"}]},
    "messages of an existing thread cannot be changed", reads=True)
row("present-unknown-id", "thread", {"thread_id": "thread_doesnotexist"}, "thread_doesnotexist was not found",
    "thread_id", reads=True)

row("without-thread_id", "thread_info", {"thread_id": DROP}, "missing required arguments: thread_id")

row("without-thread_id", "thread_message", {"thread_id": DROP}, "missing required arguments: thread_id")
row("role-unknown", "thread_message", {"role": "system"}, "role", "must be one of", "user, assistant")
row("without-content", "thread_message", {"content": DROP}, "content is required without message_id")
row("without-role-and-content", "thread_message", {"role": DROP, "content": DROP},
    "role and content are required without message_id")
row("content-empty-string", "thread_message", {"content": ""}, "content must not be empty")
row("content-empty-list", "thread_message", {"content": []}, "content must be a non-empty string or a list")
row("content-number", "thread_message", {"content": 42}, "content must be a non-empty string or a list")
row("content-part-unknown", "thread_message", {"content": [{"type": "video"}]}, "content[0].type must be one of")
row("attachments-11", "thread_message", {"attachments": [{"file_id": "file_a"}] * 11}, "attachments has 11 entries",
    "between 0 and 10")
row("attachments-without-file_id", "thread_message", {"attachments": [{"tools": []}]}, "file_id", "attachments")
row("metadata-value-513", "thread_message", {"metadata": {"k": "v" * 513}}, "metadata value of key 'k'",
    "at most 512")
row("content-differs-on-existing", "thread_message",
    {"thread_id": Ref("thread"), "message_id": Ref("message"), "content": "other"},
    "content of an existing message cannot be changed", reads=True)
row("present-unknown-id", "thread_message", {"thread_id": Ref("thread"), "message_id": "msg_doesnotexist"},
    "msg_doesnotexist was not found", "message_id", reads=True)

row("without-thread_id", "thread_message_info", {"thread_id": DROP}, "missing required arguments: thread_id")
row("after-and-before", "thread_message_info", {"after": "msg_a", "before": "msg_b"}, "mutually exclusive",
    "after|before")
row("order-unknown", "thread_message_info", {"order": "oldest"}, "order", "must be one of")

# ---- runs and steps --------------------------------------------------------------------------------------
row("without-thread_id", "thread_run", {"thread_id": DROP}, "missing required arguments: thread_id")
row("temperature-3", "thread_run", {"temperature": 3}, "temperature must be between 0 and 2")
row("top_p-negative", "thread_run", {"top_p": -1}, "top_p must be between 0 and 1")
row("max_prompt_tokens-255", "thread_run", {"max_prompt_tokens": 255}, "max_prompt_tokens must be at least 256",
    "got 255")
row("max_completion_tokens-0", "thread_run", {"max_completion_tokens": 0},
    "max_completion_tokens must be at least 256")
row("max_prompt_tokens-wrong-type", "thread_run", {"max_prompt_tokens": "lots"}, "max_prompt_tokens", "int")
row("truncation-last_messages-0", "thread_run", {"truncation_strategy": {"type": "last_messages", "last_messages": 0}},
    "truncation_strategy.last_messages must be at least 1")
row("truncation-type-unknown", "thread_run", {"truncation_strategy": {"type": "first_messages"}}, "type",
    "must be one of", "auto, last_messages", "truncation_strategy")
row("tools-21", "thread_run", {"tools": [{"type": "code_interpreter"}] * 21}, "tools has 21 entries",
    "between 0 and 20")
row("tools-129", "thread_run", {"tools": [{"type": "file_search"}] * 129}, "tools has 129 entries")
row("tools-unknown-type", "thread_run", {"tools": [{"type": "web_search"}]}, "tools[0].type must be one of")
row("reasoning_effort-unknown", "thread_run", {"reasoning_effort": "maximal"}, "reasoning_effort", "must be one of")
row("response_format-unknown-type", "thread_run", {"response_format": {"type": "yaml"}},
    "response_format must be auto or a dictionary")
row("include-unknown", "thread_run", {"include": ["step_details"]}, "value of include must be one or more of")
row("tool_choice-unknown", "thread_run", {"tool_choice": "sometimes"}, "tool_choice must be none, auto, required")
row("tool_choice-wrong-type", "thread_run", {"tool_choice": 42}, "tool_choice must be none, auto, required")
row("tool_choice-function-without-name", "thread_run", {"tool_choice": {"type": "function"}},
    "tool_choice.function.name is required")
row("additional_messages-33", "thread_run", {"additional_messages": messages(33)},
    "additional_messages has 33 entries", "between 0 and 32")
row("additional_messages-role-unknown", "thread_run",
    {"additional_messages": [{"role": "developer", "content": "x"}]},
    "role", "must be one of", "additional_messages")
row("additional_messages-empty-content", "thread_run", {"additional_messages": [{"role": "user", "content": ""}]},
    "additional_messages[0].content must not be empty")
row("wait_timeout-0", "thread_run", {"wait_timeout": 0}, "wait_timeout must be greater than 0")
row("wait_timeout-negative", "thread_run", {"wait_timeout": -1}, "wait_timeout must be greater than 0")
row("metadata-17-keys", "thread_run", {"metadata": many(17)}, "metadata has 17 keys")
row("absent-without-run_id-or-metadata", "thread_run", {"state": "absent"},
    "state=absent needs run_id, or metadata")
row("tool_outputs-without-output", "thread_run", {"run_id": "run_abc", "tool_outputs": [{"tool_call_id": "call_a"}]},
    "output", "tool_outputs")
row("tool_outputs-empty-call-id", "thread_run", {"run_id": "run_abc", "tool_outputs": [{"tool_call_id": "",
                                                                                        "output": "x"}]},
    "tool_outputs[0].tool_call_id is required")
row("without-assistant_id", "thread_run", {"assistant_id": DROP}, "assistant_id is required to start a run")
row("stream-wrong-type", "thread_run", {"stream": "please"}, "stream", "bool")
row("model-differs-on-existing", "thread_run",
    {"thread_id": Ref("thread"), "run_id": Ref("run"), "assistant_id": DROP, "model": "gpt-4o-mini"},
    "model of an existing run cannot be changed", reads=True)
row("tool_outputs-miss-a-pending-call", "thread_run",
    {"thread_id": Ref("calling_thread"), "run_id": Ref("calling_run"), "assistant_id": DROP,
     "tool_outputs": [{"tool_call_id": "call_other", "output": "{}"}]},
    "tool_outputs has no output for tool call(s)", reads=True)

row("without-thread_id", "thread_run_info", {"thread_id": DROP}, "missing required arguments: thread_id")
row("after-and-before", "thread_run_info", {"after": "run_a", "before": "run_b"}, "mutually exclusive", "after|before")
row("max_items-0", "thread_run_info", {"max_items": 0}, "max_items must be at least 1")

row("without-run_id", "thread_run_step_info", {"run_id": DROP}, "missing required arguments: run_id")
row("without-thread_id", "thread_run_step_info", {"thread_id": DROP}, "missing required arguments: thread_id")
row("include-unknown", "thread_run_step_info", {"include": ["step_details.tool_calls"]},
    "value of include must be one or more of")
row("after-and-before", "thread_run_step_info", {"after": "step_a", "before": "step_b"}, "mutually exclusive",
    "after|before")
row("order-unknown", "thread_run_step_info", {"order": "up"}, "order", "must be one of")


# ---- the test --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world():
    """One emulator for the file, holding the few objects that the READS rows check against."""
    with Emulator(run_seconds=0.2) as emulator:
        conn = {"api_key": emulator.api_key, "base_url": emulator.base_url}

        def make(module, **args):
            return run(MODULES[module].main, dict(conn, **args))

        make("assistant", name="dup", model="gpt-4o")
        make("assistant", name="dup2", model="gpt-4o")
        dup = make("assistant_info", name="dup2")["assistants"][0]["id"]
        make("assistant", assistant_id=dup, name="dup")
        assistant = make("assistant", name="helper", model="gpt-4o", tools=[WEATHER_TOOL])["assistant"]["id"]
        thread = make("thread", messages=[{"role": "user", "content": "hello"}])["thread"]["id"]
        message = make("thread_message_info", thread_id=thread)["messages"][0]["id"]
        done = make("thread_run", thread_id=thread, assistant_id=assistant, model="gpt-4o", wait=True,
                    wait_timeout=30)["run"]
        assert done["status"] == "completed", done
        calling_thread = make("thread", messages=[{"role": "user", "content": "call:get_weather"}])["thread"]["id"]
        calling = make("thread_run", thread_id=calling_thread, assistant_id=assistant, wait=True,
                       wait_timeout=30)["run"]
        assert calling["status"] == "requires_action", calling
        conversation = make("conversation", items=[{"role": "user", "content": "hi"}])["conversation"]["id"]
        emulator.conn = conn
        emulator.ids = {"thread": thread, "message": message, "run": done["id"], "calling_thread": calling_thread,
                        "calling_run": calling["id"], "conversation": conversation}
        yield emulator


@pytest.fixture(autouse=True)
def no_connection_environment(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)


def task(world, module, args):
    merged = dict(world.conn, **BASE[module])
    merged.update(args)
    return dict((key, world.ids[value.name] if isinstance(value, Ref) else value)
                for key, value in merged.items() if value is not DROP)


def test_table_is_large_and_covers_every_module():
    assert len(ROWS) >= 60
    assert set(param.values[0] for param in ROWS) == set(MODULES)
    ids = [param.id for param in ROWS]
    assert len(ids) == len(set(ids)), "row ids must be unique"


@pytest.mark.parametrize("module,args,fragments,allowed", ROWS)
def test_bad_input_fails_before_any_request(world, module, args, fragments, allowed):
    world.reset()
    with pytest.raises(ModuleFail) as failed:
        run(MODULES[module].main, task(world, module, args))
    message = failed.value.result["msg"]
    for fragment in fragments:
        assert fragment in message, "%r not in %r" % (fragment, message)
    stats = world.stats()
    if allowed == READS:
        assert stats["writes"] == 0, stats
        assert stats["reads"] > 0, "a READS row that reads nothing should be an ordinary row: %s" % stats
    else:
        assert stats["total"] == 0, stats
