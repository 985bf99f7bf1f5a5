"""Secrets never shown: every module, at -vvvv with --diff, in check mode and for real, and in forced errors.

One ansible-playbook run against the emulator, two plays:
- Story (localhost): every one of the 16 modules, each once in check mode and for real (creates, updates
  with diffs, reads, deletes), the API key given as a task argument (module_defaults) templated from the
  environment;
- Forced errors: every module once on each of four local hosts, in parallel (one host per case):
  wrong_key (another key: HTTP 401), unreachable (a closed port; no api_key option, so the modules read
  OPENAI_API_KEY themselves), invalid_input (input rejected before any request), not_found (ids the
  server does not know: a 404 on the way).

Neither key (nor either key without its "sk-" prefix) appears anywhere in stdout or stderr. ChatKit
sessions are minted in the same run with no_log: false; their client secrets, read back from the
emulator's state file, each appear exactly once in the whole output: in the result of the task that
minted the session, after its diff, never in the diff, in a warning, or in any other task's output.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest
import yaml

from emulator.harness import Emulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
NS = "openai.beta."
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(REPO, "plugins", "modules"))
                 if name.startswith("openai_") and name.endswith(".py"))
assert len(MODULES) == 17, MODULES
SESSIONS = 3


def closed_port():
    """A local port nobody listens on (it was free a moment ago): connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


UNREACHABLE = "http://127.0.0.1:%d/v1" % closed_port()
WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                                 "parameters": {"type": "object",
                                                                "properties": {"city": {"type": "string"}}}}}


def task(name, module, args, **keywords):
    """One task; `module` without the collection prefix."""
    return dict({"name": name, NS + module: args}, **keywords)


def check(name, module, args):
    return task(name + " (check mode)", module, args, check_mode=True)


def story(seeded_thread):
    """Every module in check mode once, and for real: creates, updates, reads, deletes, in an order that feeds
    each task the ids it needs."""
    thread = "{{ thread.thread.id }}"
    conversation = "{{ conversation.conversation.id }}"
    assistant_args = {"name": "leak-check", "model": "gpt-4o", "instructions": "Be brief.", "tools": [WEATHER_TOOL],
                      "metadata": {"team": "a"}}
    message_args = {"thread_id": thread, "role": "user", "content": "Weather? call:get_weather", "metadata": {"n": 1}}
    run_args = {"thread_id": thread, "assistant_id": "{{ assistant.assistant.id }}", "metadata": {"purpose": "leak"},
                "wait": True, "wait_timeout": 30}
    conversation_args = {"items": [{"role": "user", "content": "Hi"}], "metadata": {"topic": "leak"}}
    items_args = {"conversation_id": conversation,
                  "items": [{"role": "assistant", "content": "Hello!", "phase": "final_answer"},
                            {"type": "function_call_output", "call_id": "call_1", "output": "{}"}]}
    session_args = {"user": "leak-user", "workflow": {"id": "wf_leak", "state_variables": {"plan": "pro"}},
                    "expires_after": {"seconds": 600}, "chatkit_configuration": {"history": {"recent_threads": 3}}}
    tasks = [
        check("Assistant", "openai_assistant", assistant_args),
        task("Assistant", "openai_assistant", assistant_args, register="assistant"),
        task("Assistant changed", "openai_assistant",
             {"assistant_id": "{{ assistant.assistant.id }}", "instructions": "Be very brief.", "temperature": 0.5}),
        check("Fleet", "openai_assistant_fleet", {"assistants": [dict(assistant_args, name="leak-fleet")]}),
        task("Fleet", "openai_assistant_fleet", {"assistants": [dict(assistant_args, name="leak-fleet")]}),
        task("Fleet changed", "openai_assistant_fleet",
             {"assistants": [dict(assistant_args, name="leak-fleet", instructions="Be briefer.")]}),
        check("Assistant info", "openai_assistant_info", {"name": "leak-check"}),
        task("Assistant info", "openai_assistant_info", {"name": "leak-check"}),
        check("Thread", "openai_thread", {"messages": [{"role": "user", "content": "Hello"}]}),
        task("Thread", "openai_thread", {"messages": [{"role": "user", "content": "Hello"}],
                                         "metadata": {"case": "leak"}}, register="thread"),
        task("Thread changed", "openai_thread", {"thread_id": thread, "metadata": {"case": "leak", "more": "yes"}}),
        check("Thread info", "openai_thread_info", {"thread_id": thread}),
        task("Thread info", "openai_thread_info", {"thread_id": thread}),
        check("Message", "openai_thread_message", message_args),
        task("Message", "openai_thread_message", message_args, register="message"),
        task("Message changed", "openai_thread_message",
             {"thread_id": thread, "message_id": "{{ message.message.id }}", "metadata": {"n": 2}}),
        check("Message info", "openai_thread_message_info", {"thread_id": thread}),
        task("Message info", "openai_thread_message_info", {"thread_id": thread}),
        check("Run", "openai_thread_run", run_args),
        task("Run", "openai_thread_run", run_args, register="run"),
        task("Run fed", "openai_thread_run",
             {"thread_id": thread, "run_id": "{{ run.run.id }}", "wait": True, "wait_timeout": 30,
              "tool_outputs": [{"tool_call_id": "{{ run.run.required_action.submit_tool_outputs.tool_calls[0].id }}",
                                "output": '{"temp_c": 21}'}]}),
        check("Run info", "openai_thread_run_info", {"thread_id": thread}),
        task("Run info", "openai_thread_run_info", {"thread_id": thread}),
        check("Run steps", "openai_thread_run_step_info", {"thread_id": thread, "run_id": "{{ run.run.id }}"}),
        task("Run steps", "openai_thread_run_step_info", {"thread_id": thread, "run_id": "{{ run.run.id }}"}),
        check("Conversation", "openai_conversation", conversation_args),
        task("Conversation", "openai_conversation", conversation_args, register="conversation"),
        task("Conversation changed", "openai_conversation",
             {"conversation_id": conversation, "metadata": {"topic": "other"}}),
        check("Conversation info", "openai_conversation_info", {"conversation_id": conversation}),
        task("Conversation info", "openai_conversation_info", {"conversation_id": conversation}),
        check("Items", "openai_conversation_item", items_args),
        task("Items", "openai_conversation_item", items_args, register="items"),
        check("Items info", "openai_conversation_item_info", {"conversation_id": conversation}),
        task("Items info", "openai_conversation_item_info", {"conversation_id": conversation, "order": "asc"}),
        check("Session", "openai_chatkit_session", session_args),
    ]
    for index in range(1, SESSIONS + 1):
        tasks.append(task("Mint session %d" % index, "openai_chatkit_session", session_args, no_log=False,
                          register="session%d" % index))
    tasks += [
        task("Session cancelled", "openai_chatkit_session", {"session_id": "{{ session1.session.id }}",
                                                             "state": "absent"}),
        task("ChatKit thread exists", "openai_chatkit_thread", {"thread_id": seeded_thread}),
        check("ChatKit thread info", "openai_chatkit_thread_info", {"user": "leak-user"}),
        task("ChatKit thread info", "openai_chatkit_thread_info", {"user": "leak-user", "include_items": True}),
        check("ChatKit thread deleted", "openai_chatkit_thread", {"thread_id": seeded_thread, "state": "absent"}),
        task("ChatKit thread deleted", "openai_chatkit_thread", {"thread_id": seeded_thread, "state": "absent"}),
        task("Item deleted", "openai_conversation_item",
             {"conversation_id": conversation, "item_id": "{{ items.conversation_items[0].id }}", "state": "absent"}),
        task("Conversation deleted", "openai_conversation", {"conversation_id": conversation, "state": "absent"}),
        task("Run absent (finished: nothing to cancel)", "openai_thread_run",
             {"thread_id": thread, "run_id": "{{ run.run.id }}", "state": "absent"}),
        task("Message deleted", "openai_thread_message",
             {"thread_id": thread, "message_id": "{{ message.message.id }}", "state": "absent"}),
        task("Thread deleted", "openai_thread", {"thread_id": thread, "state": "absent"}),
        task("Assistant deleted", "openai_assistant", {"assistant_id": "{{ assistant.assistant.id }}",
                                                       "state": "absent"}),
    ]
    return tasks


# Valid tasks of every module (ids well-formed, objects unknown to the server): the wrong key and the
# unreachable server fail them; "not found" is what the server says to each.
VALID = {
    "openai_assistant": {"assistant_id": "asst_nope", "name": "x"},
    "openai_assistant_fleet": {"assistants": [{"name": "nope", "state": "absent"}]},
    "openai_assistant_info": {"assistant_id": "asst_nope"},
    "openai_chatkit_session": {"session_id": "cksess_nope", "state": "absent"},
    "openai_chatkit_thread": {"thread_id": "cthr_nope"},
    "openai_chatkit_thread_info": {"thread_id": "cthr_nope"},
    "openai_conversation": {"conversation_id": "conv_nope", "metadata": {"a": "b"}},
    "openai_conversation_info": {"conversation_id": "conv_nope"},
    "openai_conversation_item": {"conversation_id": "conv_nope", "items": [{"role": "user", "content": "x"}]},
    "openai_conversation_item_info": {"conversation_id": "conv_nope"},
    "openai_thread": {"thread_id": "thread_nope", "metadata": {"a": "b"}},
    "openai_thread_info": {"thread_id": "thread_nope"},
    "openai_thread_message": {"thread_id": "thread_nope", "role": "user", "content": "x"},
    "openai_thread_message_info": {"thread_id": "thread_nope"},
    "openai_thread_run": {"thread_id": "thread_nope", "run_id": "run_nope"},
    "openai_thread_run_info": {"thread_id": "thread_nope"},
    "openai_thread_run_step_info": {"thread_id": "thread_nope", "run_id": "run_nope"},
}
# What the server's "not found" does to each: a failure, or an empty / unchanged result.
NOT_FOUND_IS_AN_ANSWER = {"openai_assistant_fleet", "openai_assistant_info", "openai_chatkit_session",
                          "openai_chatkit_thread_info",
                          "openai_conversation_info", "openai_thread_info"}
INVALID = {
    "openai_assistant": {"name": "x", "model": "gpt-4o", "temperature": 9},
    "openai_assistant_fleet": {"assistants": [{"name": "x", "model": "gpt-4o", "temperature": 9}]},
    "openai_assistant_info": {"assistant_id": "asst_../x"},
    "openai_chatkit_session": {"user": "u", "workflow": {"id": "wf_1"}, "expires_after": {"seconds": 601}},
    "openai_chatkit_thread": {"thread_id": "cthr_a b"},
    "openai_chatkit_thread_info": {"after": "cthr_a", "before": "cthr_b"},
    "openai_conversation": {"items": [{"role": "robot", "content": "x"}]},
    "openai_conversation_info": {"conversation_id": "conv_x\n"},
    "openai_conversation_item": {"conversation_id": "conv_a", "items": [{"role": "user", "content": "x"}] * 21},
    "openai_conversation_item_info": {"conversation_id": "conv_a", "max_items": 0},
    "openai_thread": {"messages": [{"role": "user", "content": "x"}] * 33},
    "openai_thread_info": {"thread_id": "asst_abc"},
    "openai_thread_message": {"thread_id": "thread_a", "role": "user", "content": "x",
                              "metadata": dict(("k%d" % i, "v") for i in range(17))},
    "openai_thread_message_info": {"thread_id": "thread_a", "order": "sideways"},
    "openai_thread_run": {"thread_id": "thread_a", "assistant_id": "asst_a", "max_prompt_tokens": 255},
    "openai_thread_run_info": {"thread_id": "thread_a", "max_items": -1},
    "openai_thread_run_step_info": {"thread_id": "thread_a", "run_id": "run_a", "step_id": "step_../x"},
}
assert sorted(VALID) == sorted(INVALID) == MODULES


CASES = {
    # host: (api_key, base_url, the tasks' options)
    "wrong_key": ("{{ lookup('env', 'WRONG_KEY') }}", "{{ url }}", VALID),
    "unreachable": (None, UNREACHABLE, VALID),  # no api_key: the modules read OPENAI_API_KEY themselves
    "invalid_input": ("{{ lookup('env', 'OPENAI_API_KEY') }}", "{{ url }}", INVALID),
    "not_found": ("{{ lookup('env', 'OPENAI_API_KEY') }}", "{{ url }}", VALID),
}


def inventory():
    hosts = {"localhost": {}}
    for host, (api_key, base_url, options) in CASES.items():
        hosts[host] = {"case_base_url": base_url, "case_options": options}
        if api_key:
            hosts[host]["case_api_key"] = api_key
    return {"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
                    "hosts": hosts}}


def error_task(module):
    """The module with each case host's options (an option a case does not set is omitted)."""
    names = sorted(set(VALID[module]) | set(INVALID[module]))
    args = dict((name, "{{ case_options['%s'].get('%s', omit) }}" % (module, name)) for name in names)
    return task("Errors: %s" % module, module, args, ignore_errors=True)


def playbook(seeded_thread):
    defaults = {"api_key": "{{ lookup('env', 'OPENAI_API_KEY') }}", "base_url": "{{ url }}", "max_retries": 0}
    return [
        {"name": "Story", "hosts": "localhost", "gather_facts": False,
         "module_defaults": {"group/openai.beta.all": defaults}, "tasks": story(seeded_thread)},
        {"name": "Forced errors, one host per case", "hosts": ",".join(CASES), "gather_facts": False,
         "module_defaults": {"group/openai.beta.all": {"api_key": "{{ case_api_key | default(omit) }}",
                                                       "base_url": "{{ case_base_url }}", "max_retries": 0,
                                                       "timeout": 10}},
         "tasks": [error_task(module) for module in MODULES]},
    ]


def blocks(output):
    """{task name: the output of that task} (each task name of the playbook is unique)."""
    found = {}
    for chunk in re.split(r"\n(?=TASK \[)", output):
        match = re.match(r"TASK \[(.*?)\]", chunk)
        if match:
            assert match.group(1) not in found, "task names must be unique: %s" % match.group(1)
            found[match.group(1)] = chunk
    return found


def host_results(chunk):
    """{host: (status, result text)} of one task's output."""
    return dict((host, (status, text)) for status, host, text in re.findall(
        r"^(ok|changed|fatal): \[(\w+)\]:? (?:FAILED! )?=> (\{.*?^\})", chunk, re.M | re.S))


@pytest.fixture
def keys():
    return "sk-leakall-" + secrets.token_hex(16), "sk-leakwrong-" + secrets.token_hex(16)


@pytest.mark.integration
def test_no_secret_leaks_from_any_module(keys, tmp_path):
    key, wrong = keys
    state_file = tmp_path / "emulator-state.json"
    with Emulator(api_key=key, state_file=state_file, run_seconds=0.2) as server:
        seeded = server.seed_chatkit_thread("leak-user", title="Leak check", items=[{"role": "user", "text": "hi"}])
        (tmp_path / "site.yml").write_text(yaml.safe_dump(playbook(seeded["id"]), sort_keys=False))
        (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory()))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
                   ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1", ANSIBLE_HOME=str(tmp_path / "home"),
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_PIPELINING="0", OPENAI_API_KEY=key,
                   WRONG_KEY=wrong)
        env.pop("OPENAI_BASE_URL", None)
        started = time.monotonic()
        proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-vvvv", "--diff", "-f", str(len(CASES)),
                               "-i", "inventory.yml", "site.yml", "-e", "url=%s" % server.base_url],
                              env=env, cwd=str(tmp_path), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              check=False)
        elapsed = time.monotonic() - started
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-5000:]
    print("ansible-playbook took %.1f s" % elapsed)
    with open(state_file, encoding="utf-8") as handle:
        sessions = json.load(handle)["data"]["chatkit_sessions"]
    check_output(output, sessions, key, wrong)


def check_output(output, sessions, key, wrong):
    # -- it really ran every module, verbosely, in check mode and for real ------------------------------
    assert "EXEC" in output and "PUT " in output and "--- before" in output
    ran = blocks(output)
    modules_of = dict((name, re.search(r"AnsiballZ_(openai_\w+)\.py", ran[name]).group(1)) for name in ran)
    checked = set(module for name, module in modules_of.items() if name.endswith("(check mode)"))
    assert checked == set(MODULES), set(MODULES) - checked
    for name, chunk in ran.items():
        if name.endswith("(check mode)"):
            assert '"changed": true' in chunk or '"changed": false' in chunk, name
    story = [name for name in ran if not name.startswith("Errors: ")]
    assert set(modules_of[name] for name in story) == set(MODULES)

    # -- and failed where it had to: the four forced errors, every module ---------------------------------
    recap = dict((host, int(ignored)) for host, ignored in re.findall(
        r"^(\w+)\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=(\d+)",
        output, re.M))
    assert recap == {"localhost": 0, "wrong_key": len(MODULES), "unreachable": len(MODULES),
                     "invalid_input": len(MODULES), "not_found": len(MODULES) - len(NOT_FOUND_IS_AN_ANSWER)}, recap
    for module in MODULES:
        results = host_results(ran["Errors: %s" % module])
        assert sorted(results) == sorted(CASES), (module, sorted(results))
        assert results["wrong_key"][0] == "fatal" and "HTTP 401" in results["wrong_key"][1], module
        assert results["unreachable"][0] == "fatal" and "connection failed" in results["unreachable"][1], module
        assert results["invalid_input"][0] == "fatal" and '"request_id"' not in results["invalid_input"][1], module
        not_found = results["not_found"]
        if module in NOT_FOUND_IS_AN_ANSWER:
            assert not_found[0] in ("ok", "changed"), (module, not_found)
        else:
            assert not_found[0] == "fatal" and re.search(r"HTTP 404|not found", not_found[1]), (module, not_found)

    # -- the API keys: nowhere ------------------------------------------------------------------------
    for secret in (key, wrong, key[len("sk-"):], wrong[len("sk-"):], key.split("-")[-1], wrong.split("-")[-1]):
        assert secret not in output, "a key leaked: %s" % secret

    # -- the ChatKit client secrets: once each, in the result of the task that minted it ---------------
    assert len(sessions) == SESSIONS
    minted = {}
    for index in range(1, SESSIONS + 1):
        chunk = ran["Mint session %d" % index]
        minted[re.search(r'"id": "(cksess_\w+)"', chunk).group(1)] = chunk
    assert sorted(minted) == sorted(sessions)
    for session_id, session in sessions.items():
        secret = session["client_secret"]
        assert secret.startswith("ek_")
        assert output.count(secret) == 1, "client secret of %s shown %d times" % (session_id, output.count(secret))
        chunk = minted[session_id]
        diff_at, result_at, secret_at = chunk.index("--- before"), chunk.index("changed: [localhost] => {"), \
            chunk.index(secret)
        assert diff_at < result_at < secret_at, "the secret must be in the task result, after the diff"
        assert "client_secret" not in chunk[diff_at:result_at]
        assert secret not in json.dumps(json.loads(host_results(chunk)["localhost"][1]).get("warnings", []))
    assert '"client_secret": null' in ran["Session (check mode)"]
