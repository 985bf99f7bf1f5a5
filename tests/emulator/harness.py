"""Start and drive the emulator from tests or scripts (standard library only).

    from emulator.harness import Emulator

    with Emulator(api_key="sk-test") as emu:
        emu.base_url      # http://127.0.0.1:PORT/v1
        emu.writes()      # non-GET /v1 requests so far
        emu.reset()       # zero the counters (reset(state=True) also deletes every object)
        emu.set_faults(0.5, seed=1, kinds=["429"])
        emu.seed_chatkit_thread("user_1", title="Demo", items=[{"role": "user", "text": "hi"}])
        emu.advance_clock(600)  # e.g. to expire a run waiting in requires_action
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "server.py")
START_TIMEOUT = 15.0


def _drain(stream):
    """Read the emulator's stdout to its end (it must never block on a full pipe), then close it."""
    with stream:
        stream.read()


class EmulatorError(RuntimeError):
    pass


class Emulator:
    def __init__(self, api_key="sk-emulator-test-key", state_file=None, fault_rate=0.0, seed=0,
                 fault_kinds=None, run_seconds=None, server=SERVER, log_path=None):
        """`server`: the script to run (a wrapper of server.py takes its options); `log_path`: where its
        stderr goes (else a temporary file, shown when it fails to start)."""
        self.server = server
        self.log_path = log_path
        self.api_key = api_key
        self.state_file = state_file
        self.fault_rate = fault_rate
        self.seed = seed
        self.fault_kinds = fault_kinds
        self.run_seconds = run_seconds
        self.process = None
        self.base_url = None
        self.admin_url = None
        self.returncode = None
        self._log = None

    # -- lifecycle --------------------------------------------------------------------------------
    def command(self):
        # --exit-with: the emulator stops when the process that owns this object ends, even one killed outright
        cmd = [sys.executable, self.server, "--port", "0", "--exit-with", str(os.getpid())]
        if self.api_key is not None:
            cmd += ["--api-key", self.api_key]
        if self.state_file:
            cmd += ["--state", str(self.state_file)]
        if self.fault_rate:
            cmd += ["--fault-rate", str(self.fault_rate), "--seed", str(self.seed)]
        if self.fault_kinds:
            kinds = self.fault_kinds if isinstance(self.fault_kinds, str) else ",".join(self.fault_kinds)
            cmd += ["--fault-kinds", kinds]
        if self.run_seconds is not None:
            cmd += ["--run-seconds", str(self.run_seconds)]
        return cmd

    def start(self):
        self._log = open(self.log_path, "w+b") if self.log_path else tempfile.TemporaryFile()  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log,
        )
        line = []

        def read_line():
            line.append(self.process.stdout.readline())

        reader = threading.Thread(target=read_line, daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        text = line[0].decode("utf-8", "replace").strip() if line else ""
        if not text.startswith("http"):
            self._kill()
            raise EmulatorError("emulator did not start within %.0f s: %r%s" % (START_TIMEOUT, text, self._stderr()))
        self.base_url = text
        self.admin_url = text[: -len("/v1")] + "/__emulator"
        threading.Thread(target=_drain, args=(self.process.stdout,), daemon=True).start()
        return self

    def _stderr(self):
        if self._log is None:
            return ""
        try:
            self._log.seek(0)
            data = self._log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return ("\nstderr:\n" + data[-4000:]) if data else ""

    def _kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def stop(self, timeout=10):
        """SIGTERM, wait, kill on timeout. Returns the exit code."""
        if self.process is None:
            return self.returncode
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._kill()
        self.returncode = self.process.returncode
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- admin --------------------------------------------------------------------------------------
    def _admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.admin_url + path, data=data, method=method,
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise EmulatorError("admin %s %s failed: %s %s" % (method, path, exc.code, exc.read()[:500]))

    def stats(self):
        return self._admin("GET", "/stats")

    def state(self):
        """Every stored object: {"data": {collection: {id: object} or {parent_id: {id: object}}}, "seqs": ...}."""
        return self._admin("GET", "/state")

    def writes(self):
        return self.stats()["writes"]

    def reset(self, state=False):
        self._admin("POST", "/reset", {"state": bool(state)})

    def set_faults(self, rate, seed=0, kinds=None, count=None, requests=None):
        """Inject faults; `requests` limits them to some requests ("POST /v1/threads/{thread_id}/messages")."""
        body = {"rate": rate, "seed": seed}
        if requests is not None:
            body["requests"] = list(requests)
        if kinds is not None:
            body["kinds"] = list(kinds) if not isinstance(kinds, str) else kinds.split(",")
        if count is not None:
            body["count"] = count
        self._admin("POST", "/faults", body)

    def advance_clock(self, seconds):
        """Move the emulator's clock forward (runs, expiries and timestamps follow it)."""
        return self._admin("POST", "/clock", {"advance_seconds": seconds})

    def seed_chatkit_thread(self, user, title=None, items=None, status=None):
        """Create a ChatKit thread (the API cannot); ``status``: active (default), locked or closed."""
        body = {"user": user, "title": title, "items": list(items or [])}
        if status is not None:
            body["status"] = status
        return self._admin("POST", "/chatkit/threads", body)
