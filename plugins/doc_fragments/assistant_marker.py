# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The management marker of a set of assistants: openai_assistant_fleet and the role's assistants_plan filter.
    DOCUMENTATION = r"""
options:
  marker_key:
    description: The metadata key of the management marker.
    type: str
    default: managed_by
  marker_value:
    description: The value of the management marker.
    type: str
    default: openai.beta.assistants
"""
