"""Load: 10 forks manage 200 distinct objects in parallel, one per host, against the emulator.

The inventory holds 200 aliases of localhost (connection local). With tests/integration/playbooks/load.yml,
half of them each manage an assistant named after the host (found by name among all the others),
the other half each add their own message to one shared conversation (found by content while the
others append to the same list). The first run must succeed on every host and
make exactly 200 objects: 100 assistants with distinct names and 100 items with distinct contents;
the second run must report changed=0 on every host and send no write request.
The wall times go to the test output and to .build/logs/load.txt. OPENAI_LOAD_HOSTS=N plays it with N
hosts instead (for a quick local try; the assertions scale with it).
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from emulator.harness import Emulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(REPO, "tests", "integration", "playbooks", "load.yml")
LOG_FILE = os.path.join(REPO, ".build", "logs", "load.txt")
BIN = os.path.dirname(sys.executable)
API_KEY = "sk-load-test"
HOSTS = int(os.environ.get("OPENAI_LOAD_HOSTS", "200"))
FORKS = 10


def write_inventory(path):
    """{host: kind}: even hosts manage an assistant, odd hosts a conversation item."""
    hosts = dict(("host-%03d" % number, "assistant" if number % 2 == 0 else "item") for number in range(HOSTS))
    groups = []
    for group, kind in (("load_assistants", "assistant"), ("load_items", "item")):
        groups.append("[%s]\n%s\n" % (group, "\n".join(sorted(host for host in hosts if hosts[host] == kind))))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(groups) + "\n[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                     % sys.executable)
    return hosts


def play(tmp_path, server, inventory, conversation_id):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_HOME=str(tmp_path / "home"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_REMOTE_TMP=str(tmp_path / "tmp"),
               ANSIBLE_PIPELINING="1", ANSIBLE_HOST_KEY_CHECKING="0",
               OPENAI_API_KEY=API_KEY, OPENAI_BASE_URL=server.base_url)
    command = [os.path.join(BIN, "ansible-playbook"), PLAYBOOK, "-i", str(inventory), "--forks", str(FORKS),
               "-e", "load_conversation_id=%s" % conversation_id]
    started = time.monotonic()
    proc = subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900, check=False)
    seconds = time.monotonic() - started
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return recaps(output), seconds


def recaps(output):
    """{host: {ok, changed, unreachable, failed}} from the play recap."""
    found = {}
    for match in re.finditer(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output, re.M):
        found[match.group(1)] = dict(zip(("ok", "changed", "unreachable", "failed"), map(int, match.groups()[1:])))
    return found


def create_conversation(server):
    request = urllib.request.Request(server.base_url + "/conversations", data=b'{"metadata": {"test": "load"}}',
                                     method="POST", headers={"Authorization": "Bearer " + API_KEY,
                                                             "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))["id"]


def load_state(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["data"]


@pytest.mark.integration
def test_ten_forks_manage_200_objects_without_duplicates(tmp_path, capsys):
    hosts = write_inventory(tmp_path / "inventory.ini")
    state_file = tmp_path / "emulator.json"
    with Emulator(api_key=API_KEY, state_file=state_file) as server:
        conversation_id = create_conversation(server)
        first, first_seconds = play(tmp_path, server, tmp_path / "inventory.ini", conversation_id)
        first_stats = server.stats()
        server.reset()
        second, second_seconds = play(tmp_path, server, tmp_path / "inventory.ini", conversation_id)
        second_stats = server.stats()
        data = load_state(state_file)

    assistants = [obj["name"] for obj in data["assistants"].values()]
    items = [" ".join(part["text"] for part in item["content"])
             for item in data["conversation_items"].get(conversation_id, {}).values()]
    report = "\n".join([
        "load test: %d hosts, forks=%d, one object per host (half assistants, half items of one conversation)" % (
            HOSTS, FORKS),
        "first run: %.1fs, %d requests (%d writes); hosts failed: %d, changed: %d" % (
            first_seconds, first_stats["total"], first_stats["writes"],
            sum(1 for r in first.values() if r["failed"] or r["unreachable"]), sum(r["changed"] for r in first.values())),
        "second run: %.1fs, %d requests (%d writes); changed: %d" % (
            second_seconds, second_stats["total"], second_stats["writes"], sum(r["changed"] for r in second.values())),
        "objects: %d assistants (%d distinct names), %d conversation items (%d distinct contents)" % (
            len(assistants), len(set(assistants)), len(items), len(set(items))),
    ]) + "\n"
    os.makedirs(os.path.dirname(LOG_FILE), exist_ok=True)
    with open(LOG_FILE, "w", encoding="utf-8") as handle:
        handle.write(report)
    with capsys.disabled():
        sys.stdout.write("\n" + report)

    assert sorted(first) == sorted(hosts) and sorted(second) == sorted(hosts)
    assert all(r["failed"] == 0 and r["unreachable"] == 0 and r["changed"] == 1 for r in first.values()), first
    assert len(assistants) + len(items) == HOSTS
    assert sorted(assistants) == sorted("load-" + host for host, kind in hosts.items() if kind == "assistant")
    assert sorted(items) == sorted("Hello from " + host for host, kind in hosts.items() if kind == "item")
    assert all(r["failed"] == 0 and r["unreachable"] == 0 and r["changed"] == 0 for r in second.values()), second
    assert second_stats["writes"] == 0, second_stats["requests"]
