"""`make test` shows the range's table (core x Python x what ran) just before pytest's closing summary line."""

import os

RANGE_OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         ".build", "logs", "range.out")


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("OPENAI_STATIC_CHECKS") != "1" or not os.path.exists(RANGE_OUT):
        return
    with open(RANGE_OUT, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("range (ansible-core x Python")), None)
    if start is not None:
        terminalreporter.section("supported range (make range; logs in .build/logs/range/)")
        for line in lines[start + 1:]:
            terminalreporter.write_line(line)
