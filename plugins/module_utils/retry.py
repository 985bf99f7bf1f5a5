# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a failed request may be sent again, and how long to wait first."""

from __future__ import annotations

import email.utils
import random
import threading
import time

RETRYABLE_STATUSES = frozenset((408, 409, 429))
INITIAL_DELAY = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0


def is_retryable_status(status, headers):
    """The server's own `x-should-retry` wins; otherwise 408, 409, 429 and 5xx."""
    should_retry = (headers.get("x-should-retry") or "").lower()
    if should_retry == "true":
        return True
    if should_retry == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def server_did_not_act(status, headers):
    """True when the failed request cannot have changed anything, so even a create may be resent."""
    return status in (408, 429) or (headers.get("x-should-retry") or "").lower() == "true"


def retry_after(headers):
    """The server's requested delay in seconds (`retry-after-ms`, then `retry-after`), capped; None if absent."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return min(max(float(value) / 1000.0, 0.0), MAX_RETRY_AFTER)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff(retry_number, rng=random):
    """Exponential backoff with up to 25% jitter: 0.5 s, 1 s, 2 s ... capped at 8 s."""
    delay = min(INITIAL_DELAY * (2 ** (retry_number - 1)), MAX_BACKOFF)
    return delay * (1 - 0.25 * rng.random())


class SharedPause:
    """One pause for every worker of a client: after a 429, no worker sends before the server's delay is over, so
    that parallel requests slow down together instead of each hitting the limit again."""

    def __init__(self, sleep=time.sleep, clock=time.monotonic):
        self.sleep = sleep
        self.clock = clock
        self.lock = threading.Lock()
        self.until = 0.0

    def hold(self, seconds):
        """Pause every worker for `seconds`; returns when the pause ends (on this pause's clock)."""
        with self.lock:
            self.until = max(self.until, self.clock() + seconds)
            return self.until

    def wait(self, served=0.0):
        """Sleep out the pause, unless the caller already slept out one that ends as late (`served`: its end)."""
        with self.lock:
            until = self.until
        if until <= served:
            return
        remaining = until - self.clock()
        if remaining > 0:
            self.sleep(remaining)
