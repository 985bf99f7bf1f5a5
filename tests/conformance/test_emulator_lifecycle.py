"""The emulator never outlives what started it (--exit-with), and records the modules' traffic (--record)."""

import json
import subprocess
import sys
import time

import requests

from emulator.harness import SERVER

MODULE_AGENT = {"User-Agent": "openai.beta-ansible/0.1.0", "Authorization": "Bearer sk-secret-key-123"}


def start(*args):
    process = subprocess.Popen([sys.executable, SERVER, "--port", "0", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    return process, process.stdout.readline().decode().strip()


def test_the_emulator_stops_when_the_process_it_exits_with_is_gone():
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    process, base_url = start("--exit-with", str(owner.pid))
    try:
        assert requests.get(base_url.replace("/v1", "/__emulator/health"), timeout=10).status_code == 200
        time.sleep(1.0)
        assert process.poll() is None, "the emulator stopped while its owner was alive"
        owner.kill()  # no chance to clean up: as when a test run is killed
        owner.wait()
        assert process.wait(10) == 0
    finally:
        for child in (owner, process):
            if child.poll() is None:
                child.kill()
                child.wait()
        process.stdout.close()


def test_the_modules_requests_are_recorded_without_their_key(tmp_path):
    record = tmp_path / "traffic.jsonl"
    process, base_url = start("--record", str(record))
    try:
        made = requests.post(base_url + "/conversations", json={"metadata": {"a": "b"}}, headers=MODULE_AGENT,
                             timeout=10).json()
        requests.get(base_url + "/conversations/conv_nope?x=1", headers=MODULE_AGENT, timeout=10)
        # not the collection's modules (the emulator's own tests send deliberately invalid requests): not recorded
        requests.post(base_url + "/conversations", json={"bogus": 1}, headers={"Authorization": "Bearer k"},
                      timeout=10)
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
    text = record.read_text()
    assert "sk-secret-key-123" not in text and "uthorization" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/v1/conversations", 200), ("GET", "/v1/conversations/conv_nope?x=1", 404)]
    assert lines[0]["body"] == {"metadata": {"a": "b"}} and lines[0]["answer"] == made
    assert lines[1]["answer"]["error"]["code"] is not None or lines[1]["answer"]["error"]["message"]
