# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run-time notice that the Assistants API is retired at OpenAI."""

from __future__ import annotations

from urllib.parse import urlsplit

RETIRED_ON = "2026-08-26"


def warn_assistants_retired(module):
    host = urlsplit(module.params.get("base_url") or "").hostname or "the server"
    if host == "api.openai.com":
        module.warn("OpenAI retired the Assistants API on %s and api.openai.com no longer serves it; set base_url "
                    "to a server that still implements Assistants v2, or move to openai.beta.openai_conversation."
                    % RETIRED_ON)
    else:
        module.warn("The Assistants API was retired at OpenAI on %s; this task relies on %s still implementing "
                    "Assistants v2." % (RETIRED_ON, host))
