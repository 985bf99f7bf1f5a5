# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's enums and documented limits, written once.

Argument specs (their choices) and validation read them here. tests/unit/test_spec_drift.py checks each one against
OpenAI's official spec (or, for the few the spec does not state, checks that the spec does not contradict the
recorded answer of the real service named beside it), and checks that the docs, which are literals that ansible-test
reads without running them, state these values.
"""

from __future__ import annotations

# --- every object -----------------------------------------------------------------------------------------------
METADATA_MAX_KEYS = 16
METADATA_MAX_KEY_LENGTH = 64
METADATA_MAX_VALUE_LENGTH = 512
LIST_ORDERS = ("asc", "desc")
PAGE_SIZE_MAX = 100

# --- assistants, threads, runs ----------------------------------------------------------------------------------
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
TOOL_TYPES = ("code_interpreter", "file_search", "function")
RESPONSE_FORMAT_TYPES = ("text", "json_object", "json_schema")
TEMPERATURE_RANGE = (0, 2)
TOP_P_RANGE = (0, 1)
ASSISTANT_NAME_MAX = 256
ASSISTANT_DESCRIPTION_MAX = 512
ASSISTANT_INSTRUCTIONS_MAX = 256000
ASSISTANT_TOOLS_MAX = 128
CODE_INTERPRETER_FILES_MAX = 20
VECTOR_STORES_MAX = 1
VECTOR_STORE_FILES_MAX = 100000000  # file_ids of a vector store made with the object (stores since Nov 2025)
CHUNKING_STRATEGY_TYPES = ("auto", "static")

# --- thread messages ----------------------------------------------------------------------------------------------
MESSAGE_ROLES = ("user", "assistant")
MESSAGE_PART_TYPES = ("text", "image_file", "image_url")
ATTACHMENT_TOOL_TYPES = ("code_interpreter", "file_search")
# Not in the spec; the real service's answers (see the drift test for the record each comes from):
THREAD_MESSAGES_MAX = 32       # "ensure this value has at most 32 items" on POST /threads
MESSAGE_ATTACHMENTS_MAX = 10   # "Invalid 'attachments': array too long ... maximum length 10"

# --- runs ---------------------------------------------------------------------------------------------------------
RUN_TOOLS_MAX = 20
RUN_TOKENS_MIN = 256
RUN_INCLUDE_VALUES = ("step_details.tool_calls[*].file_search.results[*].content",)
RUN_STATUSES_TERMINAL = ("completed", "cancelled", "failed", "incomplete", "expired")
RUN_STATUSES_SETTLED = RUN_STATUSES_TERMINAL + ("requires_action",)
RUN_STATUS_CANCELLING = "cancelling"
TRUNCATION_TYPES = ("auto", "last_messages")
TRUNCATION_LAST_MESSAGES_MIN = 1
TOOL_CHOICE_MODES = ("none", "auto", "required")
TOOL_CHOICE_TYPES = ("function", "code_interpreter", "file_search")

# --- conversations --------------------------------------------------------------------------------------------------
CONVERSATION_ITEMS_MAX = 20    # per request: a conversation's first items, or one POST of items
CONVERSATION_MESSAGE_ROLES = ("user", "assistant", "system", "developer")
MESSAGE_PHASES = ("commentary", "final_answer")
CONVERSATION_INCLUDE_VALUES = ("file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
                               "message.input_image.image_url", "computer_call_output.output.image_url",
                               "code_interpreter_call.outputs", "reasoning.encrypted_content",
                               "message.output_text.logprobs")

# --- ChatKit --------------------------------------------------------------------------------------------------------
CHATKIT_STATE_VARIABLES_MAX = 64
CHATKIT_EXPIRY_SECONDS_RANGE = (1, 600)
CHATKIT_EXPIRY_ANCHORS = ("created_at",)
CHATKIT_FILE_SIZE_MB_RANGE = (1, 512)
CHATKIT_MAX_FILES_MIN = 1
CHATKIT_RECENT_THREADS_MIN = 1
CHATKIT_RATE_LIMIT_MIN = 1
