"""Run a command for as long as another process lives: ``python tests/utils/exit_with.py PID COMMAND...``.

make test starts some steps in the background (galaxy-importer beside sanity); a background step must not outlive
the make that started it (a CI timeout, a killed make), or it would write into the next run's results. The command
runs in a session of its own; when process PID has ended (or is a zombie nobody reaped yet), or this wrapper gets
SIGINT or SIGTERM, the whole session is stopped (SIGTERM, then SIGKILL after 10 s). The exit code is the
command's. Standard library only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs: it exists and is no zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            return handle.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc: existing is all we can know


def stop(proc: subprocess.Popen) -> None:
    """Stop the command's whole session: SIGTERM, then SIGKILL for what is left after 10 s."""
    for signum, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[0].isdigit():
        sys.stderr.write(__doc__)
        return 2
    parent, command = int(argv[0]), argv[1:]
    proc = subprocess.Popen(command, start_new_session=True)

    def on_signal(signum, _frame):
        stop(proc)
        sys.exit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    while True:
        try:
            return proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            if not alive(parent):
                sys.stderr.write("exit_with: process %d has ended: stopping %s\n" % (parent, " ".join(command)))
                stop(proc)
                return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
