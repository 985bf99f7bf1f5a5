"""Check mode: the whole story played with --check sends no write request, and predicts the changes.

(a) On an empty emulator: every object would be created. A thread or conversation that check mode
    only pretends to create has no id, so the story (tests/integration/playbooks/story.yml) skips
    the tasks that need one (`when: ... id is not none`) instead of failing on them.
(b) After a real run, with other instructions and metadata given as extra vars: the check run
    predicts exactly the changes a real run with the same variables then makes, and writes nothing.

Writes are counted by the emulator (every non-GET /v1 request, whether it succeeded or not).
"""

import json
import os
import re
import subprocess
import sys

import pytest

from emulator.harness import Emulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(REPO, "tests", "integration", "playbooks", "story.yml")
BIN = os.path.dirname(sys.executable)
API_KEY = "sk-check-mode-test"
CHANGES = ("-e", json.dumps({"story_instructions": "You answer billing questions, in detail.", "story_team": "billing",
                             "story_channel": "email", "story_run_purpose": "answer-billing-question"}))


def play(tmp_path, server, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_HOME=str(tmp_path / "home"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_REMOTE_TMP=str(tmp_path / "tmp"),
               ANSIBLE_PIPELINING="1", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               OPENAI_API_KEY=API_KEY, OPENAI_BASE_URL=server.base_url)
    command = [os.path.join(BIN, "ansible-playbook"), PLAYBOOK, "--diff",
               "-e", "story_state_file=%s" % (tmp_path / "ids.yml")] + list(extra)
    proc = subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return output


def outcomes(output):
    """{task name (with its loop item): ok | changed | skipping} for every task result of the play."""
    found, task = {}, None
    for line in output.splitlines():
        header = re.match(r"TASK \[(.*)\] \*+$", line)
        if header:
            task = header.group(1)
            continue
        result = re.match(r"(ok|changed|skipping): \[localhost\](?: => \(item=(.*?)\))?", line)
        if result and task:
            found[task + (" [%s]" % result.group(2) if result.group(2) else "")] = result.group(1)
    return found


def changed(output):
    return sorted(task for task, outcome in outcomes(output).items() if outcome == "changed")


def objects(state_file):
    """Every object the emulator holds, by collection (the saved state file)."""
    with open(state_file, encoding="utf-8") as handle:
        return json.load(handle)["data"]


ASSISTANTS = "Assistants are as described"
THREAD = "The support thread exists, with its first message"
RUN = "The support assistant has answered, once (the run is found again by its metadata)"
CONVERSATION = "The support conversation exists, with its first message"
SESSION = "A ChatKit session for the web front end, minted again only when the kept one has expired"


@pytest.mark.integration
def test_check_mode_story_on_an_empty_emulator_writes_nothing(tmp_path, capsys):
    state_file = tmp_path / "emulator.json"
    with Emulator(api_key=API_KEY, run_seconds=0, state_file=state_file) as server:
        output = play(tmp_path, server, "--check")
        stats = server.stats()
    results = outcomes(output)
    with capsys.disabled():
        sys.stdout.write("\ncheck mode on an empty emulator: %d writes, %d reads; predicted changes: %s; skipped: %d tasks\n"
                         % (stats["writes"], stats["reads"], "; ".join(changed(output)),
                            sum(1 for outcome in results.values() if outcome == "skipping")))
    assert stats["writes"] == 0, stats["requests"]
    assert stats["reads"] > 0  # the assistants were looked up by name
    assert changed(output) == sorted([ASSISTANTS + " [story-support]", ASSISTANTS + " [story-weather]", THREAD,
                                      CONVERSATION, SESSION])
    # Tasks that need the id of an object check mode did not create are skipped, not failed.
    for task in ("The customer's question is in the thread (matched by content, never added twice)", RUN,
                 "What the run did", "The assistant's reply",
                 "The conversation holds the exchange so far (matched by content, never added twice)",
                 "Keep the thread id at once (threads cannot be listed)"):
        assert results[task] == "skipping", (task, results.get(task))
    assert not (tmp_path / "ids.yml").exists()
    assert not any(objects(state_file).values())


@pytest.mark.integration
def test_check_mode_story_after_a_real_run_predicts_changes_and_writes_nothing(tmp_path, capsys):
    state_file = tmp_path / "emulator.json"
    with Emulator(api_key=API_KEY, run_seconds=0, state_file=state_file) as server:
        play(tmp_path, server)
        before = objects(state_file)
        server.reset()
        output = play(tmp_path, server, "--check", *CHANGES)
        stats = server.stats()
        assert stats["writes"] == 0, stats["requests"]
        assert objects(state_file) == before
        predicted = changed(output)
        # The changes the check run predicted are the ones a real run with the same variables makes.
        applied = changed(play(tmp_path, server, *CHANGES))
        after = objects(state_file)
    with capsys.disabled():
        sys.stdout.write("\ncheck mode after a real run, other instructions and metadata: %d writes, %d reads; "
                         "predicted changes: %s; then applied: %s\n"
                         % (stats["writes"], stats["reads"], "; ".join(predicted), "; ".join(applied)))
    assert predicted == sorted([ASSISTANTS + " [story-support]", THREAD, RUN, CONVERSATION]), predicted
    assert applied == predicted, applied
    # --diff shows what would change.
    assert "You answer billing questions, in detail." in output and '"team": "billing"' in output
    assert '"channel": "email"' in output
    # ...and the real run made it so.
    support = [obj for obj in after["assistants"].values() if obj["name"] == "story-support"]
    assert [obj["instructions"] for obj in support] == ["You answer billing questions, in detail."]
    assert [obj["metadata"]["team"] for obj in after["threads"].values()] == ["billing"]
    assert [obj["metadata"]["channel"] for obj in after["conversations"].values()] == ["email"]
