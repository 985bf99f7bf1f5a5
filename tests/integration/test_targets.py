"""Run every integration target (tests/integration/targets/<name>) with ansible-playbook against the emulator.

The targets use ansible-test's layout, and this driver plays them the way ``ansible-test integration``
does: each target is a role (``roles_path`` = the targets directory, so ``include_role: setup_*`` and
``needs/target/...`` helpers, ``defaults/``, ``files/`` ... work), its variables come from an
``integration_config.yml`` (see integration_config.yml.template), and targets that ansible-test would
not run on their own (``setup_*``/``prepare_*`` names, a ``hidden`` alias, no tasks/main.yml) are not
run here either.  Differences from ansible-test: the play runs on ``localhost`` (``connection: local``,
``gather_facts: false``, the venv's python) and also sets
``module_defaults: {group/openai.beta.all: {base_url, api_key}}``.

Environment:
  OPENAI_IT_VERBOSITY   ansible-playbook verbosity: a number of v's (``4`` = ``-vvvv``), or yes/true = 4
  OPENAI_IT_TIMEOUT     seconds one target may take (default 900)
  OPENAI_IT_TARGETS     space/comma separated target names to run (default: all)
"""

import json
import os
import re
import shlex
import subprocess
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(TESTS_DIR)
TARGETS_DIR = os.path.join(TESTS_DIR, "integration", "targets")
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")

# Aliases with which ansible-test does not run a target in CI.
SKIP_ALIASES = {"disabled": "disabled", "unsupported": "unsupported (needs something CI does not have)"}


def _aliases(path):
    try:
        with open(os.path.join(path, "aliases"), encoding="utf-8") as handle:
            return [line.split("#", 1)[0].strip() for line in handle if line.split("#", 1)[0].strip()]
    except FileNotFoundError:
        return []


def discover_targets():
    """(name, marks) of the targets ansible-test would run as tests, sorted by name."""
    found = []
    if not os.path.isdir(TARGETS_DIR):
        return found
    wanted = {t for t in re.split(r"[\s,]+", os.environ.get("OPENAI_IT_TARGETS", "")) if t}
    for name in sorted(os.listdir(TARGETS_DIR)):
        path = os.path.join(TARGETS_DIR, name)
        if not os.path.isdir(path) or name.startswith("."):
            continue
        aliases = _aliases(path)
        if name.startswith(("setup_", "prepare_")) or "hidden" in aliases:
            continue  # helpers used by other targets, as in ansible-test
        if wanted and name not in wanted:
            continue
        marks = []
        for alias, reason in SKIP_ALIASES.items():
            if alias in aliases:
                marks.append(pytest.mark.skip(reason="target %s is %s (aliases file)" % (name, reason)))
        if not os.path.isfile(os.path.join(path, "tasks", "main.yml")) \
                and not os.path.isfile(os.path.join(path, "runme.sh")):
            continue  # neither a role nor a script: not a target (ansible-test hides it too)
        found.append(pytest.param(name, marks=marks, id=name))
    return found


TARGETS = discover_targets()


def _verbosity():
    value = os.environ.get("OPENAI_IT_VERBOSITY", "").strip().lower()
    if not value or value in ("0", "no", "false", "off"):
        return []
    if value in ("yes", "true", "on"):
        return ["-vvvv"]
    if value.isdigit():
        return ["-" + "v" * min(int(value), 6)]
    if re.fullmatch(r"-?v+", value):
        return ["-" + value.lstrip("-")]
    raise ValueError("OPENAI_IT_VERBOSITY must be a number of v's (e.g. 4) or yes/no, not %r" % value)


def _ansible_playbook():
    """ansible-playbook from the venv that runs pytest (the project's .venv under make)."""
    candidate = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if os.access(candidate, os.X_OK):
        return candidate
    candidate = os.path.join(REPO_ROOT, ".venv", "bin", "ansible-playbook")
    if os.access(candidate, os.X_OK):
        return candidate
    pytest.fail("ansible-playbook not found next to %s nor in .venv/bin: run `make setup`" % sys.executable, pytrace=False)


def _python():
    """The interpreter the modules run with on localhost: the one running pytest (it has requests)."""
    return sys.executable


def _yaml(value):
    """JSON is YAML: write generated files without depending on a YAML library's formatting."""
    return json.dumps(value, indent=2, sort_keys=False) + "\n"


def _write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


@pytest.mark.integration
@pytest.mark.parametrize("target", TARGETS or [pytest.param(None, id="no-targets")])
def test_target(target, emulator, tmp_path):
    if target is None:
        pytest.fail("no integration targets found in %s: expected one directory per module, each with "
                    "tasks/main.yml and an aliases file (ansible-test layout)%s"
                    % (os.path.relpath(TARGETS_DIR, REPO_ROOT),
                       " matching OPENAI_IT_TARGETS=%r" % os.environ["OPENAI_IT_TARGETS"]
                       if os.environ.get("OPENAI_IT_TARGETS") else ""),
                    pytrace=False)
    run_target(target, emulator, tmp_path)


def run_target(target, emulator, tmp_path, base_url=None):
    """Play one target against ``emulator`` (fails the calling test with the playbook's output; returns it).

    ``base_url``: what the modules call (``openai_base_url``) instead of the emulator's own URL, e.g. a
    proxy in front of it; the admin URL stays the emulator's.
    """
    if not os.path.isfile(os.path.join(TARGETS_DIR, target, "tasks", "main.yml")):
        pytest.fail("target %s has a runme.sh but no tasks/main.yml: script targets are not supported by this "
                    "driver; write the test as tasks/main.yml" % target, pytrace=False)
    if not os.path.isdir(os.path.join(COLLECTIONS_DIR, "ansible_collections", "openai", "beta")):
        pytest.fail("collection link missing under %s (tests/conftest.py creates it)" % COLLECTIONS_DIR, pytrace=False)

    # The session emulator is shared: start each target with zero counters and no injected faults
    # (objects other tests created stay; targets name their own objects).
    emulator.reset()
    if hasattr(emulator, "set_faults"):
        emulator.set_faults(0)

    output_dir = tmp_path / "output"
    output_dir.mkdir()
    integration_config = {
        "openai_base_url": base_url or emulator.base_url,
        "openai_api_key": emulator.api_key,
        "emulator_admin_url": emulator.admin_url,
    }
    vars_file = _write(tmp_path / "integration_config.yml", "---\n" + _yaml(integration_config))
    play = [{
        "name": "Integration target %s" % target,
        "hosts": "localhost",
        "gather_facts": False,
        "connection": "local",
        "vars_files": [str(vars_file)],
        "vars": {"output_dir": str(output_dir)},
        "module_defaults": {
            "group/openai.beta.all": {
                "base_url": "{{ openai_base_url }}",
                "api_key": "{{ openai_api_key }}",
            },
        },
        "roles": [{"role": target}],
    }]
    playbook = _write(tmp_path / ("%s.yml" % target), "---\n" + _yaml(play))
    inventory = _write(tmp_path / "inventory.ini",
                       "localhost ansible_connection=local ansible_python_interpreter=%s\n" % _python())
    config = _write(tmp_path / "ansible.cfg", "\n".join([
        "[defaults]",
        "roles_path = %s" % TARGETS_DIR,
        "collections_path = %s" % COLLECTIONS_DIR,
        "collections_scan_sys_path = false",
        "retry_files_enabled = false",
        "stdout_callback = default",
        "local_tmp = %s" % (tmp_path / "ansible-tmp"),
        "",
    ]))

    env = dict(os.environ)
    for name in list(env):
        if name.startswith("ANSIBLE_"):
            del env[name]  # the developer's own ansible settings must not change the result
    env.update({
        "ANSIBLE_CONFIG": str(config),
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_DIR,
        "ANSIBLE_ROLES_PATH": TARGETS_DIR,
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "PYTHONUNBUFFERED": "1",
    })
    # The modules' own settings must come from the play, not from the developer's shell.
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORGANIZATION", "OPENAI_ORG_ID", "OPENAI_PROJECT",
                 "OPENAI_PROJECT_ID"):
        env.pop(name, None)

    cmd = [_ansible_playbook(), "-i", str(inventory), str(playbook)] + _verbosity()
    timeout = float(os.environ.get("OPENAI_IT_TIMEOUT", "900"))
    try:
        proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, text=True, errors="replace", timeout=timeout, check=False)
        output, rc = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        output += "\n[timed out after %ss: OPENAI_IT_TIMEOUT]" % timeout
        rc = None

    if rc != 0:
        rerun = " ".join(shlex.quote(part) for part in ["ANSIBLE_CONFIG=%s" % config] + cmd)
        pytest.fail(
            "integration target %s failed (ansible-playbook rc=%s)\n"
            "emulator: %s\nre-run (while this emulator runs): %s\n"
            "add -vvvv with OPENAI_IT_VERBOSITY=4\n"
            "----- ansible-playbook output -----\n%s"
            % (target, rc, emulator.base_url if base_url is None else "%s, called through %s" % (emulator.base_url, base_url),
               rerun, output),
            pytrace=False,
        )
    return output
