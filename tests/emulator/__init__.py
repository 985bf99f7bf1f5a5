"""A local, stateful OpenAI API emulator (standard library only).

Run it with ``python3 tests/emulator/server.py --port 0`` or, from Python tests, through
:class:`emulator.harness.Emulator`. See README.md in this directory.
"""
