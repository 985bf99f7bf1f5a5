"""The API key never appears in output: -vvvv, --diff, successes and forced errors alike."""

import os
import secrets
import subprocess
import sys

import pytest

from emulator.harness import Emulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def play(args, env, tmp_path):
    full_env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
                    ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1", ANSIBLE_HOME=str(tmp_path / "home"),
                    ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), **env)
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-vvvv", "--diff"] + args, env=full_env,
                          cwd=str(tmp_path), capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def key():
    return "sk-leakcheck-" + secrets.token_hex(16)


@pytest.mark.integration
def test_key_never_shown_in_a_verbose_diff_run(key, tmp_path):
    with Emulator(api_key=key) as server:
        rc, output = play([os.path.join(REPO, "demo", "site.yml"), "-e", "demo_state_file=%s" % (tmp_path / "ids.yml")],
                          {"OPENAI_API_KEY": key, "OPENAI_BASE_URL": server.base_url}, tmp_path)
    assert rc == 0, output[-3000:]
    assert "changed=" in output and "EXEC" in output and "PUT " in output  # really at -vvvv
    assert key not in output
    assert key[len("sk-leakcheck-"):] not in output


@pytest.mark.integration
def test_key_never_shown_in_errors(key, tmp_path):
    playbook = tmp_path / "errors.yml"
    playbook.write_text("""
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Rejected by the server (wrong key)
      openai.beta.openai_assistant: {name: x, model: gpt-4o, api_key: "{{ lookup('env', 'WRONG_KEY') }}", base_url: "{{ url }}"}
      ignore_errors: true
    - name: Unreachable server
      openai.beta.openai_conversation: {api_key: "{{ lookup('env', 'WRONG_KEY') }}", base_url: "http://127.0.0.1:9/v1", max_retries: 0}
      ignore_errors: true
    - name: Invalid input
      openai.beta.openai_assistant: {name: x, temperature: 9, api_key: "{{ lookup('env', 'WRONG_KEY') }}", base_url: "{{ url }}"}
      ignore_errors: true
""")
    wrong = key + "-wrong"
    with Emulator(api_key=key) as server:
        rc, output = play([str(playbook), "-e", "url=%s" % server.base_url], {"WRONG_KEY": wrong}, tmp_path)
    assert rc == 0, output[-3000:]
    assert output.count("...ignoring") == 3
    assert "HTTP 401" in output and "temperature must be between 0 and 2" in output
    assert wrong not in output and key not in output
