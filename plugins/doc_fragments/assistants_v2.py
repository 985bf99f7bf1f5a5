# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The notes every module of the Assistants family carries.
    DOCUMENTATION = r"""
options: {}
notes:
  - OpenAI retired the Assistants API (assistants, threads, messages, runs and run steps) on 2026-08-26.
    This module stays complete and correct for servers that still implement Assistants v2, such as the
    collection's emulator or a compatible gateway; point O(base_url) at one. Each run warns once about
    the retirement. For new work use M(openai.beta.openai_conversation) and
    M(openai.beta.openai_conversation_item).
  - Requests carry the header C(OpenAI-Beta) with the value C(assistants=v2).
"""
