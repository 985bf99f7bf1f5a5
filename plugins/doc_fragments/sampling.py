# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.openai.beta.plugins.module_utils.limits import REASONING_EFFORTS, TEMPERATURE_RANGE, TOP_P_RANGE


class ModuleDocFragment:
    # How the model answers: assistants and runs. The choices and ranges are the collection's own constants (one
    # source, checked against OpenAI's spec by tests/unit/test_spec_drift.py).
    DOCUMENTATION = r"""
options:
  reasoning_effort:
    description:
      - Constrains effort on reasoning for reasoning models.
      - Which values a model accepts depends on the model (for example V(none) only from C(gpt-5.1) on).
      - The API does not return this field in every object, so it is compared only where the server returns it.
    type: str
    choices: [%(efforts)s]
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
      - Sampling temperature, between %(temperature_low)s and %(temperature_high)s. Higher values make the output
        more random.
    type: float
  top_p:
    description:
      - Nucleus sampling probability mass, between %(top_p_low)s and %(top_p_high)s.
      - Alter this or O(temperature), not both.
    type: float
""" % dict(efforts=", ".join(REASONING_EFFORTS), temperature_low=TEMPERATURE_RANGE[0],
           temperature_high=TEMPERATURE_RANGE[1], top_p_low=TOP_P_RANGE[0], top_p_high=TOP_P_RANGE[1])
