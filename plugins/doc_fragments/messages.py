# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How one thread message is written, wherever a list of them is taken (threads, runs).
    DOCUMENTATION = r"""
options: {}
notes:
  - >-
    Each message of the list of messages has C(role) (V(user) or V(assistant)); C(content), a
    string or a list of content parts (C({type: text, text: ...}), C({type: image_file, image_file: {file_id:
    ...}}), C({type: image_url, image_url: {url: ...}})); optional C(attachments), a list of at most 10
    C({file_id: ..., tools: [{type: code_interpreter}]}) (tools V(code_interpreter) or V(file_search)); and
    optional C(metadata), with the limits of the object's own metadata.
"""
