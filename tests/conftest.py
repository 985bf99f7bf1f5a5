"""Shared pytest setup: import paths for the collection and the emulator, emulator fixtures, the docs site."""

import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TESTS_DIR)
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")
_STARTED = pytest.StashKey[float]()


def _link_collection():
    """Expose the repository as ansible_collections.openai.beta (the repo root is the collection root)."""
    namespace_dir = os.path.join(COLLECTIONS_DIR, "ansible_collections", "openai")
    link = os.path.join(namespace_dir, "beta")
    if not os.path.lexists(link):
        os.makedirs(namespace_dir, exist_ok=True)
        os.symlink(REPO_ROOT, link)


_link_collection()
# Every emulator started below this test run (by the harness, Molecule's create step, the demo...) stops when the run
# ends, even a run killed outright (tests/emulator/server.py --exit-with).
os.environ.setdefault("OPENAI_EMULATOR_EXIT_WITH", str(os.getpid()))
# Names given to conversations and threads are recorded in a store of this run's own, never the user's.
os.environ.setdefault("OPENAI_NAME_STORE", os.path.join(tempfile.mkdtemp(prefix="openai-names-"), "names.json"))
for path in (COLLECTIONS_DIR, TESTS_DIR):
    if path not in sys.path:
        sys.path.insert(0, path)

from emulator.harness import Emulator  # noqa: E402  (needs TESTS_DIR on sys.path)


INTEGRATION_GROUP = "integration"
# The integration tests of these files run in a second group (its own worker) beside the first: with one group, the
# integration tests alone took the last 20 minutes of make test on one core, the other idle. Chosen so that each
# group takes about half of the integration tests' time (the slowest files, which play many forks, on this side).
INTEGRATION_FORKS_GROUP = "integration-forks"
INTEGRATION_FORKS_FILES = ("test_load.py", "test_races.py", "test_faults.py", "test_molecule.py", "test_awx_runner.py",
                           "test_secrets.py")
# what the long integration tests report (their figures), written as they end
REPORTS = ("faults.txt", "load.txt", "races.txt")


def pytest_configure(config):
    # registered here too, so that runs without pytest-xdist (the supported range's cells) know the mark
    config.addinivalue_line("markers", "xdist_group(name): tests of one group run in one pytest-xdist worker")
    config.stash[_STARTED] = time.time()
    missing = [name for name in INTEGRATION_FORKS_FILES if not os.path.isfile(os.path.join(TESTS_DIR, "integration", name))]
    if missing:
        raise pytest.UsageError("tests/conftest.py INTEGRATION_FORKS_FILES names no file: %s" % ", ".join(missing))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which turns the mark into the group it schedules by
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`, as make test runs the suite), the integration tests run one after another
    in each of two workers: each plays ansible-playbook with forks of its own, so more at once would only compete for
    the two cores. The unit and conformance tests, which mostly wait on their emulators, take the third worker."""
    integration_dir = pathlib.Path(TESTS_DIR, "integration")
    for item in items:
        if item.path.is_relative_to(integration_dir):
            group = INTEGRATION_FORKS_GROUP if item.path.name in INTEGRATION_FORKS_FILES else INTEGRATION_GROUP
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_terminal_summary(terminalreporter, config):
    """The figures of the long integration tests, which a pytest-xdist worker cannot print itself."""
    if hasattr(config, "workerinput"):
        return
    for name in REPORTS:
        path = os.path.join(REPO_ROOT, ".build", "logs", name)
        if os.path.isfile(path) and os.path.getmtime(path) >= config.stash[_STARTED]:
            with open(path, encoding="utf-8") as handle:
                terminalreporter.write_sep("-", name)
                terminalreporter.write(handle.read().split("\n\n")[0] + "\n")


@pytest.fixture(scope="session")
def emulator():
    """One emulator for the whole session; tests reset its counters, not its state."""
    with Emulator() as server:
        yield server


@pytest.fixture
def fresh_emulator():
    """An emulator of the test's own: empty state, zero counters."""
    with Emulator() as server:
        yield server


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory):
    """The docs site, built once (`make docs` into a directory of its own): rst/ (its sources) and html/."""
    directory = tmp_path_factory.mktemp("docs")
    # a make started inside `make test` must not inherit its flags, overrides or jobserver
    env = {key: value for key, value in os.environ.items()
           if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS")}
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.setup.stamp", "docs", "DOCS_DIR=%s" % directory],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, "make docs failed (exit %d):\n%s\n%s" % (done.returncode, done.stdout[-8000:],
                                                                          done.stderr[-8000:])
    return directory
