"""The application: configuration, the route table and the /v1 request pipeline.

For a /v1 request: auth -> route -> beta header -> handler (under the store's global lock) -> save
the state file if anything changed. Every failure becomes an OpenAI-style error response.
Transport concerns (reading/writing sockets, faults, stats) live in handler.py.
"""

import sys
import traceback

from . import admin, assistants, auth, chatkit, conversations, errors, messages, runs, steps, threads
from .faults import Faults
from .recorder import Recorder
from .router import Response, Router
from .stats import Stats
from .store import Store

DEFAULT_RUN_SECONDS = 1.0


def build_router():
    router = Router()
    for family in (assistants, threads, messages, runs, steps, chatkit, conversations):
        family.register(router)
    return router


class App:
    def __init__(self, api_key=None, state_file=None, fault_rate=0.0, seed=0, fault_kinds=None,
                 run_seconds=DEFAULT_RUN_SECONDS, verbose=False, record=None):
        self.api_key = api_key
        self.store = Store(state_file)
        self.stats = Stats()
        self.faults = Faults(fault_rate, seed, fault_kinds)
        self.router = build_router()
        self.run_seconds = float(run_seconds)
        self.verbose = verbose
        self.recorder = Recorder(record)

    def now(self):
        return self.store.now()

    def save(self):
        with self.store.lock:
            self.store.save()

    def handle_v1(self, req):
        try:
            auth.check_auth(req.headers, self.api_key)
            route, params = self.router.resolve(req.method, req.path)
            auth.check_beta(req.headers, route.beta)
            req.params = params
            with self.store.lock:
                try:
                    return route.handler(self, req)
                finally:
                    self.store.save()
        except errors.APIError as exc:
            return Response(exc.body(), exc.status, exc.headers)
        except Exception:  # a bug in the emulator: answer like the real API's 500
            traceback.print_exc(file=sys.stderr)
            exc = errors.APIError(500, "The server had an error while processing your request. Sorry about that!",
                                  "server_error")
            return Response(exc.body(), 500)

    def handle_admin(self, req):
        try:
            return admin.handle(self, req)
        except errors.APIError as exc:
            return Response(exc.body(), exc.status, exc.headers)
        except Exception:  # a bug in the emulator
            traceback.print_exc(file=sys.stderr)
            exc = errors.APIError(500, "The emulator failed on this admin request.", "server_error")
            return Response(exc.body(), 500)

    def fault_response(self, kind):
        """The response of an injected 429/5xx fault (the request is not acted on)."""
        if kind == "429":
            ms = self.faults.retry_after_ms
            exc = errors.APIError(
                429, "Rate limit reached for requests (injected by the emulator). Please try again shortly.",
                "requests", None, "rate_limit_exceeded",
                headers={"retry-after-ms": str(ms), "retry-after": str(max(1, -(-ms // 1000))),
                         "x-should-retry": "true"},
            )
        elif kind == "500":
            exc = errors.APIError(500, "The server had an error while processing your request. Sorry about that!",
                                  "server_error", headers={"x-should-retry": "true"})
        elif kind == "502":
            exc = errors.APIError(502, "Bad gateway.", "server_error", headers={"x-should-retry": "true"})
        else:
            exc = errors.APIError(503, "The server is overloaded or not ready yet.", "server_error",
                                  headers={"x-should-retry": "true"})
        return Response(exc.body(), exc.status, exc.headers)
