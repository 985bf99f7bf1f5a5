"""The supported range: which ansible-core releases and Pythons the collection is proven on (tests/range/supported_range.py).

One source for these facts: the driver builds and tests from them, and tests/unit/test_collection_meta.py checks
that the README, galaxy.yml and meta/runtime.yml state the same floor.

- ``MODULE_PYTHONS``: the Pythons the modules support on a managed node, from the floor of tests/config.yml
  (3.8) to the newest Python here. Every one of them is compiled and imported by
  ``ansible-test sanity`` on at least one core below: on each sanity core, for the ones that core's
  ansible-test supports as a target.
- ``CORES``: one venv per core under ``.build/cores/<core>/``, on the newest Python of ``~/.pyenv/versions``
  that the core supports as a controller (2.21: 3.12, the Python the issue names for its sanity run),
  installed from the pins here plus tests/range/requirements.txt (what they share).
  ``sanity``: ``ansible-test sanity`` (every default test, no ignore file) runs on that core too.
  Every core runs the unit tests and ``INTEGRATION`` (a representative subset of the integration tests).
- ansible-core 2.19 is the project venv's (requirements-dev.txt): ``make test`` runs everything on it.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

# the floor: tests/config.yml (modules.python_requires, which ansible-test reads too); the ceiling: the newest
# Python of the machines this project runs on (~/.pyenv/versions)
NEWEST_PYTHON = "3.13"
with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "config.yml"), encoding="utf-8") as _fh:
    MODULE_PYTHON_FLOOR = re.search(r"python_requires:\s*[\"']?>=\s*(3\.\d+)", _fh.read()).group(1)
MODULE_PYTHONS = tuple("3.%d" % minor for minor in range(int(MODULE_PYTHON_FLOOR.split(".")[1]),
                                                         int(NEWEST_PYTHON.split(".")[1]) + 1))


class Core(NamedTuple):
    version: str   # X.Y, the venv's name
    python: str    # X.Y of the controller Python, from ~/.pyenv/versions
    pins: tuple    # requirement lines that differ between cores
    sanity: bool = False


CORES = (
    Core("2.16", "3.12", ("ansible-core==2.16.19", "resolvelib==1.0.1"), sanity=True),
    Core("2.18", "3.13", ("ansible-core==2.18.19", "resolvelib==1.0.1")),
    Core("2.20", "3.13", ("ansible-core==2.20.10", "resolvelib==1.2.1")),
    Core("2.21", "3.12", ("ansible-core==2.21.5", "resolvelib==1.2.1"), sanity=True),
)

# What each core plays against the emulator: each API family once, the Assistants one as its whole story (assistant,
# thread, message, a run waited for, its steps and the reply, twice: the second pass changes nothing), the others as
# a module's target (a conversation's items, a ChatKit session: check mode, create, the same again, update, delete,
# delete again). The openai_assistant target, which the story covers, no longer runs here: 60 s of CPU over the cores.
INTEGRATION_TARGETS = ("openai_conversation_item", "openai_chatkit_session", "story_assistants")
INTEGRATION_TESTS = ("tests/integration/test_targets.py",)
