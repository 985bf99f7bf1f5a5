# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # metadata and purge_metadata, for every object that carries metadata.
    DOCUMENTATION = r"""
options:
  metadata:
    description:
      - Set of up to 16 key-value pairs attached to the object, for storing additional information in a
        structured format and for finding objects again.
      - Keys are strings of at most 64 characters; values are strings of at most 512 characters.
        Numbers and booleans are sent as strings (V(true), V(false)).
      - When not set, the object's metadata is left as it is.
    type: dict
  purge_metadata:
    description:
      - When V(true), keys of the object's metadata that are not in O(metadata) are removed.
      - When V(false), the keys in O(metadata) are added or updated and the others are kept.
      - Has no effect when O(metadata) is not set.
    type: bool
    default: true
"""
