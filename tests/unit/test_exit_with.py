"""tests/utils/exit_with.py: a background step of make test stops with the make that started it, zombie or gone."""

import os
import subprocess
import sys
import time

import pytest

UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "utils")
EXIT_WITH = os.path.join(UTILS, "exit_with.py")
sys.path.insert(0, UTILS)
from exit_with import alive  # noqa: E402  pylint: disable=wrong-import-position


@pytest.mark.parametrize("parent_ends_as", ["reaped", "zombie"])
def test_the_command_and_its_children_stop_when_the_parent_ends(tmp_path, parent_ends_as):
    parent = subprocess.Popen(["sleep", "60"])
    pid_file = tmp_path / "grandchild.pid"
    wrapper = subprocess.Popen([sys.executable, EXIT_WITH, str(parent.pid), "sh", "-c",
                                "sleep 60 & echo $! > %s; wait" % pid_file], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        grandchild = int(pid_file.read_text())
        time.sleep(1.5)
        assert wrapper.poll() is None and alive(grandchild)  # it runs while the parent lives
        parent.kill()
        if parent_ends_as == "reaped":
            parent.wait()  # else: left a zombie, as a make nobody has waited for yet
        assert wrapper.wait(timeout=10) == 1
        assert "process %d has ended" % parent.pid in wrapper.stderr.read()
        deadline = time.monotonic() + 5
        while alive(grandchild) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(grandchild), "the command's child outlived its parent's end"
    finally:
        for proc in (parent, wrapper):
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def test_the_exit_code_is_the_commands():
    done = subprocess.run([sys.executable, EXIT_WITH, str(os.getpid()), "sh", "-c", "exit 7"], check=False)
    assert done.returncode == 7
