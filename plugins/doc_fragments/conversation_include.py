# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # include, as the conversation item endpoints take it.
    DOCUMENTATION = r"""
options:
  include:
    description:
      - Extra fields to return with the items.
    type: list
    elements: str
    choices:
      - file_search_call.results
      - web_search_call.results
      - web_search_call.action.sources
      - message.input_image.image_url
      - computer_call_output.output.image_url
      - code_interpreter_call.outputs
      - reasoning.encrypted_content
      - message.output_text.logprobs
"""
