"""The connection options: checked before any request, with Ansible's usual errors."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from ansible_collections.openai.beta.plugins.module_utils import connection
from ansible_collections.openai.beta.plugins.modules import openai_assistant_info

from modrun import ModuleFail, run

COLLECTIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 4, ".build", "collections")


def test_missing_requests_gives_the_usual_missing_library_error(monkeypatch):
    monkeypatch.setattr(connection, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    with pytest.raises(ModuleFail) as failed:
        run(openai_assistant_info.main, {"api_key": "sk-x", "base_url": "http://127.0.0.1:9/v1"})
    assert "Failed to import the required Python library (requests)" in failed.value.result["msg"]
    assert failed.value.result["exception"].startswith("Traceback")


@pytest.mark.parametrize("args,fragment", [
    ({"timeout": 0}, "timeout must be greater than 0"),
    ({"max_retries": 11}, "max_retries must be between 0 and 10"),
    ({"base_url": "http://api.example.com/v1"}, "base_url must use https unless its host is loopback"),
])
def test_connection_options_are_checked_first(args, fragment):
    with pytest.raises(ModuleFail, match=fragment):
        run(openai_assistant_info.main, dict({"api_key": "sk-x", "base_url": "http://127.0.0.1:9/v1"}, **args))


def test_environment_fallbacks(monkeypatch, emulator):
    monkeypatch.setenv("OPENAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("OPENAI_BASE_URL", emulator.base_url)
    assert run(openai_assistant_info.main, {"max_items": 1})["changed"] is False


def test_the_key_can_come_from_a_file_and_is_masked_like_the_option(monkeypatch, tmp_path, emulator):
    key_file = tmp_path / "key"
    key_file.write_text(emulator.api_key + "\n")  # the line end an editor adds
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY_FILE", str(key_file))
    emulator.reset()
    assert run(openai_assistant_info.main, {"base_url": emulator.base_url, "max_items": 1})["changed"] is False
    assert emulator.stats()["total"] == 1  # the emulator refuses a request without its key (HTTP 401)
    # the key read from the file is one of the values Ansible masks in every output of the module
    seen = {}
    monkeypatch.setattr(connection, "OpenAIClient", lambda **kwargs: seen.setdefault("api_key", kwargs["api_key"]))
    module = type("Module", (), {"params": dict(connection_params(), api_key_file=str(key_file)),
                                 "no_log_values": set(), "warn": None, "fail_json": None})()
    connection.build_client(module)
    assert seen["api_key"] == emulator.api_key and module.no_log_values == {emulator.api_key}


def test_the_api_key_option_wins_over_the_key_file(monkeypatch, tmp_path, emulator):
    key_file = tmp_path / "key"
    key_file.write_text("sk-not-this-one\n")
    monkeypatch.setenv("OPENAI_API_KEY_FILE", str(key_file))
    args = {"api_key": emulator.api_key, "base_url": emulator.base_url, "max_items": 1}
    assert run(openai_assistant_info.main, args)["changed"] is False


def connection_params():
    """The connection options as AnsibleModule hands them over when none is set."""
    return {name: spec.get("default") for name, spec in connection.connection_argument_spec().items()}


def test_a_key_from_the_file_is_masked_in_the_output_of_a_real_module_run(tmp_path):
    """The module as Ansible runs it (its own process, AnsibleModule's real exit): an error message that quotes the
    key (here through a base URL that holds it) shows it masked, as it would the api_key option's value."""
    key = "sk-from-a-file-" + secrets.token_hex(8)
    key_file = tmp_path / "key"
    key_file.write_text(key + "\n")
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "api_key_file": str(key_file), "base_url": "http://127.0.0.1:9/%s/v1" % key, "max_retries": 0, "timeout": 2}}))
    env = dict(os.environ, PYTHONPATH=COLLECTIONS_DIR)
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run([sys.executable, "-m", "ansible_collections.openai.beta.plugins.modules.openai_assistant_info",
                           str(args)], env=env, capture_output=True, text=True, timeout=60, check=False)
    result = json.loads(done.stdout)
    assert result["failed"] and "connection failed" in result["msg"], result
    assert "/********/v1" in result["msg"] and key not in done.stdout + done.stderr
