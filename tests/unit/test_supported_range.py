"""The supported range's driver (tests/range/supported_range.py) never outlives the run it works for.

make test starts the range in the background under tests/utils/exit_with.py, which sends SIGTERM when make ends (a
failed setup, Ctrl-C); on SIGTERM the driver stops every command it started, with whatever those started, and exits.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

RANGE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "range")
sys.path.insert(0, os.path.join(os.path.dirname(RANGE_DIR), "utils"))
from exit_with import alive  # noqa: E402  pylint: disable=wrong-import-position

# a driver stand-in: the real module's start() and its signal handling, a command that leaves a grandchild behind it
DRIVER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {range_dir!r})
    import supported_range
    supported_range.start(["sh", "-c", "sleep 60 & echo $! > {pid_file}; wait"])
    sys.argv = ["supported_range.py", "wait"]
    supported_range.main(["wait"])  # installs the handlers, then prints its usage and returns
    time.sleep(60)
""")


def _wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_on_sigterm_the_driver_stops_what_it_started_with_its_children(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    driver = subprocess.Popen([sys.executable, "-c", DRIVER.format(range_dir=RANGE_DIR, pid_file=pid_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert _wait_for(lambda: pid_file.exists() and pid_file.read_text().strip(), 10)
        grandchild = int(pid_file.read_text())
        time.sleep(1)
        assert driver.poll() is None and alive(grandchild)
        driver.send_signal(signal.SIGTERM)
        assert driver.wait(timeout=20) == 1
        assert "stopped: signal %d" % signal.SIGTERM in driver.stdout.read()
        assert _wait_for(lambda: not alive(grandchild), 5), "the command's own child outlived the driver"
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
