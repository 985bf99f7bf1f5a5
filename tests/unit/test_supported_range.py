"""The supported range's driver (tests/range/supported_range.py) never outlives the run it works for.

make test starts the range in the background with OPENAI_RANGE_EXIT_WITH naming itself; when make ends (a failed
setup, Ctrl-C), the driver stops every command it started, with whatever those started, and exits.
"""

import os
import subprocess
import sys
import textwrap
import time

RANGE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "range")
sys.path.insert(0, os.path.join(os.path.dirname(RANGE_DIR), "utils"))
from exit_with import alive  # noqa: E402  pylint: disable=wrong-import-position

# a driver stand-in: the real module's start() and exit_with(), a command that leaves a grandchild behind it
DRIVER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {range_dir!r})
    import supported_range
    supported_range.start(["sh", "-c", "sleep 60 & echo $! > {pid_file}; wait"])
    supported_range.exit_with({parent})
    time.sleep(60)
""")


def _wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_the_driver_stops_what_it_started_when_the_process_it_exits_with_ends(tmp_path):
    parent = subprocess.Popen(["sleep", "60"])
    pid_file = tmp_path / "grandchild.pid"
    driver = subprocess.Popen([sys.executable, "-c", DRIVER.format(range_dir=RANGE_DIR, pid_file=pid_file,
                                                                   parent=parent.pid)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: pid_file.exists() and pid_file.read_text().strip(), 10)
        grandchild = int(pid_file.read_text())
        time.sleep(1.5)  # the driver keeps working while the process it exits with lives
        assert driver.poll() is None and alive(grandchild)
        parent.kill()
        parent.wait()
        assert driver.wait(timeout=10) == 1
        assert "stopped: process %d, which this range runs for, has ended" % parent.pid in driver.stdout.read()
        assert _wait_for(lambda: not alive(grandchild), 5), "the command's own child outlived the driver"
    finally:
        for proc in (parent, driver):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
