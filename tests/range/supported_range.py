"""The supported range, proven: the collection's checks on every ansible-core of tests/range/cores.py.

    python tests/range/supported_range.py setup   # `make setup`: one venv per core under .build/cores/<core>/, and the
                                      # sanity venvs of the cores that run ansible-test sanity; instant when done
    python tests/range/supported_range.py test    # `make range`: every cell, in parallel (RANGE_JOBS, default 3); prints
                                      # the table core x Python x what ran, writes .build/logs/range.json

A cell is one check on one core:
  sanity       ``tests/utils/run_sanity.py`` on that core's ansible-test: every default sanity test, no ignore
               file, offline; compile and import for each Python of cores.MODULE_PYTHONS that the core's
               ansible-test supports as a target (from ~/.pyenv/versions: pyenv's shims fail in ansible-test).
  units        pytest tests/unit on that core.
  integration  pytest cores.INTEGRATION_TESTS with OPENAI_IT_TARGETS=cores.INTEGRATION_TARGETS on that core:
               ansible-playbook of that core against the emulator.
Each core's sanity gets its own copy of the collection, ansible-test HOME and logs (SANITY_BUILD), so the cells
share nothing but the checkout (which they only read, bytecode caches aside). Logs: .build/logs/range/<core>-<check>.log.

A Python that is not installed: the cells that need it are skipped with a message, and fail under CI=true (CI
must prove the whole range). The driver itself needs only the standard library (make runs it on $(PYTHON), before
.venv exists). Every command it starts runs in a session of its own and is stopped with the driver, on SIGINT or
SIGTERM (make test runs it under tests/utils/exit_with.py, which sends SIGTERM when make ends: a range in the
background never outlives the run that started it).
"""

from __future__ import annotations

import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORES_DIR = os.path.join(REPO, ".build", "cores")
LOG_DIR = os.path.join(REPO, ".build", "logs", "range")
RESULTS = os.path.join(REPO, ".build", "logs", "range.json")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
PIP_NOISE = "is ignored: it is neither a file nor a directory"

sys.path.insert(0, HERE)
from cores import CORES, INTEGRATION_TARGETS, INTEGRATION_TESTS, MODULE_PYTHONS  # noqa: E402  pylint: disable=wrong-import-position

CHECKS = ("sanity", "units", "integration")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def find_python(version: str) -> str | None:
    """The newest ~/.pyenv/versions/X.Y.* interpreter (never a pyenv shim), else pythonX.Y on PATH, else None."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python" + version)),
                   key=lambda path: [int(part) for part in re.findall(r"\d+", path.split("/versions/")[1].split("/")[0])])
    path = found[-1] if found else shutil.which("python" + version)
    return path if path and "/shims/" not in path else None


def venv_dir(core) -> str:
    return os.path.join(CORES_DIR, core.version)


def venv_python(core) -> str:
    return os.path.join(venv_dir(core), "bin", "python")


def cells(core) -> list[str]:
    return [check for check in CHECKS if check != "sanity" or core.sanity]


def log(message: str) -> None:
    print("range: %s" % message, flush=True)


# the commands running now (each the leader of its own session), stopped with the driver
_RUNNING: set = set()
_RUNNING_LOCK = threading.Lock()


def start(command: list[str], **kwargs) -> subprocess.Popen:
    # under the lock that stop_everything() holds until the driver exits: nothing starts once stopping began
    with _RUNNING_LOCK:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True, **kwargs)
        _RUNNING.add(proc)
    return proc


def finished(proc: subprocess.Popen) -> None:
    with _RUNNING_LOCK:
        _RUNNING.discard(proc)


def stop_everything(reason: str) -> None:
    """Stop every command this driver started (with whatever they started: SIGTERM, SIGKILL for what is left
    after 10 s), then the driver. The lock is held to the end, so no cell or setup step starts meanwhile."""
    _RUNNING_LOCK.acquire()  # pylint: disable=consider-using-with
    log("stopped: %s" % reason)
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for proc in _RUNNING:
            try:
                os.killpg(proc.pid, signum)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(proc.poll() is None for proc in _RUNNING):
            time.sleep(0.2)
    os._exit(1)


def quiet(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a setup command; its output (minus pip's notes about absent local mirrors) only when it fails."""
    proc = start(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    output = proc.communicate()[0]
    finished(proc)
    if proc.returncode != 0:
        sys.stdout.write("\n".join(line for line in output.splitlines() if PIP_NOISE not in line) + "\n")
    return subprocess.CompletedProcess(command, proc.returncode, output)


# ----------------------------------------------------------------------------------------------- setup

def setup_digest(core, python: str, pip_pin: str) -> str:
    with open(REQUIREMENTS, "rb") as handle:
        content = handle.read()
    return hashlib.sha256(repr((content, core.pins, python, pip_pin)).encode()).hexdigest()


def sanity_targets(core) -> tuple[list[str], list[str]]:
    """(versions to compile and import on, versions skipped for want of an interpreter) for a sanity core."""
    code = ("from ansible_test._util.target.common import constants as c; "
            "print(' '.join(c.REMOTE_ONLY_PYTHON_VERSIONS + c.CONTROLLER_PYTHON_VERSIONS))")
    supported = subprocess.run([venv_python(core), "-c", code], stdout=subprocess.PIPE, text=True,
                               check=True).stdout.split()
    wanted = [version for version in MODULE_PYTHONS if version in supported]
    return [v for v in wanted if find_python(v)], [v for v in wanted if not find_python(v)]


def sanity_env(core, targets: list[str]) -> dict:
    env = dict(os.environ, SANITY_BUILD=os.path.join(venv_dir(core), "sanity-build"), SANITY_COLOR="no",
               SANITY_PYTHON=" ".join(["%s@%s" % (v, find_python(v)) for v in targets]))
    env.pop("PYTHONPATH", None)
    return env


def setup_core(core, pip_pin: str) -> str:
    """Create or update one core's venv (and prime its sanity venvs); return a line for the log."""
    python = find_python(core.python)
    if python is None:
        return "%s: SKIPPED, no Python %s (looked in ~/.pyenv/versions and on PATH)" % (core.version, core.python)
    started = time.monotonic()
    stamp = os.path.join(venv_dir(core), ".setup.stamp")
    digest = setup_digest(core, python, pip_pin)
    done = []
    if not os.path.exists(stamp) or open(stamp, encoding="utf-8").read() != digest:
        shutil.rmtree(venv_dir(core), ignore_errors=True)
        for command in ([python, "-m", "venv", venv_dir(core)],
                        [venv_python(core), "-m", "pip", "install", "--quiet", pip_pin],
                        [venv_python(core), "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS] + list(core.pins)):
            # pip's own temporary files under the core's directory: another job cleaning /tmp cannot break them
            tmp = os.path.join(CORES_DIR, "tmp-" + core.version)
            os.makedirs(tmp, exist_ok=True)
            if quiet(command, env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", TMPDIR=tmp)).returncode != 0:
                raise SystemExit("range setup: %s failed for ansible-core %s" % (" ".join(command[:4]), core.version))
        with open(stamp, "w", encoding="utf-8") as handle:
            handle.write(digest)
        done.append("venv")
    if core.sanity:
        targets, _missing = sanity_targets(core)
        primed = os.path.join(venv_dir(core), ".sanity-venvs.stamp")
        wanted = " ".join(targets)
        if not os.path.exists(primed) or open(primed, encoding="utf-8").read() != wanted:
            command = [venv_python(core), os.path.join(REPO, "tests", "utils", "run_sanity.py"), "--prime-venvs"]
            if quiet(command, cwd=REPO, env=sanity_env(core, targets)).returncode != 0:
                raise SystemExit("range setup: priming ansible-test's sanity venvs failed for ansible-core %s"
                                 % core.version)
            with open(primed, "w", encoding="utf-8") as handle:
                handle.write(wanted)
            done.append("sanity venvs (targets %s)" % wanted)
    return "%s on %s: %s" % (core.version, python, ("made " + " and ".join(done) + " in %.0fs" % (time.monotonic() - started))
                             if done else "up to date")


def setup(pip_pin: str) -> int:
    started = time.monotonic()
    missing = [core for core in CORES if find_python(core.python) is None]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(CORES)) as pool:
        for line in pool.map(lambda core: setup_core(core, pip_pin), CORES):
            log("setup " + line)
    log("setup done in %.0fs" % (time.monotonic() - started))
    if missing and in_ci():
        log("FAILED: CI=true and no Python %s: the range cannot be proven"
            % ", ".join(sorted({core.python for core in missing})))
        return 1
    return 0


# ----------------------------------------------------------------------------------------------- test

def core_version(core) -> str:
    code = "import ansible.release; print(ansible.release.__version__)"
    return subprocess.run([venv_python(core), "-c", code], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()


def python_version(core) -> str:
    code = "import platform; print(platform.python_version())"
    return subprocess.run([venv_python(core), "-c", code], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()


def command_for(core, check: str) -> tuple[list[str], dict, str]:
    """(command, environment, what it runs) of one cell."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("PYTHONPATH", None)
    if check == "sanity":
        targets, missing = sanity_targets(core)
        what = "all sanity tests; compile and import on %s" % " ".join(targets)
        if missing:
            what += " (no interpreter for %s)" % " ".join(missing)
        return [venv_python(core), os.path.join(REPO, "tests", "utils", "run_sanity.py")], sanity_env(core, targets), what
    pytest = [venv_python(core), "-m", "pytest", "-p", "no:cacheprovider", "-o", "console_output_style=classic",
              "--basetemp", os.path.join(venv_dir(core), "pytest-" + check)]
    if check == "units":
        return pytest + ["tests/unit"], env, "tests/unit"
    env["OPENAI_IT_TARGETS"] = " ".join(INTEGRATION_TARGETS)
    return pytest + list(INTEGRATION_TESTS), env, "targets %s" % " ".join(INTEGRATION_TARGETS)


SUMMARY = {
    "sanity": re.compile(r"^sanity (?:OK|FAILED): (\d+ tests ran)"),
    "pytest": re.compile(r"^=+ (.*\d+ (?:passed|failed|error).*) in [\d.]+s"),
}


def run_cell(core, check: str) -> dict:
    cell = {"core": core.version, "check": check}
    if not os.path.exists(os.path.join(venv_dir(core), ".setup.stamp")):
        python = find_python(core.python)
        reason = "no Python %s" % core.python if python is None else "no venv: run `make setup`"
        return dict(cell, status="failed" if in_ci() or python else "skipped", summary=reason, seconds=0)
    command, env, what = command_for(core, check)
    if check == "sanity" and sanity_targets(core)[1] and in_ci():
        return dict(cell, status="failed", what=what, summary="CI=true: every target Python is required", seconds=0)
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, "%s-%s.log" % (core.version, check))
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as handle:
        handle.write("$ %s\n" % " ".join(command))
        handle.flush()
        proc = start(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
        # wait4: the CPU time of the cell and of everything it waited for (a figure the machine's load leaves alone)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        finished(proc)
    seconds = time.monotonic() - started
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    pattern = SUMMARY["sanity" if check == "sanity" else "pytest"]
    found = [m.group(1) for m in map(pattern.match, text.splitlines()) if m]
    return dict(cell, status="passed" if rc == 0 and found else "failed", what=what, rc=rc, seconds=round(seconds),
                cpu_seconds=round(usage.ru_utime + usage.ru_stime),
                summary=found[-1] if found else "no summary line (see %s)" % os.path.relpath(log_path, REPO),
                log=os.path.relpath(log_path, REPO), ansible_core=core_version(core), python=python_version(core))


def test(jobs: int) -> int:
    started = time.monotonic()
    todo = [(core, check) for core in CORES for check in cells(core)]
    # longest first: a core's sanity takes several times its pytest runs
    todo.sort(key=lambda item: item[1] != "sanity")
    log("%d cells on %d cores, %d at a time; logs in %s" % (len(todo), len(CORES), jobs, os.path.relpath(LOG_DIR, REPO)))
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(lambda item: run_cell(*item), todo):
            results.append(result)
            log("{core} {check}: {status} ({summary}, {seconds}s)".format(**result))
    results.sort(key=lambda r: ([int(p) for p in r["core"].split(".")], CHECKS.index(r["check"])))
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump({"cells": results, "seconds": round(time.monotonic() - started)}, handle, indent=2)
    print_table(results, time.monotonic() - started)
    proven = sorted({v for core in CORES if core.sanity and os.path.exists(venv_python(core))
                     for v in sanity_targets(core)[0]}, key=lambda v: int(v.split(".")[1]))
    unproven = [version for version in MODULE_PYTHONS if version not in proven]
    print("range: the modules compiled and imported on Python %s%s" % (
        ", ".join(proven), "; NOT on %s (no interpreter)" % ", ".join(unproven) if unproven else ""), flush=True)
    if unproven and in_ci():
        return 1
    return 0 if all(r["status"] == "passed" for r in results) else 1


def print_table(results: list[dict], seconds: float) -> None:
    rows = [("ansible-core", "Python", "check", "result", "time (cpu)", "what ran")]
    rows += [(r.get("ansible_core", r["core"]), r.get("python", "-"), r["check"], "%s: %s" % (r["status"], r["summary"]),
              "%ss (%ss)" % (r["seconds"], r.get("cpu_seconds", 0)), r.get("what", "")) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    print("\nrange (ansible-core x Python x what ran):")
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    counts = {status: sum(r["status"] == status for r in results) for status in ("passed", "failed", "skipped")}
    print("range: %d cells in %.0fs (%ss of CPU): %s" % (
        len(results), seconds, sum(r.get("cpu_seconds", 0) for r in results),
        ", ".join("%d %s" % (n, s) for s, n in counts.items())), flush=True)


def main(argv: list[str]) -> int:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, _frame: stop_everything("signal %d" % number))
    if argv[:1] == ["setup"]:
        pins = [arg.split("=", 1)[1] for arg in argv[1:] if arg.startswith("--pip=")]
        return setup(pins[0] if pins else "pip")
    if argv[:1] == ["test"]:
        return test(int(os.environ.get("RANGE_JOBS") or 3))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
