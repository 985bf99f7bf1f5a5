"""Request counters for ``GET /__emulator/stats``.

``requests`` counts ``"<METHOD> <route template>"`` (for example ``POST /v1/assistants/{assistant_id}``;
a path that matches no route is counted under its literal path). ``writes`` counts every /v1 request
that is not a GET, ``reads`` every GET, whether or not it succeeded and whether or not a fault was
injected. ``faults`` counts injected faults by kind. Admin requests are never counted.
"""

import threading


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._requests = {}
            self._writes = 0
            self._reads = 0
            self._faults = {}

    def count_request(self, method, template):
        key = "%s %s" % (method, template)
        with self._lock:
            self._requests[key] = self._requests.get(key, 0) + 1
            if method == "GET":
                self._reads += 1
            else:
                self._writes += 1

    def count_fault(self, kind):
        with self._lock:
            self._faults[kind] = self._faults.get(kind, 0) + 1

    def snapshot(self):
        with self._lock:
            return {
                "requests": dict(sorted(self._requests.items())),
                "writes": self._writes,
                "reads": self._reads,
                "total": self._writes + self._reads,
                "faults": dict(sorted(self._faults.items())),
            }
