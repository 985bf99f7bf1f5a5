"""``make bench``: how fast the collection is, against the emulator, measured side by side in one run.

Prints a table (Markdown) of:

1. the wall time of ansible-playbook running 50 no-change ``openai_assistant`` tasks by ``assistant_id``
   versus the same 50 objects read with ``ansible.builtin.uri`` GETs (same play, same settings), and
   their ratio;
2. HTTP requests and TCP connections per module run: get-by-id, find-by-name among 1,000 assistants,
   an ``openai_assistant_info`` listing of 10,000 assistants;
3. the role ``openai.beta.assistants`` converging 1,000 assistants that already match (no change):
   requests and wall time;
4. ``openai_thread_run`` with ``wait: true``: the time from the run's completion on the server to the
   module's return, polling and streaming;
5. the module's import cost as Ansible runs it (from its AnsiballZ payload), against
   ``ansible.builtin.uri``, and a whole AnsiballZ run of each without the controller.

It is a measurement, not a test: it fails only when it cannot measure (a task fails, a no-change run
changes something, the emulator does not start). The machine may be shared and noisy, so the timed
figures are medians of repetitions (``BENCH_REPS``, default 3) taken in alternation, and comparisons
are ratios within this one run. ``BENCH_PARTS=2,4`` measures only some parts; ``BENCH_ROLE_TIMEOUT``
(seconds, default 120) bounds each run of the role.

The emulator (tests/emulator, started through tests/bench/counting_emulator.py, which adds a TCP
connection counter, the runs' completion times and the server's handling time to its stats) is
started and stopped here. Results: ``.build/bench/results.json`` and ``.build/bench/results.md``; logs
and the captured AnsiballZ files in ``.build/bench``.

Run with the project venv's python, after ``make collection`` (``make bench`` does both).
"""

import base64
import concurrent.futures
import datetime
import glob
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")
OUT_DIR = os.path.join(REPO_ROOT, ".build", "bench")
LOG_DIR = os.path.join(OUT_DIR, "logs")
REMOTE_TMP = os.path.join(OUT_DIR, "remote_tmp")
EMULATOR = os.path.join(HERE, "counting_emulator.py")
MODULES_DIR = os.path.join(REPO_ROOT, "plugins", "modules")
ROLE_DIR = os.path.join(REPO_ROOT, "roles", "assistants")
BIN_DIR = os.path.dirname(sys.executable)

TASKS = 50             # tasks of by_id_module.yml and by_id_uri.yml
ACCOUNT = 1000         # assistants for find-by-name and the role
LISTING = 10000        # assistants for the _info listing
RUN_SECONDS = 2.0      # how long an emulated run takes (queued 20 %, in_progress 80 %)
POLL_INTERVAL = 1.0    # the module's poll interval without a server hint, and the emulator's largest hint
AT_ONCE = 0.1          # "at once": the module returns within this of the stream's end
MARKER = {"managed_by": "openai.beta.assistants"}  # the role's default management marker
GET_RUN = "GET /v1/threads/{thread_id}/runs/{run_id}"
LIST_ASSISTANTS = "GET /v1/assistants"
RECAP_LINE = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")
IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s*(\S+)\s*$")
ZIP_DATA = re.compile(r"zip_data='([A-Za-z0-9+/=]+)'")

sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from emulator.harness import Emulator as HarnessEmulator, EmulatorError  # noqa: E402  pylint: disable=wrong-import-position


class BenchError(Exception):
    pass


class Interrupted(BaseException):
    """SIGINT/SIGTERM/SIGHUP: unwinds through every handler to the cleanup."""


STARTED = time.monotonic()


def say(message):
    print("bench [%4.0fs]: %s" % (time.monotonic() - STARTED, message), flush=True)


def median(values):
    return statistics.median(values) if values else None


# ---------------------------------------------------------------------------------------------- processes
def children_cpu():
    """CPU seconds (user + system) of the ended child processes so far, their descendants included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd, timeout=None, **kwargs):
    """subprocess.run in a session of its own: on a timeout or an interruption, its whole tree is stopped.

    The result's `cpu` is the CPU time of the process and its descendants: unlike the wall time, it
    hardly depends on what else the machine is doing.
    """
    cpu = children_cpu()
    with subprocess.Popen(cmd, start_new_session=True, **kwargs) as proc:  # pylint: disable=consider-using-with
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except BaseException:
            _kill_tree(proc)
            raise
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    result.cpu = children_cpu() - cpu
    return result


def _kill_tree(proc):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def run_with_input(cmd, payload, env, cwd):
    """Run a process fed `payload` on stdin: (stdout, stderr, returncode, returned, ended, CPU seconds).

    `returned` is the wall-clock time (time.time(), the emulator's clock too) of the first byte on its
    stdout: a module prints its result in one piece when it returns it (exit_json). `ended` is the end
    of the process, after the interpreter's shutdown.
    """
    cpu = children_cpu()
    with tempfile.TemporaryFile() as errors, subprocess.Popen(  # pylint: disable=consider-using-with
            cmd, start_new_session=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env,
            cwd=cwd) as proc:
        try:
            proc.stdin.write(payload.encode("utf-8"))
            proc.stdin.close()
            head = proc.stdout.read(1)
            returned = time.time()
            stdout = head + proc.stdout.read()
            proc.wait()
            ended = time.time()
        except BaseException:
            _kill_tree(proc)
            raise
        errors.seek(0)
        stderr = errors.read()
    return (stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), proc.returncode, returned, ended,
            children_cpu() - cpu)


# ---------------------------------------------------------------------------------------------- emulator
class Emulator(HarnessEmulator):
    """tests/bench/counting_emulator.py as a child process, with a random API key; stop() is idempotent."""

    def __init__(self, run_seconds):
        super().__init__(api_key="sk-bench-" + secrets.token_hex(12), run_seconds=run_seconds, server=EMULATOR,
                         log_path=os.path.join(LOG_DIR, "emulator.log"))

    def session(self):
        session = requests.Session()
        session.headers.update({"Authorization": "Bearer %s" % self.api_key, "OpenAI-Beta": "assistants=v2"})
        return session


def seed_assistants(emulator, start, count, workers=4):
    """Create the assistants bench-<start>.. bench-<start+count-1>; their ids, in that order."""
    def create(numbers):
        session = emulator.session()
        ids = []
        for number in numbers:
            response = session.post(emulator.base_url + "/assistants", json=definition(number), timeout=60)
            response.raise_for_status()
            ids.append((number, response.json()["id"]))
        return ids

    numbers = list(range(start, start + count))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        found = dict(pair for ids in pool.map(create, [numbers[index::workers] for index in range(workers)])
                     for pair in ids)
    return [found[number] for number in numbers]


def definition(number, role=False):
    """The assistant bench-NNNN as created, or (role=True) as the role's definition of it (no marker)."""
    item = {"name": "bench-%04d" % number, "model": "gpt-4o",
            "instructions": "You are benchmark assistant %d. Answer briefly." % number,
            "metadata": {"team": "bench"}}
    if not role:
        item["metadata"] = dict(item["metadata"], **MARKER)
    return item


# ---------------------------------------------------------------------------------------------- ansible
def ansible_env(emulator, **extra):
    env = dict(os.environ)
    for name in ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "ANSIBLE_CONFIG", "ANSIBLE_KEEP_REMOTE_FILES"):
        env.pop(name, None)
    env.update({
        "OPENAI_BASE_URL": emulator.base_url,
        "OPENAI_API_KEY": emulator.api_key,
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_DIR,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
    }, **extra)
    return env


def play(emulator, playbook, vars_file, log_name, require_no_change=True, timeout=None):
    """Run one playbook of tests/bench; (wall seconds, CPU seconds, recap totals, emulator stats of the run)."""
    cmd = [os.path.join(BIN_DIR, "ansible-playbook"), os.path.join(HERE, playbook), "-e", "@" + vars_file]
    emulator.reset()
    log_path = os.path.join(LOG_DIR, log_name + ".log")
    where = os.path.relpath(log_path, REPO_ROOT)
    start = time.monotonic()
    try:
        proc = run(cmd, timeout=timeout, cwd=REPO_ROOT, env=ansible_env(emulator), stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        raise BenchError("%s did not finish within %ss (stopped); %d requests were sent until then"
                         % (playbook, timeout, emulator.stats()["total"]))
    elapsed = time.monotonic() - start
    stats = emulator.stats()
    with open(log_path, "w", encoding="utf-8") as handle:
        handle.write(proc.stdout)
    recap = recap_totals(proc.stdout)
    if proc.returncode != 0 or (not recap and playbook != "baseline.yml") or recap.get("failed") \
            or recap.get("unreachable"):
        raise BenchError("%s failed (rc=%d, %s); see %s" % (playbook, proc.returncode, recap, where))
    if require_no_change and recap.get("changed"):
        raise BenchError("%s changed something (%s): not a no-change run; see %s" % (playbook, recap, where))
    return elapsed, proc.cpu, recap, stats


def recap_totals(output):
    totals, in_recap = {}, False
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("PLAY RECAP"):
            in_recap, totals = True, {}
            continue
        match = RECAP_LINE.match(line) if in_recap else None
        if match:
            for key, value in re.findall(r"(\w+)=(\d+)", match.group(2)):
                totals[key] = totals.get(key, 0) + int(value)
    return totals


def run_module(emulator, module, args):
    """Run a module's file with its arguments as JSON on stdin, as Ansible does.

    (result, {"seconds": the whole run, "cpu": its CPU time, "returned"/"ended": wall-clock times, see
    run_with_input}).
    """
    payload = json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, api_key=emulator.api_key, base_url=emulator.base_url)})
    start = time.monotonic()
    stdout, stderr, returncode, returned, ended, cpu = run_with_input(
        [sys.executable, os.path.join(MODULES_DIR, module + ".py")], payload,
        dict(os.environ, PYTHONPATH=COLLECTIONS_DIR), OUT_DIR)
    elapsed = time.monotonic() - start
    try:
        result = json.loads(stdout)
    except ValueError:
        raise BenchError("%s printed no JSON result (rc=%d): %s" % (module, returncode, stderr[-2000:]))
    if result.get("failed"):
        raise BenchError("%s failed: %s" % (module, result.get("msg")))
    return result, {"seconds": elapsed, "cpu": cpu, "returned": returned, "ended": ended}


def module_counts(emulator, module, args, reps, check):
    """Requests, connections and server time of one module run, and the median wall time of `reps` runs."""
    times, cpus, counts = [], [], []
    for _run in range(reps):
        emulator.reset()
        result, timing = run_module(emulator, module, args)
        stats = emulator.stats()
        check(result)
        times.append(timing["seconds"])
        cpus.append(timing["cpu"])
        counts.append((stats["total"], stats["connections"], stats["requests"], stats["server_seconds"]))
    if len(set((total, conns) for total, conns, _routes, _server in counts)) != 1:
        say("note: %s counts differ between runs: %s" % (module, [c[:2] for c in counts]))
    total, conns, routes, _server = max(counts, key=lambda c: (c[0], c[1]))
    return {"requests": total, "connections": conns, "routes": routes, "seconds": median(times), "cpu": median(cpus),
            "server_seconds": median([c[3] for c in counts]), "runs": len(times)}


# ---------------------------------------------------------------------------------------------- 1.
def measure_playbooks(emulator, ids, reps):
    """50 no-change openai_assistant tasks versus 50 uri GETs, in alternation; medians."""
    vars_file = os.path.join(OUT_DIR, "by_id_vars.json")
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump({"bench_ids": ids[:TASKS]}, handle)
    order = [("module", "by_id_module.yml"), ("uri", "by_id_uri.yml"), ("baseline", "baseline.yml")]
    times = dict((name, []) for name, _playbook in order)
    cpus = dict((name, []) for name, _playbook in order)
    counts = {}
    for rep in range(reps):
        for name, playbook in (order if rep % 2 == 0 else [order[1], order[0], order[2]]):
            elapsed, cpu, _recap, stats = play(emulator, playbook, vars_file, "%s-%d" % (name, rep + 1))
            times[name].append(elapsed)
            cpus[name].append(cpu)
            counts[name] = (stats["total"], stats["connections"])
            say("  %s playbook, repetition %d/%d: %.1fs (CPU %.1fs)" % (name, rep + 1, reps, elapsed, cpu))
    result = dict((name, {"seconds": median(times[name]), "cpu": median(cpus[name]), "all": times[name],
                          "all_cpu": cpus[name]}) for name in times)
    base = result["baseline"]
    for name in ("module", "uri"):
        result[name]["per_task"] = (result[name]["seconds"] - base["seconds"]) / TASKS
        result[name]["cpu_per_task"] = (result[name]["cpu"] - base["cpu"]) / TASKS
        result[name]["requests"], result[name]["connections"] = counts[name]
    result["ratio"] = result["module"]["seconds"] / result["uri"]["seconds"]
    result["ratio_per_task"] = result["module"]["per_task"] / result["uri"]["per_task"]
    result["ratio_cpu"] = result["module"]["cpu"] / result["uri"]["cpu"]
    result["ratio_cpu_per_task"] = result["module"]["cpu_per_task"] / result["uri"]["cpu_per_task"]
    result["ratios"] = [m / u for m, u in zip(times["module"], times["uri"])]
    return result


# ---------------------------------------------------------------------------------------------- 2.
def measure_requests(emulator, ids, reps):
    """get-by-id and find-by-name among 1,000 (the 10,000 listing is measured last, on more objects)."""
    def no_change(result):
        if result.get("changed"):
            raise BenchError("a no-change openai_assistant run reported changed")

    wanted = definition(ACCOUNT // 2)
    return {
        "by_id": module_counts(emulator, "openai_assistant", {"assistant_id": ids[0]}, reps, no_change),
        "by_name": module_counts(emulator, "openai_assistant", {
            "name": wanted["name"], "model": wanted["model"], "instructions": wanted["instructions"]}, reps, no_change),
    }


def measure_listing(emulator, reps):
    def complete(result):
        if len(result["assistants"]) != LISTING:
            raise BenchError("openai_assistant_info returned %d assistants, not %d" % (len(result["assistants"]), LISTING))

    return module_counts(emulator, "openai_assistant_info", {}, reps, complete)


# ---------------------------------------------------------------------------------------------- 3.
def measure_role(emulator, reps, timeout):
    """The role's no-change converge of the 1,000 assistants; {"available": False, "reason"} when it cannot."""
    if not os.path.isfile(os.path.join(ROLE_DIR, "tasks", "main.yml")):
        return {"available": False, "reason": "roles/assistants/tasks/main.yml does not exist"}
    vars_file = os.path.join(OUT_DIR, "role_vars.json")
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump({"openai_assistants": [definition(number, role=True) for number in range(ACCOUNT)]}, handle)
    times, cpus, counts, first_changed = [], [], [], None
    for rep in range(reps):
        try:
            elapsed, cpu, recap, stats = play(emulator, "role_converge.yml", vars_file, "role-%d" % (rep + 1),
                                              require_no_change=False, timeout=timeout)
        except BenchError as error:
            return {"available": False, "reason": str(error)}
        say("  role converge, run %d/%d: %.1fs (CPU %.1fs), %d requests, changed=%d"
            % (rep + 1, reps, elapsed, cpu, stats["total"], recap.get("changed", 0)))
        if recap.get("changed"):
            if rep > 0:
                raise BenchError("the role changed something again on run %d (%s): not idempotent" % (rep + 1, recap))
            first_changed = recap["changed"]  # the seed differed from the definitions: not a no-change run
            continue
        times.append(elapsed)
        cpus.append(cpu)
        counts.append((stats["total"], stats["connections"], stats["requests"]))
    if not times:
        return {"available": False, "reason": "no run without changes (BENCH_REPS=1 and the first run converged)"}
    total, conns, routes = max(counts, key=lambda c: c[0])
    return {"available": True, "seconds": median(times), "cpu": median(cpus), "all": times, "requests": total,
            "connections": conns,
            "routes": routes, "first_run_changed": first_changed}


# ---------------------------------------------------------------------------------------------- 4.
def measure_wait(emulator, assistant_id, reps):
    """openai_thread_run wait: true, polling and streaming: the module's end minus the run's completion."""
    session = emulator.session()
    response = session.post(emulator.base_url + "/threads",
                            json={"messages": [{"role": "user", "content": "How fast is this?"}]}, timeout=30)
    response.raise_for_status()
    thread_id = response.json()["id"]
    found = {False: [], True: []}
    for rep in range(reps):
        for stream in ((False, True) if rep % 2 == 0 else (True, False)):
            emulator.reset()
            args = {"thread_id": thread_id, "assistant_id": assistant_id, "wait": True, "stream": stream,
                    "wait_timeout": 60}
            result, timing = run_module(emulator, "openai_thread_run", args)
            returned, ended = timing["returned"], timing["ended"]
            run_obj = result["run"]
            stats = emulator.stats()
            if run_obj.get("status") != "completed" or run_obj["id"] not in stats["settled"]:
                raise BenchError("the run did not complete: %s" % run_obj.get("status"))
            settled, answered = stats["settled"][run_obj["id"]], stats["last_response_at"]
            found[stream].append({"latency": returned - settled, "answer": answered - settled,
                                  "module": returned - answered, "shutdown": ended - returned,
                                  "requests": stats["total"], "connections": stats["connections"],
                                  "polls": stats["requests"].get(GET_RUN, 0)})
            say("  run with wait, %s: the module returned %.3fs after the run completed (its last answer came %.3fs "
                "after it; then %.3fs of interpreter shutdown), %d requests, %d connections"
                % ("streaming" if stream else "polling", returned - settled, answered - settled, ended - returned,
                   stats["total"], stats["connections"]))
    summary = {}
    for stream, runs in found.items():
        summary["stream" if stream else "poll"] = dict(
            [(key, median([r[key] for r in runs])) for key in ("latency", "answer", "module", "shutdown")]
            + [(key + "_max", max(r[key] for r in runs)) for key in ("latency", "answer", "module")]
            + [(key, max(r[key] for r in runs)) for key in ("requests", "polls", "connections")]
            + [("runs", len(runs))])
    return summary


# ---------------------------------------------------------------------------------------------- 5.
def capture_ansiballz(emulator, assistant_id):
    """Run each module once with ANSIBLE_KEEP_REMOTE_FILES=1: {name: path of its AnsiballZ file}."""
    shutil.rmtree(REMOTE_TMP, ignore_errors=True)
    headers = {"Authorization": "Bearer %s" % emulator.api_key, "OpenAI-Beta": "assistants=v2"}
    found = {}
    for name, module, args in (
            ("openai_assistant", "openai.beta.openai_assistant", {"assistant_id": assistant_id}),
            ("uri", "ansible.builtin.uri", {"url": "%s/assistants/%s" % (emulator.base_url, assistant_id),
                                            "headers": headers})):
        env = ansible_env(emulator, ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=REMOTE_TMP)
        proc = run([os.path.join(BIN_DIR, "ansible"), "localhost", "-m", module, "-a", json.dumps(args)], timeout=120,
                   cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True)
        paths = glob.glob(os.path.join(REMOTE_TMP, "*", "AnsiballZ_%s.py" % name))
        if proc.returncode != 0 or len(paths) != 1:
            raise BenchError("could not capture AnsiballZ_%s.py (rc=%d): %s" % (name, proc.returncode, proc.stdout[-2000:]))
        found[name] = paths[0]
    return found


def payload_zip(ansiballz, name):
    """The module's payload (module_utils and module, as sources) out of an AnsiballZ file, as a zip file."""
    with open(ansiballz, encoding="utf-8") as handle:
        match = ZIP_DATA.search(handle.read())
    if not match:
        raise BenchError("no zip_data in %s" % ansiballz)
    path = os.path.join(OUT_DIR, "payload_%s.zip" % name)
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(match.group(1)))
    return path


FQN = {"openai_assistant": "ansible_collections.openai.beta.plugins.modules.openai_assistant",
       "uri": "ansible.modules.uri"}


def measure_imports(emulator, ansiballz, reps):
    """Import from the AnsiballZ payload (compiled from source, as every module run does) and whole AnsiballZ
    runs without the controller; medians of `reps` runs in alternation, wall and CPU time."""
    zips = dict((name, payload_zip(path, name)) for name, path in ansiballz.items())
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    codes = [("bare", "pass")] + [(name, "import sys; sys.path.insert(0, %r); import %s" % (zips[name], FQN[name]))
                                  for name in ("openai_assistant", "uri")]
    imports = dict((name, ([], [])) for name, _code in codes)
    runs = {"openai_assistant": ([], []), "uri": ([], [])}
    run_env = ansible_env(emulator)
    for rep in range(reps):
        for name, code in (codes if rep % 2 == 0 else list(reversed(codes))):
            start = time.monotonic()
            proc = run([sys.executable, "-c", code], env=env, cwd=OUT_DIR, stdout=subprocess.DEVNULL)
            imports[name][0].append(time.monotonic() - start)
            imports[name][1].append(proc.cpu)
        for name in (("openai_assistant", "uri") if rep % 2 == 0 else ("uri", "openai_assistant")):
            start = time.monotonic()
            proc = run([sys.executable, ansiballz[name]], env=run_env, cwd=OUT_DIR, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
            runs[name][0].append(time.monotonic() - start)
            runs[name][1].append(proc.cpu)
            if proc.returncode != 0 or '"failed": true' in proc.stdout:
                raise BenchError("AnsiballZ_%s.py failed: %s %s" % (name, proc.stdout[-1000:], proc.stderr[-1000:]))
    bare, bare_cpu = median(imports["bare"][0]), median(imports["bare"][1])
    result = {"bare": bare, "bare_cpu": bare_cpu,
              "payload_bytes": dict((name, os.path.getsize(path)) for name, path in zips.items())}
    for name, code in codes[1:]:
        breakdown = [import_breakdown(env, code, FQN[name]) for _run in range(3)]
        result[name] = dict([("seconds", median(imports[name][0]) - bare), ("cpu", median(imports[name][1]) - bare_cpu),
                             ("run_seconds", median(runs[name][0])), ("run_cpu", median(runs[name][1]))]
                            + [(key, median([b[key] for b in breakdown])) for key in breakdown[0]])
    mod, uri = result["openai_assistant"], result["uri"]
    result["ratio"], result["ratio_cpu"] = mod["seconds"] / uri["seconds"], mod["cpu"] / uri["cpu"]
    result["run_ratio"], result["run_ratio_cpu"] = mod["run_seconds"] / uri["run_seconds"], mod["run_cpu"] / uri["run_cpu"]
    return result


def import_breakdown(env, code, target):
    proc = run([sys.executable, "-X", "importtime", "-c", code], env=env, cwd=OUT_DIR, stdout=subprocess.DEVNULL,
               stderr=subprocess.PIPE, text=True)
    own = requests_us = basic_us = total_us = 0
    for line in proc.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match:
            continue
        self_us, cumulative_us, name = int(match.group(1)), int(match.group(2)), match.group(3)
        if name.startswith("ansible_collections.openai.beta.plugins."):
            own += self_us
        elif name == "requests":
            requests_us = cumulative_us
        elif name == "ansible.module_utils.basic":
            basic_us = cumulative_us
        if name == target:
            total_us = cumulative_us
    total_us = total_us or 1
    return {"importtime": total_us / 1e6, "requests": requests_us / total_us, "basic": basic_us / total_us,
            "own": own / total_us}


# ---------------------------------------------------------------------------------------------- report
def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    ansible_version = run([os.path.join(BIN_DIR, "ansible"), "--version"], stdout=subprocess.PIPE,
                          text=True).stdout.splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform(), "python": platform.python_version(),
            "ansible": ansible_version, "requests": requests.__version__,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def verdict(met):
    return "met" if met else "**missed**"


def ms(seconds):
    return "%.0f ms" % (seconds * 1000)


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def rows_playbooks(pb):
    mod, uri, base = pb["module"], pb["uri"], pb["baseline"]
    return [
        ("1", "50 no-change tasks by id: `openai_assistant` playbook",
         "%.1f s, CPU %.1f s (a task after ansible-playbook's start-up of %.1f s: %.2f s, CPU %.2f s); %s, %s"
         % (mod["seconds"], mod["cpu"], base["seconds"], mod["per_task"], mod["cpu_per_task"],
            plural(mod["requests"], "request"), plural(mod["connections"], "connection")), "", ""),
        ("1", "the same 50 objects: `ansible.builtin.uri` GET playbook",
         "%.1f s, CPU %.1f s (a task: %.2f s, CPU %.2f s); %s, %s"
         % (uri["seconds"], uri["cpu"], uri["per_task"], uri["cpu_per_task"], plural(uri["requests"], "request"),
            plural(uri["connections"], "connection")), "", ""),
        ("1", "ratio module / uri: wall time (CPU time; a task, wall and CPU)",
         "**%.2f** (%.2f; %.2f and %.2f); by repetition: %s"
         % (pb["ratio"], pb["ratio_cpu"], pb["ratio_per_task"], pb["ratio_cpu_per_task"],
            ", ".join("%.2f" % r for r in pb["ratios"])),
         "<= 1.2", verdict(pb["ratio"] <= 1.2)),
    ]


def rows_requests(req, listing):
    rows = []
    if req:
        by_id, by_name = req["by_id"], req["by_name"]
        rows.append(("2", "get-by-id: no-change `openai_assistant` with `assistant_id`",
                     "%s, %s; %s (CPU %s) a module run"
                     % (plural(by_id["requests"], "request"), plural(by_id["connections"], "connection"),
                        ms(by_id["seconds"]), ms(by_id["cpu"])),
                     "1 request, 1 connection", verdict(by_id["requests"] == 1 and by_id["connections"] == 1)))
        lists = by_name["routes"].get(LIST_ASSISTANTS, 0)
        rows.append(("2", "find-by-name among 1,000: no-change `openai_assistant` with `name`",
                     "%s (%d in all), %s; %s (CPU %s) a module run"
                     % (plural(lists, "list request"), by_name["requests"], plural(by_name["connections"], "connection"),
                        ms(by_name["seconds"]), ms(by_name["cpu"])),
                     "10 list requests, 1 connection",
                     verdict(lists == 10 and by_name["requests"] == 10 and by_name["connections"] == 1)))
    if listing:
        rows.append(("2", "`openai_assistant_info` listing 10,000",
                     "%s, %s; %.2f s (CPU %.2f s) a module run, of which the emulator's answers %.2f s"
                     % (plural(listing["requests"], "request"), plural(listing["connections"], "connection"),
                        listing["seconds"], listing["cpu"], listing["server_seconds"]),
                     "100 requests (limit=100), 1 connection",
                     verdict(listing["requests"] == 100 and listing["connections"] == 1)))
    return rows


def rows_role(role):
    what = "role `openai.beta.assistants`: no-change converge of 1,000"
    if not role.get("available"):
        return [("3", what, "role not available: %s" % role["reason"], "<= 12 requests", "not measured")]
    return [("3", what, "%s, %s; %.1f s, CPU %.1f s"
             % (plural(role["requests"], "request"), plural(role["connections"], "connection"), role["seconds"],
                role["cpu"]),
             "<= 12 requests", verdict(role["requests"] <= 12))]


def rows_wait(wait):
    poll, stream = wait["poll"], wait["stream"]
    return [
        ("4", "`openai_thread_run` wait: true, polling: run completed -> module returned its result",
         "%s (max %s): the answer that saw it %s after completion, the result %s after that; %s (%d polls), %s; "
         "then %s of interpreter shutdown"
         % (ms(poll["latency"]), ms(poll["latency_max"]), ms(poll["answer"]), ms(poll["module"]),
            plural(poll["requests"], "request"), poll["polls"], plural(poll["connections"], "connection"),
            ms(poll["shutdown"])),
         "<= 1 poll interval (%.1f s)" % POLL_INTERVAL, verdict(poll["latency_max"] <= POLL_INTERVAL)),
        ("4", "the same with stream: true",
         "%s (max %s): the stream's end %s after completion, the result %s after that; %s, %s; "
         "then %s of interpreter shutdown"
         % (ms(stream["latency"]), ms(stream["latency_max"]), ms(stream["answer"]), ms(stream["module"]),
            plural(stream["requests"], "request"), plural(stream["connections"], "connection"),
            ms(stream["shutdown"])),
         "at once (result <= %s after the stream's end, no poll)" % ms(AT_ONCE),
         verdict(stream["module_max"] <= AT_ONCE and stream["polls"] == 0)),
    ]


def share(fraction):
    return "%.0f %%" % (100.0 * fraction)


def rows_imports(imports):
    mod, uri = imports["openai_assistant"], imports["uri"]
    return [
        ("5", "import of `openai_assistant` from its AnsiballZ payload (sources compiled, as in every run)",
         "%s, CPU %s; of its -X importtime: ansible.module_utils.basic %s, requests %s, this collection's code %s"
         % (ms(mod["seconds"]), ms(mod["cpu"]), share(mod["basic"]), share(mod["requests"]), share(mod["own"])),
         "small", ""),
        ("5", "import of `ansible.builtin.uri` from its AnsiballZ payload",
         "%s, CPU %s (ratio %.2f, CPU %.2f); of its -X importtime: ansible.module_utils.basic %s"
         % (ms(uri["seconds"]), ms(uri["cpu"]), imports["ratio"], imports["ratio_cpu"],
            share(uri["basic"])), "", ""),
        ("5", "a whole AnsiballZ run without the controller: `openai_assistant` by id / `uri` GET",
         "%s / %s (ratio %.2f), CPU %s / %s (%.2f); a bare `python -c pass`: %s"
         % (ms(mod["run_seconds"]), ms(uri["run_seconds"]), imports["run_ratio"], ms(mod["run_cpu"]),
            ms(uri["run_cpu"]), imports["run_ratio_cpu"], ms(imports["bare"])), "", ""),
    ]


def table(results):
    rows = []
    if results.get("playbooks"):
        rows += rows_playbooks(results["playbooks"])
    if results.get("requests") or results.get("listing"):
        rows += rows_requests(results.get("requests"), results.get("listing"))
    if results.get("role"):
        rows += rows_role(results["role"])
    if results.get("wait"):
        rows += rows_wait(results["wait"])
    if results.get("imports"):
        rows += rows_imports(results["imports"])
    lines = ["| # | measurement | result | target | |", "|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in rows]
    return "\n".join(lines)


def header(results):
    info = results["machine"]
    return ("openai.beta benchmark, %s: %s (%s cores), %s, Python %s, %s, requests %s; medians of %d "
            "repetitions; load average %s at the start, %s at the end; %.0f s in all"
            % (info["date"], info["cpu"], info["cores"], info["system"], info["python"], info["ansible"],
               info["requests"], results["reps"], results["load_start"], results["load_end"], results["seconds"]))


def load():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


# ---------------------------------------------------------------------------------------------- main
def measure(parts, reps, emulator, results):
    emulator.start()
    say("emulator at %s; seeding %d assistants" % (emulator.base_url, ACCOUNT))
    ids = seed_assistants(emulator, 0, ACCOUNT)
    if "5" in parts:
        say("5. import cost and AnsiballZ runs, openai_assistant and uri (%d repetitions)" % (reps + 2))
        results["imports"] = measure_imports(emulator, capture_ansiballz(emulator, ids[0]), reps + 2)
    if "1" in parts:
        say("1. %d no-change openai_assistant tasks vs %d uri GETs (%d repetitions each)" % (TASKS, TASKS, reps))
        results["playbooks"] = measure_playbooks(emulator, ids, reps)
    if "2" in parts:
        say("2. requests and connections per module run: get-by-id, find-by-name among %d" % ACCOUNT)
        results["requests"] = measure_requests(emulator, ids, reps)
    if "3" in parts:
        timeout = float(os.environ.get("BENCH_ROLE_TIMEOUT", "120"))
        say("3. the role's no-change converge of %d assistants (%d runs, at most %.0fs each)" % (ACCOUNT, reps, timeout))
        results["role"] = measure_role(emulator, reps, timeout)
        if not results["role"]["available"]:
            say("   role not available: %s" % results["role"]["reason"])
    if "4" in parts:
        say("4. a run with wait: true, polling and streaming (runs take %.1fs)" % RUN_SECONDS)
        results["wait"] = measure_wait(emulator, ids[0], reps)
    if "2" in parts:
        say("seeding %d more assistants (%d in all)" % (LISTING - ACCOUNT, LISTING))
        seed_assistants(emulator, ACCOUNT, LISTING - ACCOUNT)
        say("2. openai_assistant_info listing of %d" % LISTING)
        results["listing"] = measure_listing(emulator, reps)


def main():
    reps = int(os.environ.get("BENCH_REPS", "3"))
    parts = set(part.strip() for part in os.environ.get("BENCH_PARTS", "1,2,3,4,5").split(",") if part.strip())
    if reps < 1 or not parts or not parts <= set("12345"):
        say("BENCH_REPS must be at least 1, and BENCH_PARTS a comma-separated subset of 1,2,3,4,5")
        return 2
    if not os.path.isdir(os.path.join(COLLECTIONS_DIR, "ansible_collections", "openai", "beta")):
        say("%s is missing: run `make collection` (or `make bench`)" % os.path.relpath(COLLECTIONS_DIR, REPO_ROOT))
        return 2
    os.makedirs(LOG_DIR, exist_ok=True)

    def on_signal(signum, frame):
        raise Interrupted("interrupted by signal %d" % signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    results = {"reps": reps, "parts": sorted(parts), "load_start": load(), "machine": machine()}
    emulator = Emulator(RUN_SECONDS)
    try:
        measure(parts, reps, emulator, results)
    except (BenchError, EmulatorError, requests.RequestException) as error:
        say("FAILED: %s" % error)
        return 1
    except Interrupted as interrupted:
        say("stopped: %s" % interrupted)
        return 130
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        emulator.stop()
    results["seconds"] = time.monotonic() - STARTED
    results["load_end"] = load()
    text = header(results) + "\n\n" + table(results) + "\n"
    with open(os.path.join(OUT_DIR, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
    with open(os.path.join(OUT_DIR, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(text)
    print("\n" + text, flush=True)
    say("results in %s (and results.json)" % os.path.relpath(os.path.join(OUT_DIR, "results.md"), REPO_ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
