# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.openai.beta.plugins.module_utils.limits import (METADATA_MAX_KEY_LENGTH, METADATA_MAX_KEYS,
                                                                          METADATA_MAX_VALUE_LENGTH)


class ModuleDocFragment:
    # metadata and purge_metadata, for every object that carries metadata.
    DOCUMENTATION = r"""
options:
  metadata:
    description:
      - Set of up to %(keys)d key-value pairs attached to the object, for storing additional information in a
        structured format and for finding objects again.
      - Keys are strings of at most %(key_length)d characters; values are strings of at most %(value_length)d
        characters.
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
""" % dict(keys=METADATA_MAX_KEYS, key_length=METADATA_MAX_KEY_LENGTH, value_length=METADATA_MAX_VALUE_LENGTH)
