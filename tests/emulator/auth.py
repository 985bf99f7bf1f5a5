"""Bearer auth and the ``OpenAI-Beta`` header checks for /v1 requests.

* Every /v1 request needs ``Authorization: Bearer <token>``. With ``--api-key`` the token must
  equal it (compared in constant time); without, any non-empty token is accepted. Failures are 401
  ``invalid_api_key``. The key is never echoed, logged or stored.
* Assistants-family routes need ``OpenAI-Beta: assistants=v2``, ChatKit routes
  ``OpenAI-Beta: chatkit_beta=v1`` (the header may list several comma-separated values);
  otherwise 400 ``invalid_beta``, as the real API answers.
"""

import hmac

from . import errors


def check_auth(headers, api_key):
    value = headers.get("authorization", "")
    scheme, _sep, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise errors.auth_missing()
    if api_key is not None and not hmac.compare_digest(token.encode("utf-8"), api_key.encode("utf-8")):
        raise errors.auth_wrong()


def check_beta(headers, required):
    if required is None:
        return
    values = [part.strip().replace(" ", "") for part in headers.get("openai-beta", "").split(",")]
    if required not in values:
        raise errors.beta_required(required)
