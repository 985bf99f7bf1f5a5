# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of every _info module that lists: the API's cursors, and a cap.
    DOCUMENTATION = r"""
options:
  order:
    description:
      - Sort order by creation time. When not set, the server's default (V(desc) where the API documents one).
    type: str
    choices: [asc, desc]
  after:
    description:
      - Start the listing after this object ID (a cursor from an earlier listing).
    type: str
  max_items:
    description:
      - Return at most this many objects (at least 1). All of them, from every page, when not set.
    type: int
"""

    # For the endpoints that also page backwards.
    BEFORE = r"""
options:
  before:
    description:
      - List the objects before this object ID (a cursor from an earlier listing), paging backwards.
      - Mutually exclusive with O(after).
    type: str
"""
