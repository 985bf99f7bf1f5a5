"""Seeded fault injection for /v1 requests (never for /__emulator admin requests).

Each /v1 request draws from a ``random.Random(seed)``: with probability ``rate`` it gets a fault,
whose kind is drawn from ``kinds``. With one client sending requests one after another, the same
seed gives the same faults on the same requests. Kinds:

``429``          429 ``rate_limit_exceeded`` with ``retry-after-ms`` (default 50) and ``retry-after``
                 (whole seconds, rounded up) headers; the request is not acted on.
``500`` ``502`` ``503``  a server error with an OpenAI error body; the request is not acted on.
``drop_before``  the connection is closed without any response; the request is not acted on.
``drop_after``   the request is acted on (an object really is created), then the connection is
                 closed without any response: the ambiguous case a client must read back after.
``slow``         the response is delayed by ``slow_ms`` (default 300 ms) but is otherwise correct.

``count`` (optional) caps how many faults are injected; after that injection stops by itself.
``requests`` (optional) limits faults to the requests listed as ``"METHOD /v1/route template"``
(``"POST /v1/threads/{thread_id}/messages"``); other requests neither get a fault nor draw.
"""

import random
import threading

KINDS = ("429", "500", "502", "503", "drop_before", "drop_after", "slow")


class FaultConfigError(ValueError):
    pass


class Faults:
    def __init__(self, rate=0.0, seed=0, kinds=None):
        self._lock = threading.Lock()
        self.configure(rate, seed, kinds)

    def configure(self, rate=0.0, seed=0, kinds=None, count=None, retry_after_ms=50, slow_ms=300, requests=None):
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise FaultConfigError("rate must be a number between 0 and 1")
        if not 0.0 <= rate <= 1.0:
            raise FaultConfigError("rate must be a number between 0 and 1")
        if kinds is None or kinds == []:
            kinds = list(KINDS)
        if isinstance(kinds, str):
            kinds = [k.strip() for k in kinds.split(",") if k.strip()]
        kinds = [str(k) for k in kinds]
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise FaultConfigError("unknown fault kinds %s; known: %s" % (unknown, ", ".join(KINDS)))
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
            raise FaultConfigError("count must be a non-negative integer")
        if requests is not None and (not isinstance(requests, list) or not all(isinstance(r, str) for r in requests)):
            raise FaultConfigError("requests must be a list of \"METHOD /v1/route\" strings")
        with self._lock:
            self.rate = rate
            self.seed = seed
            self.kinds = kinds
            self.remaining = count
            self.retry_after_ms = int(retry_after_ms)
            self.slow_ms = int(slow_ms)
            self.requests = list(requests) if requests is not None else None
            self._rng = random.Random(seed)
        return self.describe()

    def describe(self):
        return {
            "rate": self.rate, "seed": self.seed, "kinds": list(self.kinds), "count": self.remaining,
            "retry_after_ms": self.retry_after_ms, "slow_ms": self.slow_ms, "requests": self.requests,
        }

    def draw(self, request=None):
        """The fault kind for the next /v1 request ("METHOD /v1/route template"), or None."""
        with self._lock:
            if self.rate <= 0.0 or self.remaining == 0:
                return None
            if self.requests is not None and request not in self.requests:
                return None
            if self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(self.kinds)
            if self.remaining is not None:
                self.remaining -= 1
            return kind
