# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How the model answers: assistants and runs.
    DOCUMENTATION = r"""
options:
  reasoning_effort:
    description:
      - Constrains effort on reasoning for reasoning models.
      - Which values a model accepts depends on the model (for example V(none) only from C(gpt-5.1) on).
      - The API does not return this field in every object, so it is compared only where the server returns it.
    type: str
    choices: [none, minimal, low, medium, high, xhigh, max]
  response_format:
    description:
      - The format that the model must output.
      - >-
        V(auto), or a dictionary such as C({type: json_object}) (JSON mode), C({type: text}), or
        C({type: json_schema, json_schema: {name: ..., schema: {...}, strict: true}}) (Structured Outputs).
      - With JSON mode, also tell the model to produce JSON in its instructions.
    type: raw
  temperature:
    description:
      - Sampling temperature, between 0 and 2. Higher values make the output more random.
    type: float
  top_p:
    description:
      - Nucleus sampling probability mass, between 0 and 1.
      - Alter this or O(temperature), not both.
    type: float
"""
