"""Molecule's default scenario, and the role openai.beta.assistants at scale, against the emulator.

``test_molecule_default_scenario`` runs ``molecule test`` from the repository root (Molecule 26 finds the
collection's scenarios under extensions/molecule/ because galaxy.yml is there): the scenario starts its own
emulator, converges the role and the thread/conversation modules, runs Molecule's idempotence step, verifies
with the _info modules and stops the emulator.

The other tests play the role with ansible-playbook and count the emulator's requests: the no-change converge of
N assistants must cost one listing (N/100 requests), never one lookup per assistant.

Environment: OPENAI_IT_TIMEOUT (seconds one ansible-playbook or molecule run may take, default 900).
"""

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(TESTS_DIR)
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")
SCENARIO_DIR = os.path.join(REPO_ROOT, "extensions", "molecule", "default")
BIN = os.path.dirname(sys.executable)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x1b]*\x1b\\")
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
MARKER = {"managed_by": "openai.beta.assistants"}
TIMEOUT = float(os.environ.get("OPENAI_IT_TIMEOUT", "900"))

pytestmark = pytest.mark.integration


def _tool(name):
    for directory in (BIN, os.path.join(REPO_ROOT, ".venv", "bin")):
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK):
            return path
    pytest.fail("%s not found next to %s nor in .venv/bin: run `make setup`" % (name, sys.executable), pytrace=False)


def _env(tmp_path, **extra):
    """The developer's own Ansible, Molecule and OpenAI settings must not change the result."""
    # but the emulator Molecule starts must stop with this test run (tests/conftest.py: OPENAI_EMULATOR_EXIT_WITH)
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(("ANSIBLE_", "MOLECULE_", "OPENAI_")) or name == "OPENAI_EMULATOR_EXIT_WITH")
    env.update({
        "PATH": os.pathsep.join([os.path.dirname(_tool("ansible-playbook")), env.get("PATH", "")]),
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_DIR,
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def _run(cmd, cwd, env):
    try:
        proc = subprocess.run(cmd, cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, text=True, errors="replace", timeout=TIMEOUT, check=False)
        return proc.returncode, ANSI.sub("", proc.stdout)
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, ANSI.sub("", output) + "\n[timed out after %ss: OPENAI_IT_TIMEOUT]" % TIMEOUT


def _collection_linked():
    if not os.path.isdir(os.path.join(COLLECTIONS_DIR, "ansible_collections", "openai", "beta")):
        pytest.fail("collection link missing under %s (tests/conftest.py or `make collection` creates it)"
                    % COLLECTIONS_DIR, pytrace=False)


# ------------------------------------------------------------------------------------------------------ Molecule

def test_molecule_default_scenario(tmp_path):
    _collection_linked()
    assert os.path.isfile(os.path.join(SCENARIO_DIR, "molecule.yml"))
    # An ephemeral directory of its own: concurrent runs (and the developer's own `molecule test`) do not collide.
    env = _env(tmp_path, MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path / "molecule"))
    cmd = [_tool("molecule"), "test", "--scenario-name", "default"]
    rc, output = _run(cmd, REPO_ROOT, env)
    assert rc == 0, "molecule test failed (rc=%s); re-run: cd %s && %s\n%s" % (
        rc, REPO_ROOT, " ".join(shlex.quote(part) for part in cmd), output[-20000:])

    steps = dict(re.findall(r"^default (?:➜|>) (\w+): Executed: (.+?)\s*$", output, re.M))  # the DETAILS section
    for step in ("syntax", "create", "prepare", "converge", "idempotence", "verify", "destroy"):
        assert steps.get(step) == "Successful", "step %s: %r\n%s" % (step, steps.get(step), output[-20000:])
    assert re.search(r"^default\s*: actions=\d+\s+successful=\d+\s+disabled=0\s+skipped=0\s+missing=0\s+failed=0",
                     output, re.M), output[-5000:]
    # the emulator the scenario started was stopped, and its files removed, by destroy.yml
    assert not (tmp_path / "molecule" / "emulator.pid").exists()


# --------------------------------------------------------------------------------------- the role at scale

def _definition(index):
    """Definitions that exercise every kind of option the role compares."""
    item = {"name": "scale-%04d" % index, "model": "gpt-4o", "metadata": {"index": str(index)}}
    if index % 3 == 0:
        item["tools"] = [{"type": "code_interpreter"}]
    if index % 5 == 0:
        item["response_format"] = {"type": "json_object"}
        item["instructions"] = "Answer in JSON."
    if index % 7 == 0:
        item["temperature"] = 0.5
        item["top_p"] = 0.9
    if index % 11 == 0:
        item["tools"] = [{"type": "function", "function": {
            "name": "lookup_%d" % index, "description": "Look something up",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}}}]
    return item


def _api(emulator, method, path, body=None):
    request = urllib.request.Request(
        emulator.base_url + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer %s" % emulator.api_key, "OpenAI-Beta": "assistants=v2",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode())


def _all_assistants(emulator):
    found, after = [], None
    while True:
        page = _api(emulator, "GET", "/assistants?limit=100&order=asc" + ("&after=%s" % after if after else ""))
        found += page["data"]
        if not page["has_more"]:
            return found
        after = page["last_id"]


def _play_role(tmp_path, emulator, definitions, purge=False, check=False, name="role"):
    """Play the role against the emulator with its connection variables; returns (changed, output)."""
    work = tmp_path / name
    work.mkdir()
    role_vars = {"openai_assistants": definitions, "openai_assistants_purge": purge,
                 "openai_api_key": emulator.api_key, "openai_base_url": emulator.base_url}
    (work / "vars.json").write_text(json.dumps(role_vars))
    (work / "play.yml").write_text(json.dumps([{
        "name": "The role openai.beta.assistants", "hosts": "localhost", "gather_facts": False,
        "vars_files": [str(work / "vars.json")], "roles": [{"role": "openai.beta.assistants"}]}]))
    (work / "inventory.ini").write_text("localhost ansible_connection=local ansible_python_interpreter=%s\n"
                                        % sys.executable)
    cmd = [_tool("ansible-playbook"), "-i", "inventory.ini", "play.yml"] + (["--check"] if check else [])
    rc, output = _run(cmd, work, _env(tmp_path, ANSIBLE_PIPELINING="true", ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false"))
    recap = RECAP.search(output)
    assert rc == 0 and recap, "ansible-playbook failed (rc=%s)\n%s" % (rc, output[-20000:])
    assert emulator.api_key not in output
    return int(recap.group(2)), output


def _counts(emulator):
    stats = emulator.stats()
    requests = stats["requests"]
    return {
        "total": stats["total"],
        "list": requests.get("GET /v1/assistants", 0),
        "get": requests.get("GET /v1/assistants/{assistant_id}", 0),
        "create": requests.get("POST /v1/assistants", 0),
        "update": requests.get("POST /v1/assistants/{assistant_id}", 0),
        "delete": requests.get("DELETE /v1/assistants/{assistant_id}", 0),
    }


def test_role_converges_300_assistants_with_one_listing(fresh_emulator, tmp_path):
    _collection_linked()
    emulator = fresh_emulator
    # Assistants the role must never purge: unmarked ones, and one marked by another set of definitions.
    for index in range(3):
        _api(emulator, "POST", "/assistants", {"name": "by-hand-%d" % index, "model": "gpt-4o",
                                               "metadata": {"owner": "someone-else"}})
    _api(emulator, "POST", "/assistants", {"name": "other-team", "model": "gpt-4o",
                                           "metadata": {"managed_by": "another-team"}})
    definitions = [_definition(index) for index in range(300)]

    # From scratch: exactly 300 creates, nothing updated or deleted.
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, definitions, name="create")
    created = _counts(emulator)
    print("300 from scratch:", created)
    assert changed == 1
    assert (created["create"], created["update"], created["delete"]) == (300, 0, 0), created
    account = _all_assistants(emulator)
    assert len(account) == 304
    by_name = dict((obj["name"], obj) for obj in account)
    assert by_name["scale-0000"]["metadata"] == dict(MARKER, index="0")
    assert by_name["scale-0055"]["response_format"] == {"type": "json_object"}
    assert by_name["scale-0055"]["tools"][0]["function"]["name"] == "lookup_55"
    assert by_name["scale-0007"]["temperature"] == 0.5

    # No change: one listing of 304 assistants (4 pages of 100) and nothing else.
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, definitions, name="no-change")
    unchanged = _counts(emulator)
    print("300 (+4 foreign) no change:", unchanged)
    assert changed == 0
    assert unchanged["total"] <= 5 and unchanged["list"] == unchanged["total"] == 4, unchanged

    # One definition changed: the listing plus that assistant updated, no other read.
    definitions[42] = dict(definitions[42], instructions="Changed.")
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, definitions, name="one-change")
    one = _counts(emulator)
    assert changed == 1 and "scale-0042: update (instructions)" in output
    assert (one["list"], one["get"], one["update"], one["create"], one["delete"]) == (4, 0, 1, 0, 0), one

    # Purge, in check mode first: nothing is written.
    kept = definitions[:290]
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, kept, purge=True, check=True, name="purge-check")
    assert changed == 1 and emulator.stats()["writes"] == 0
    assert output.count(": delete (purge)") == 10

    # Purge: the 10 marked assistants no longer listed are deleted, and only they.
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, kept, purge=True, name="purge")
    purged = _counts(emulator)
    print("purge of 10:", purged)
    assert changed == 1
    assert (purged["delete"], purged["create"], purged["update"]) == (10, 0, 0), purged
    names = sorted(obj["name"] for obj in _all_assistants(emulator))
    assert names == sorted(["by-hand-0", "by-hand-1", "by-hand-2", "other-team"] + [d["name"] for d in kept])

    # And the purge converged: running it again changes nothing, with one listing.
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, kept, purge=True, name="purge-again")
    assert changed == 0 and _counts(emulator)["total"] == 3


def test_role_no_change_converge_of_1000_assistants(fresh_emulator, tmp_path):
    """Issue 7's scale: 1,000 assistants that already are as defined cost one listing (10 requests)."""
    _collection_linked()
    emulator = fresh_emulator
    definitions = [_definition(index) for index in range(1000)]
    for definition in definitions:  # as the role would have created them: the definition plus the marker
        _api(emulator, "POST", "/assistants", dict(definition, metadata=dict(definition["metadata"], **MARKER)))
    emulator.reset()
    changed, output = _play_role(tmp_path, emulator, definitions, purge=True, name="no-change-1000")
    counts = _counts(emulator)
    print("1000 no change:", counts)
    assert changed == 0
    assert counts["total"] <= 12 and counts["list"] == counts["total"] == 10, counts


def test_role_refuses_ambiguous_names_before_any_change(fresh_emulator, tmp_path):
    emulator = fresh_emulator
    ids = [_api(emulator, "POST", "/assistants", {"name": "twin", "model": "gpt-4o"})["id"] for dummy in range(2)]
    emulator.reset()
    with pytest.raises(AssertionError) as failure:
        _play_role(tmp_path, emulator, [{"name": "twin", "model": "gpt-4o"}, {"name": "new", "model": "gpt-4o"}])
    message = str(failure.value)
    assert "2 assistants are named 'twin'" in message and ids[0] in message and ids[1] in message
    assert emulator.stats()["writes"] == 0
