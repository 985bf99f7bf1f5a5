"""``make demo``: play demo/site.yml twice against the OpenAI API emulator and prove the second run changes nothing.

Steps:
  1. Unless OPENAI_API_KEY and OPENAI_BASE_URL are BOTH set in the environment (then they are used,
     e.g. against the real API), start the emulator:
     ``python tests/emulator/server.py --port 0 --api-key <random>`` and wait for the base URL it
     prints when ready (``http://127.0.0.1:PORT/v1``).
  2. ``ansible-playbook demo/site.yml`` twice, with OPENAI_BASE_URL/OPENAI_API_KEY set and
     ANSIBLE_COLLECTIONS_PATH=.build/collections (the symlink layout of this repository).
     With its own emulator (which starts empty), the collection's name store (which object each name of
     the playbook means, like Terraform state; OPENAI_NAME_STORE) is a fresh file under .build/demo-state,
     so names of an earlier, dead emulator are never read and the store kept for a real API is never
     touched.
  3. Fail unless both runs succeed and the second run's PLAY RECAP says changed=0 for every host.
  4. Print a short summary; the emulator is always stopped (finally + SIGTERM/SIGINT/SIGHUP handlers).

Run with the project venv's python (``make demo`` does). Logs: .build/logs/demo-run{1,2}.log.
Extra ansible-playbook arguments: DEMO_ARGS="-v --diff"; another playbook: DEMO_PLAYBOOK=path.
"""

import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.abspath(os.environ.get("DEMO_PLAYBOOK") or os.path.join(REPO_ROOT, "demo", "site.yml"))
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")
LOG_DIR = os.path.join(REPO_ROOT, ".build", "logs")
EMULATOR_STATE_DIR = os.path.join(REPO_ROOT, ".build", "demo-state")
RECAP_LINE = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")

sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from emulator.harness import Emulator, EmulatorError  # noqa: E402  pylint: disable=wrong-import-position

CHILDREN = []  # the running ansible-playbook, if any: stopped with the demo


class DemoError(Exception):
    pass


def log(message):
    print("demo: %s" % message, flush=True)


def start_emulator():
    """The emulator (tests/emulator/harness.py) with a random API key; its stderr goes to the demo's logs."""
    emulator = Emulator(api_key="sk-demo-" + secrets.token_hex(12),
                        log_path=os.path.join(LOG_DIR, "demo-emulator.log"))
    try:
        return emulator.start()
    except EmulatorError as error:
        raise DemoError(str(error))


def emulator_stats(emulator):
    """The emulator's request counters, or None (never fatal: they only add figures to the summary)."""
    try:
        return emulator.stats()
    except (EmulatorError, OSError, ValueError):
        return None


def playbook_env(base_url, api_key):
    env = dict(os.environ)
    env.update({
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": api_key,
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_DIR,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def run_playbook(number, env, extra_args):
    """Run the demo playbook, streaming its output; return (rc, recap {host: {ok: n, changed: n, ...}})."""
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK]
    cmd += extra_args + shlex.split(os.environ.get("DEMO_ARGS", ""))
    log_path = os.path.join(LOG_DIR, "demo-run%d.log" % number)
    shown = [os.path.relpath(part, REPO_ROOT) if part.startswith(REPO_ROOT) else part for part in cmd]
    log("run %d: %s" % (number, " ".join(shlex.quote(part) for part in shown)))
    recap = {}
    in_recap = False
    with open(log_path, "w", encoding="utf-8") as log_file:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace")
        CHILDREN.append(proc)
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            log_file.write(line)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
            if plain.startswith("PLAY RECAP"):
                in_recap, recap = True, {}
                continue
            match = RECAP_LINE.match(plain) if in_recap else None
            if match:
                recap[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
        rc = proc.wait()
        CHILDREN.remove(proc)
    return rc, recap


def stop_children():
    for proc in CHILDREN:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def totals(recap):
    result = {}
    for counts in recap.values():
        for key, value in counts.items():
            result[key] = result.get(key, 0) + value
    return result


def describe(recap):
    total = totals(recap)
    return "ok=%d changed=%d failed=%d unreachable=%d (%d host%s)" % (
        total.get("ok", 0), total.get("changed", 0), total.get("failed", 0), total.get("unreachable", 0),
        len(recap), "" if len(recap) == 1 else "s")


def main():
    os.makedirs(LOG_DIR, exist_ok=True)
    if not os.path.isfile(PLAYBOOK):
        log("%s does not exist" % os.path.relpath(PLAYBOOK, REPO_ROOT))
        return 2

    interrupted = []

    def on_signal(signum, frame):
        interrupted.append(signum)
        raise DemoError("interrupted by signal %d" % signum)  # unwinds through finally: everything is stopped

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    emulator = None
    extra_args = []
    summary = []
    started = time.monotonic()
    try:
        if os.environ.get("OPENAI_API_KEY") and os.environ.get("OPENAI_BASE_URL"):
            base_url, api_key = os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"]
            log("using OPENAI_BASE_URL=%s and OPENAI_API_KEY from the environment (no emulator)" % base_url)
            summary.append("API: %s (from the environment)" % base_url)
        else:
            if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
                log("only one of OPENAI_API_KEY/OPENAI_BASE_URL is set: both are needed to use them; "
                    "using the emulator")
            shutil.rmtree(EMULATOR_STATE_DIR, ignore_errors=True)
            os.makedirs(EMULATOR_STATE_DIR)
            os.environ["OPENAI_NAME_STORE"] = os.path.join(EMULATOR_STATE_DIR, "names.json")
            emulator = start_emulator()
            base_url, api_key = emulator.base_url, emulator.api_key
            log("emulator started at %s (pid %d, random API key)" % (base_url, emulator.process.pid))
            summary.append("API: emulator at %s, started and stopped by the demo" % base_url)

        env = playbook_env(base_url, api_key)
        results = []
        for number in (1, 2):
            before = emulator_stats(emulator) if emulator else None
            rc, recap = run_playbook(number, env, extra_args)
            after = emulator_stats(emulator) if emulator else None
            results.append((rc, recap))
            line = "run %d: rc=%d, %s" % (number, rc, describe(recap) if recap else "no PLAY RECAP")
            writes = _writes(before, after)
            if writes is not None:
                line += ", %d write request%s to the API" % (writes, "" if writes == 1 else "s")
            summary.append(line)
            if rc != 0:
                raise DemoError("run %d of %s failed (rc=%d)" % (number, os.path.relpath(PLAYBOOK, REPO_ROOT), rc))
            if not recap:
                raise DemoError("run %d printed no PLAY RECAP" % number)

        changed = {host: counts.get("changed", 0) for host, counts in results[1][1].items()}
        if any(changed.values()):
            raise DemoError("the second run is not idempotent: changed=%s in its PLAY RECAP"
                            % ", ".join("%s:%d" % item for item in changed.items() if item[1]))
        summary.append("idempotent: the second run reported changed=0")
        return_code = 0
    except DemoError as exc:
        summary.append("FAILED: %s" % exc)
        return_code = 1
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second signal must not interrupt the cleanup
        stop_children()
        if emulator is not None:
            log("emulator stopped (exit code %s)" % emulator.stop())

    print("", flush=True)
    print("demo summary (%.0fs; logs in %s):" % (time.monotonic() - started, os.path.relpath(LOG_DIR, REPO_ROOT)))
    for line in summary:
        print("  - " + line)
    print("demo %s" % ("OK" if return_code == 0 else "FAILED"), flush=True)
    return 128 + interrupted[0] if interrupted else return_code


def _writes(before, after):
    """Write requests between two stats snapshots, when the emulator reports them (key 'writes')."""
    try:
        return int(after["writes"]) - int(before["writes"])
    except (TypeError, KeyError, ValueError):
        return None


if __name__ == "__main__":
    sys.exit(main())
