# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options shared by every module of the collection.
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - The OpenAI API key, sent as a bearer token.
      - If not set, the value of the E(OPENAI_API_KEY) environment variable is used.
      - Never shown in output, diffs, errors or logs, at any verbosity.
    type: str
  api_key_file:
    description:
      - A file on the host that runs the module which holds the OpenAI API key, used when O(api_key) is not set
        (nor E(OPENAI_API_KEY)).
      - If not set, the value of the E(OPENAI_API_KEY_FILE) environment variable is used.
      - The file holds the key alone; whitespace around it (the line end an editor adds) is ignored.
      - On AWX, a credential type that writes the key with a file injector and names that file in
        E(OPENAI_API_KEY_FILE) keeps the key out of the job's environment, and so out of ansible-runner's record
        of it (see the collection's AWX guide).
      - The key read from the file is never shown, as O(api_key) is not.
    type: path
  organization:
    description:
      - The organization ID to send as the C(OpenAI-Organization) header.
      - If not set, the value of the E(OPENAI_ORG_ID) environment variable is used.
    type: str
  project:
    description:
      - The project ID to send as the C(OpenAI-Project) header.
      - If not set, the value of the E(OPENAI_PROJECT_ID) environment variable is used.
    type: str
  base_url:
    description:
      - The API's base URL, including the version prefix.
      - If not set, the value of the E(OPENAI_BASE_URL) environment variable is used, and then the default.
      - Must be C(https), unless its host is loopback (V(localhost), V(127.0.0.0/8), V(::1)), such as the
        collection's emulator.
    type: str
    default: https://api.openai.com/v1
  timeout:
    description:
      - Seconds to wait for each HTTP response before giving up on that attempt.
    type: float
    default: 60
  max_retries:
    description:
      - How many times a failed request is retried (0 to 10).
      - Retried are HTTP 408, 409, 429 and 5xx answers and connection failures, with exponential backoff
        and jitter, honouring the server's C(retry-after-ms), C(retry-after) and C(x-should-retry) headers
        (a requested delay is capped at 60 seconds). Every retry is reported as a warning.
      - A request that creates an object, or must act once (a cancel, tool outputs), is resent only when
        the server cannot have acted on it (HTTP 408 or 429, or a connection that was never established).
        After an ambiguous failure the module first looks for what it may have done, so a retry never
        creates a duplicate.
      - Threads and conversations cannot be looked for, so they are created empty and then filled; an empty
        create whose answer was lost is sent again, with a warning (see the module's description). So is a
        ChatKit session mint, whose lost session nobody can use.
    type: int
    default: 3
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
    type: bool
    default: true
  name_store:
    description:
      - The file in which M(openai.beta.openai_conversation) and M(openai.beta.openai_thread) record the names
        playbooks give to conversations and threads (which the API cannot list), on the host that runs the module.
      - If not set, the value of the E(OPENAI_NAME_STORE) environment variable is used, and then
        C(~/.ansible/openai_beta/names.json).
      - Written atomically under a lock, so that forks and separate runs can share it. On AWX, whose job
        directories do not survive, point it at persistent storage (see the collection's AWX guide).
      - Other modules ignore it.
    type: path
requirements:
  - requests >= 2.25
"""
