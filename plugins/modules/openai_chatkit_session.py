#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openai_chatkit_session
short_description: Mint and cancel ChatKit sessions
version_added: 0.1.0
description:
  - Creates a ChatKit session for an end user and returns its C(client_secret), which a ChatKit front end
    uses to talk to a workflow; or cancels a session. The object of the Terraform provider's
    C(openai_beta_chatkit_session) resource.
  - ChatKit sessions are short-lived credentials that the API can neither read back nor list. So
    O(state=present) mints a B(new) session on every run (a change), unless O(name) names a session that a
    previous run minted and that is valid for more than a minute yet; O(state=absent) cancels the session given by
    O(session_id) or O(name).
  - When the answer to a mint is lost (the connection drops after the request was sent), the mint is sent
    again with a warning. The session the lost one may have made is of no use to anyone, as nobody received
    its secret, and it expires by itself.
  - >-
    B(The result holds a secret.) Run the task with C(no_log: true) and hand C(session.client_secret) only to
    whatever needs it. The module keeps the secret out of diffs and warnings; in check mode no session is
    minted and C(client_secret) is V(null).
author:
  - openai.beta maintainers (@openai-beta)
extends_documentation_fragment:
  - openai.beta.connection
  - openai.beta.attributes
options:
  state:
    description:
      - V(present) mints a new session (or, with O(name), keeps the named one while it is valid).
      - V(absent) cancels the session O(session_id), or the one recorded for O(name) (and forgets the name). The
        API cannot tell whether it was already cancelled, so this reports a change unless the session does not
        exist.
    type: str
    choices: [present, absent]
    default: present
  session_id:
    description:
      - The ID of a session to cancel (C(cksess_...)). Only with O(state=absent).
    type: str
  name:
    description:
      - A name for the session, recorded with its ID and expiry (never its secret) in the name store
        (O(name_store)) when it is minted.
      - With O(state=present), a named session that is valid for more than a minute yet is not minted again;
        the task then reports no change and returns the session's C(id), C(expires_at) and C(status), without
        C(client_secret), which only the minting task returned.
    type: str
  user:
    description:
      - A free-form identifier of the end user the session is for (at least 1 character). Required to mint a
        session. ChatKit threads are listed per user (M(openai.beta.openai_chatkit_thread_info)).
    type: str
  workflow:
    description:
      - The workflow the session runs. Required to mint a session.
    type: dict
    suboptions:
      id:
        description: The ID of the workflow (C(wf_...)).
        type: str
        required: true
      version:
        description: A version of the workflow; the latest when not set.
        type: str
      state_variables:
        description: Variables passed to the workflow (at most 64; values are strings, numbers or booleans).
        type: dict
      tracing:
        description: Tracing of the workflow's runs.
        type: dict
        suboptions:
          enabled:
            description: Whether tracing is on (the server's default is on).
            type: bool
  chatkit_configuration:
    description:
      - Features of the ChatKit front end for this session.
    type: dict
    suboptions:
      automatic_thread_titling:
        description: Titles for new threads, made automatically.
        type: dict
        suboptions:
          enabled:
            description: Whether threads get titles automatically.
            type: bool
      file_upload:
        description: File uploads in the conversation.
        type: dict
        suboptions:
          enabled:
            description: Whether users can upload files.
            type: bool
          max_file_size:
            description: The largest file, in megabytes (1 to 512).
            type: int
          max_files:
            description: How many files a session may upload (at least 1).
            type: int
      history:
        description: The history of earlier threads shown to the user.
        type: dict
        suboptions:
          enabled:
            description: Whether earlier threads are shown.
            type: bool
          recent_threads:
            description: How many recent threads are shown (at least 1).
            type: int
  expires_after:
    description:
      - When the session's client secret expires. The server's default is 10 minutes.
    type: dict
    suboptions:
      anchor:
        description: What the expiry counts from; the only value is V(created_at).
        type: str
        choices: [created_at]
        default: created_at
      seconds:
        description: Seconds after the anchor (1 to 600).
        type: int
        required: true
  rate_limits:
    description:
      - Limits of the session.
    type: dict
    suboptions:
      max_requests_per_1_minute:
        description: Requests per minute the session may make (at least 1).
        type: int
seealso:
  - module: openai.beta.openai_chatkit_thread_info
  - name: ChatKit sessions API reference
    description: The API this module calls.
    link: https://platform.openai.com/docs/api-reference/chatkit
"""

EXAMPLES = r"""
- name: Mint a session for the web front end (keep the secret out of the log)
  openai.beta.openai_chatkit_session:
    user: user-1234
    workflow:
      id: wf_68df4b13b3588190a09d19288d4610ec0df388c3983f58d1
      state_variables:
        plan: pro
    chatkit_configuration:
      file_upload:
        enabled: true
        max_file_size: 16
      history:
        enabled: true
        recent_threads: 5
    expires_after:
      seconds: 600
  no_log: true
  register: chat

- name: Cancel it when the user logs out
  openai.beta.openai_chatkit_session:
    session_id: "{{ chat.session.id }}"
    state: absent
"""

RETURN = r"""
session:
  description:
    - The session as the API returned it, C(client_secret) included; in check mode, the session as it would
      be (no C(id), no C(client_secret)).
    - With O(state=absent), the cancelled session, without its C(client_secret) (the API sends it back, the module
      drops it, so the secret is shown only by the task that minted the session); V(null) when it did not exist.
  returned: always
  type: dict
  contains:
    id:
      description: The ID of the session.
      type: str
      sample: cksess_123
    object:
      description: Always V(chatkit.session).
      type: str
      sample: chatkit.session
    client_secret:
      description: The secret a ChatKit front end uses for this session. Handle it as a password.
      type: str
      returned: when O(state=present)
    expires_at:
      description: Unix timestamp (seconds) when the client secret expires.
      type: int
    status:
      description: V(active), V(expired) or V(cancelled).
      type: str
    user:
      description: The end user of the session.
      type: str
    workflow:
      description: The workflow of the session (C(id), C(version), C(state_variables), C(tracing)).
      type: dict
    chatkit_configuration:
      description: The features of the session, with the server's defaults filled in.
      type: dict
    rate_limits:
      description: The limits of the session.
      type: dict
    max_requests_per_1_minute:
      description: Requests per minute the session may make.
      type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openai.beta.plugins.module_utils import runner
from ansible_collections.openai.beta.plugins.module_utils.chatkit import SESSION_FAMILY, session_spec


def main():
    module = AnsibleModule(
        argument_spec=runner.resource_argument_spec(with_metadata=False, session_id=dict(type="str"),
                                                    name=dict(type="str"), **session_spec()),
        required_if=[("state", "absent", ("session_id", "name"), True)],
        supports_check_mode=True,
    )
    runner.run(module, SESSION_FAMILY)


if __name__ == "__main__":
    main()
