"""No duplicates when tasks race: ten forks, or two ansible-playbook processes, ensure the same objects at once.

Against the emulator answering every request 300 ms late (as a real service does), two ansible-playbook processes
of ten hosts and ten forks each play tests/integration/playbooks/races.yml at the same moment: one assistant by name, one thread message and one
conversation item by content, one run by metadata, one named conversation and one named thread. The test checks
that exactly one of each exists afterwards and that no task failed; the figures go to .build/logs/races.txt.
How it works: creates of listable objects settle (plan.Settle: look again, keep the oldest, delete only one's own
copies), a run refused because another task just started it is that run, named objects are created under a lock
on their name (module_utils/names.py).
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
PLAYBOOK = os.path.join(REPO, "tests", "integration", "playbooks", "races.yml")
LOG_FILE = os.path.join(REPO, ".build", "logs", "races.txt")
BIN = os.path.dirname(sys.executable)
LATENCY_MS = 300
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def _api(server, method, path, body=None, beta=None):
    headers = {"Authorization": "Bearer %s" % server.api_key, "Content-Type": "application/json"}
    if beta:
        headers["OpenAI-Beta"] = beta
    request = urllib.request.Request(server.base_url + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _listing(server, path, beta=None):
    found, query = [], "?limit=100&order=asc"
    while True:
        page = _api(server, "GET", path + query, beta=beta)
        found.extend(page["data"])
        if not page.get("has_more"):
            return found
        query = "?limit=100&order=asc&after=%s" % page["last_id"]


def _inventory(path, hosts):
    path.write_text("[racers]\n%s\n[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                    % ("\n".join(hosts), sys.executable))
    return path


def _start(tmp_path, server, inventory, tag, thread_id, conversation_id, forks, store):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_HOME=str(tmp_path / "home"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_PIPELINING="1",
               OPENAI_API_KEY=server.api_key, OPENAI_BASE_URL=server.base_url, OPENAI_NAME_STORE=str(store))
    command = [os.path.join(BIN, "ansible-playbook"), PLAYBOOK, "-i", str(inventory), "--forks", str(forks),
               "-e", "race_tag=%s race_thread_id=%s race_conversation_id=%s" % (tag, thread_id, conversation_id)]
    return subprocess.Popen(command, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True)


def _finish(process):
    output, _errors = process.communicate(timeout=900)
    assert process.returncode == 0, output[-6000:]
    recaps = dict((host, (int(changed), int(failed))) for host, _ok, changed, _unreachable, failed
                  in RECAP.findall(output))
    return recaps, output


def _counts(server, tag, thread_id, conversation_id):
    beta = "assistants=v2"
    state = server.state()["data"]
    return {
        "assistants": sum(1 for obj in _listing(server, "/assistants", beta) if obj.get("name") == "race-%s" % tag),
        "messages": sum(1 for message in _listing(server, "/threads/%s/messages" % thread_id, beta)
                        if message["role"] == "user"
                        and message["content"][0]["text"]["value"] == "The race question %s" % tag),
        "runs": sum(1 for run in _listing(server, "/threads/%s/runs" % thread_id, beta)
                    if (run.get("metadata") or {}).get("race") == tag),
        "items": sum(1 for item in _listing(server, "/conversations/%s/items" % conversation_id)
                     if item.get("type") == "message" and item["content"][0].get("text") == "The race item %s" % tag),
        "conversations": sum(1 for obj in state["conversations"].values()
                             if (obj.get("metadata") or {}).get("race") == tag),
        "threads": sum(1 for obj in state["threads"].values() if (obj.get("metadata") or {}).get("race") == tag),
    }


@pytest.fixture
def racing(tmp_path):
    with Emulator(api_key="sk-race-test", latency_ms=LATENCY_MS) as server:
        thread = _api(server, "POST", "/threads", {}, beta="assistants=v2")
        conversation = _api(server, "POST", "/conversations", {})
        yield server, thread["id"], conversation["id"]


def _log(line):
    os.makedirs(os.path.dirname(LOG_FILE), exist_ok=True)
    with open(LOG_FILE, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    print(line)


@pytest.mark.integration
def test_ten_forks_in_each_of_two_playbook_processes_make_one_of_each(racing, tmp_path):
    """Ten hosts a process, ten forks, two processes at once: twenty tasks race for each object."""
    server, thread_id, conversation_id = racing
    store = tmp_path / "names.json"  # one machine: the processes share the name store, as two runs on it do
    began = time.monotonic()
    processes = []
    for number in range(2):
        work = tmp_path / ("process-%d" % number)
        work.mkdir()
        hosts = ["p%d-racer-%02d" % (number, index) for index in range(10)]
        processes.append(_start(work, server, _inventory(work / "inventory.ini", hosts), "race", thread_id,
                                conversation_id, forks=10, store=store))
    results = [_finish(process) for process in processes]
    counts = _counts(server, "race", thread_id, conversation_id)
    recaps = dict(item for recap, _output in results for item in recap.items())
    _log("races, 2 processes x 10 forks at %d ms: %s in %.1fs; hosts that changed something: %d of %d; race "
         "warnings: %d" % (LATENCY_MS, counts, time.monotonic() - began,
                           sum(1 for changed, _failed in recaps.values() if changed), len(recaps),
                           sum(output.count("at the same time") for _recap, output in results)))
    assert len(recaps) == 20 and all(failed == 0 for _changed, failed in recaps.values()), recaps
    assert counts == dict.fromkeys(counts, 1), counts
