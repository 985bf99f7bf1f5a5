"""The supported range: which ansible-core releases and Pythons the collection is proven on (tests/range/run.py).

One source for these facts: the driver builds and tests from them, and tests/unit/test_collection_meta.py checks
that the README, galaxy.yml and meta/runtime.yml state the same floor.

- ``MODULE_PYTHONS``: the Pythons the modules support on a managed node. The floor is 3.8 (the modules use
  ``from __future__ import annotations``, which needs 3.7; 3.8 is the oldest that the newest cores still
  install on, and the oldest this project proves). Every one of them is compiled and imported by
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

from typing import NamedTuple

MODULE_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")


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

# What each core plays against the emulator: a module of each API family (Assistants with a run that waits,
# Conversations, ChatKit), the role, and the check-mode story (a whole playbook in check mode, then for real).
INTEGRATION_TARGETS = ("openai_assistant", "openai_thread_run", "openai_conversation_item", "openai_chatkit_session",
                       "story_assistants")
INTEGRATION_TESTS = ("tests/integration/test_targets.py", "tests/integration/test_check_mode_story.py")
