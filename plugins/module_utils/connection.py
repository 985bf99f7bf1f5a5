# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module takes, and the client built from them."""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback, missing_required_lib

from .client import DEFAULT_BASE_URL, REQUESTS_IMPORT_ERROR, OpenAIClient
from .validate import InvalidInput

MAX_RETRIES_LIMIT = 10
MAX_CONCURRENCY = 32


def connection_argument_spec():
    return dict(
        api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["OPENAI_API_KEY"])),
        api_key_file=dict(type="path", fallback=(env_fallback, ["OPENAI_API_KEY_FILE"])),
        organization=dict(type="str", fallback=(env_fallback, ["OPENAI_ORG_ID"])),
        project=dict(type="str", fallback=(env_fallback, ["OPENAI_PROJECT_ID"])),
        base_url=dict(type="str", default=DEFAULT_BASE_URL, fallback=(env_fallback, ["OPENAI_BASE_URL"])),
        timeout=dict(type="float", default=60),
        max_retries=dict(type="int", default=3),
        validate_certs=dict(type="bool", default=True),
        name_store=dict(type="path", fallback=(env_fallback, ["OPENAI_NAME_STORE"])),
    )


def concurrency_option(default=8):
    """How many requests a bulk module sends at once (Terraform's default parallelism is 10)."""
    return dict(concurrency=dict(type="int", default=default))


def api_key_from_file(path):
    """The key that file ``path`` holds (an AWX file injector writes one), without the line end an editor adds."""
    try:
        with open(path, encoding="utf-8") as handle:
            key = handle.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc.__class__.__name__
        raise InvalidInput("api_key_file %s cannot be read: %s" % (path, reason))
    if not key:
        raise InvalidInput("api_key_file %s is empty" % path)
    if len(key.split()) > 1:
        raise InvalidInput("api_key_file %s must hold the key alone, on one line" % path)
    return key


def build_client(module, beta=None, concurrency=1):
    """The module's one client. Fails the module (before any request) on unusable connection options."""
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    try:
        api_key = params["api_key"]
        if not api_key and params["api_key_file"]:
            api_key = api_key_from_file(params["api_key_file"])
            module.no_log_values.add(api_key)  # masked in every output, as the no_log option's value is
        if not api_key:
            raise InvalidInput("api_key is required: set the api_key option or the OPENAI_API_KEY environment variable"
                               " (or api_key_file, OPENAI_API_KEY_FILE: a file that holds it)")
        if params["timeout"] <= 0:
            raise InvalidInput("timeout must be greater than 0, got %s" % params["timeout"])
        if not 0 <= params["max_retries"] <= MAX_RETRIES_LIMIT:
            raise InvalidInput("max_retries must be between 0 and %d, got %d" % (MAX_RETRIES_LIMIT, params["max_retries"]))
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise InvalidInput("concurrency must be between 1 and %d, got %d" % (MAX_CONCURRENCY, concurrency))
        return OpenAIClient(
            api_key=api_key,
            base_url=params["base_url"],
            organization=params["organization"],
            project=params["project"],
            timeout=params["timeout"],
            max_retries=params["max_retries"],
            validate_certs=params["validate_certs"],
            beta=beta,
            warn=module.warn,
            concurrency=concurrency,
        )
    except ValueError as exc:  # InvalidInput, and check_base_url's ValueError
        module.fail_json(msg=str(exc))
