# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # tool_resources of assistants and threads.
    DOCUMENTATION = r"""
options:
  tool_resources:
    description:
      - Resources made available to the tools (for a thread, to the tools of the runs on it).
    type: dict
    suboptions:
      code_interpreter:
        description: Resources for the code interpreter tool.
        type: dict
        suboptions:
          file_ids:
            description: File IDs available to the code interpreter, at most 20.
            type: list
            elements: str
      file_search:
        description: Resources for the file search tool.
        type: dict
        suboptions:
          vector_store_ids:
            description: The vector store attached (at most 1).
            type: list
            elements: str
          vector_stores:
            description:
              - A vector store to create from files and attach (at most 1).
              - The server turns it into a vector store ID, so once the object has a vector store
                attached this request counts as fulfilled.
              - The API makes it only when the object is created. Given for an existing object that has no
                vector store, the task fails before any request; use O(tool_resources.file_search.vector_store_ids).
            type: list
            elements: dict
            suboptions:
              file_ids:
                description: File IDs to add to the vector store, at most 100,000,000 (10,000 for vector stores made before November 2025).
                type: list
                elements: str
              chunking_strategy:
                description:
                  - >-
                    How files are chunked: C({type: auto}), or C({type: static, static:
                    {max_chunk_size_tokens: 800, chunk_overlap_tokens: 400}}).
                type: dict
              metadata:
                description: Metadata of the vector store; the same limits as O(metadata).
                type: dict
"""
