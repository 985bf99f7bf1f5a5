"""The OpenAI API emulator (tests/emulator), with two benchmark-only counters added to its stats.

    python tests/bench/counting_emulator.py --port 0 --api-key KEY [--run-seconds X]   (same options)

It is the stock emulator (same app, routes, clock and keep-alive transport), started through
``emulator.server.main``; this file only wraps two of its pieces, in this process, without changing
tests/emulator:

- ``GET /__emulator/stats`` gains ``connections``: the TCP connections that carried at least one
  /v1 request since the last reset (a connection is counted at its first /v1 request, so the admin
  requests of the benchmark itself never count), and
- ``settled``: ``{run_id: t}``, the emulator-clock time (Unix seconds, float) at which each run
  completed, failed or stopped for ``requires_action``: the moment a waiting client could know;
- ``server_seconds``: the time spent handling /v1 requests (reading, answering, streaming), and
- ``last_response_at``: the wall-clock time (Unix seconds) at which the last /v1 response was written.

``POST /__emulator/reset`` zeroes them, as it zeroes the request counters.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != HERE]
sys.path.insert(0, TESTS_DIR)

from emulator import app as emulator_app  # noqa: E402  pylint: disable=wrong-import-position
from emulator import clock as emulator_clock  # noqa: E402  pylint: disable=wrong-import-position
from emulator import server as emulator_server  # noqa: E402  pylint: disable=wrong-import-position
from emulator.handler import Handler  # noqa: E402  pylint: disable=wrong-import-position
from emulator.stats import Stats  # noqa: E402  pylint: disable=wrong-import-position


class BenchStats(Stats):
    """The emulator's counters plus connections and run settle times."""

    def reset(self):
        super().reset()
        with self._lock:
            self._connections = 0
            self._settled = {}
            self._server_seconds = 0.0
            self._last_response_at = None

    def count_connection(self):
        with self._lock:
            self._connections += 1

    def count_handling(self, seconds, ended_at):
        with self._lock:
            self._server_seconds += seconds
            self._last_response_at = ended_at

    def run_settled(self, run_id, at):
        with self._lock:
            self._settled.setdefault(run_id, at)

    def snapshot(self):
        result = super().snapshot()
        with self._lock:
            result["connections"] = self._connections
            result["settled"] = dict(self._settled)
            result["server_seconds"] = self._server_seconds
            result["last_response_at"] = self._last_response_at
        return result


class CountingHandler(Handler):
    """Counts a TCP connection when it carries its first /v1 request; times the handling of /v1 requests."""

    def setup(self):
        super().setup()
        self.bench_counted = False

    def _handle(self):
        if not (self.path == "/v1" or self.path.startswith("/v1/")):
            super()._handle()
            return
        if not self.bench_counted:
            self.bench_counted = True
            self.server.app.stats.count_connection()
        started = time.perf_counter()
        try:
            super()._handle()
        finally:
            self.server.app.stats.count_handling(time.perf_counter() - started, time.time())


def _recording(transition):
    """Wrap a clock transition so that the time it takes effect is recorded in the stats."""
    def wrapper(store, run, at, events):
        transition(store, run, at, events)
        STATS[0].run_settled(run["id"], at)
    return wrapper


STATS = []


class BenchApp(emulator_app.App):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stats = BenchStats()
        STATS[:] = [self.stats]


def install():
    emulator_server.App = BenchApp
    emulator_server.Handler = CountingHandler
    for name in ("_complete", "_require_action", "_failed"):
        setattr(emulator_clock, name, _recording(getattr(emulator_clock, name)))


if __name__ == "__main__":
    install()
    sys.exit(emulator_server.main())
