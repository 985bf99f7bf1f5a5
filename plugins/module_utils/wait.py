# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for asynchronous work (runs) on a monotonic clock, at the pace the server asks for."""

from __future__ import annotations

import time

DEFAULT_INTERVAL = 1.0
MIN_INTERVAL = 0.05  # a zero hint must not turn waiting into a busy loop
MAX_INTERVAL = 10.0


class WaitTimeout(Exception):
    """Waiting gave up; `last` is the last object seen. The executor sets `message` to what the user reads."""

    def __init__(self, last, waited):
        super().__init__("gave up after %.1fs" % waited)
        self.last = last
        self.waited = waited
        self.message = str(self)

    def __str__(self):
        return getattr(self, "message", None) or super().__str__()


def wait_for(fetch, done, timeout, clock=time.monotonic, sleep=time.sleep, first=None):
    """Call fetch() until done(obj); fetch returns (obj, seconds the server asks to wait, or None).

    Sleeps never run past the deadline, so the answer comes within one poll interval of the server
    reaching the awaited state, and a timeout raises WaitTimeout with the last object seen.
    `first`, an answer already in hand in fetch()'s form (such as the response of the request that
    started the work), stands for the first fetch: one request fewer, and the first poll at its pace.
    """
    start = clock()
    deadline = start + timeout
    while True:
        obj, poll_after = fetch() if first is None else first
        first = None
        if done(obj):
            return obj
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout(obj, clock() - start)
        interval = DEFAULT_INTERVAL if poll_after is None else min(max(poll_after, MIN_INTERVAL), MAX_INTERVAL)
        sleep(min(interval, remaining))
