# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client every module uses: one session, auth headers, retries, pagination."""

from __future__ import annotations

import ipaddress
import random
import time
import traceback

from urllib.parse import urlsplit

try:
    import requests
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised through the module's missing_required_lib error
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from . import retry, sse
from .errors import OpenAIError, redact
from .paging import paginate

DEFAULT_BASE_URL = "https://api.openai.com/v1"
USER_AGENT = "openai.beta-ansible/0.1.0"
POLL_AFTER_HEADER = "openai-poll-after-ms"


class Answer:
    """A decoded answer, with the server's hint of when to look at the object again (seconds, or None)."""

    def __init__(self, body, poll_after=None):
        self.body = body
        self.poll_after = poll_after


class Stream:
    """An event stream: iterate `events` for (event name, data); `poll_after` as in Answer."""

    def __init__(self, events, poll_after=None):
        self.events = events
        self.poll_after = poll_after


def poll_after_seconds(headers):
    value = (headers or {}).get(POLL_AFTER_HEADER)
    try:
        return float(value) / 1000.0 if value else None
    except ValueError:
        return None


def check_base_url(base_url):
    """A base URL must be https, unless it points at this machine (the emulator, a local proxy)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("base_url must be an http(s) URL such as %s, got %r" % (DEFAULT_BASE_URL, base_url))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError("base_url must use https unless its host is loopback (localhost, 127.0.0.0/8, ::1); "
                         "got http://%s" % parts.hostname)


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OpenAIClient:
    """Sends requests to the OpenAI API over one reused connection.

    Retries 408, 409, 429, 5xx and connection failures with backoff, honouring `retry-after(-ms)` and
    `x-should-retry`. A request that could create something twice (a create) is resent only when
    the server cannot have acted on it; after an ambiguous failure the caller's `recover` reads back
    what may have been created before anything is sent again.
    """

    def __init__(self, api_key, base_url=DEFAULT_BASE_URL, organization=None, project=None, timeout=60.0,
                 max_retries=3, validate_certs=True, beta=None, warn=None, sleep=time.sleep, rng=None, concurrency=1):
        check_base_url(base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.warn = warn or (lambda message: None)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.concurrency = max(1, int(concurrency))
        self.pause = retry.SharedPause(sleep)  # one 429 backoff for all the threads that share this client
        self.secrets = [api_key] if api_key else []
        self.session = requests.Session()
        if self.concurrency > 1:  # one connection per worker, reused
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=self.concurrency)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)
        self.session.verify = validate_certs
        self.session.headers.update({
            "Authorization": "Bearer %s" % api_key,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        })
        for header, value in (("OpenAI-Organization", organization), ("OpenAI-Project", project),
                              ("OpenAI-Beta", beta)):
            if value:
                self.session.headers[header] = value

    def get(self, path, query=None):
        return self.call("GET", path, query=query).body

    def delete(self, path):
        return self.call("DELETE", path).body

    def post(self, path, body=None, query=None):
        """A POST that is safe to repeat (an update): retried like a GET."""
        return self.call("POST", path, body=body, query=query).body

    def post_once(self, path, body=None, query=None, recover=None):
        """A POST that must act once (a create, a cancel, tool outputs): never resent blindly.

        When a failure leaves open whether the server acted, `recover()` looks: it returns what the POST
        would have answered if the server acted, or None when it did not (the POST is then sent again).
        Without `recover`, such a failure is final.
        """
        return self.call("POST", path, body=body, query=query, once=True, recover=recover).body

    def call(self, method, path, body=None, query=None, once=False, recover=None):
        """The Answer to one request (retried as `once` allows; see post_once)."""
        return self._request(method, path, body, query, repeatable=not once, recover=recover)

    def list(self, path, query=None, max_items=None, direction="after"):
        return paginate(self.get, path, query=query, max_items=max_items, direction=direction, warn=self.warn)

    def stream(self, path, body, query=None, recover=None):
        """A creating POST answered with server-sent events: a Stream of (event, data) to the end."""
        answer = self._request("POST", path, body, query, repeatable=False, recover=recover, stream=True)
        if isinstance(answer, Answer):  # recovered: the object already exists, there is no stream to read
            return Stream(iter([(None, answer.body)]), answer.poll_after)
        return Stream(self._events(method="POST", path=path, response=answer), poll_after_seconds(answer.headers))

    def _events(self, method, path, response):
        try:
            yield from sse.events(response.iter_lines())
        except (requests.exceptions.RequestException, ValueError) as exc:
            raise OpenAIError(redact("the event stream broke off: %s" % exc, self.secrets), method=method, path=path)
        finally:
            response.close()

    def _request(self, method, path, body, query, repeatable, recover=None, stream=False):
        attempt = 0
        served = 0.0  # the end of the shared pause this request has already slept out
        while True:
            attempt += 1
            self.pause.wait(served)
            response, failure = self._send(method, path, body, query, stream)
            if response is not None and response.status_code < 300:
                if stream:
                    return response
                return Answer(self._decode(method, path, response), poll_after_seconds(response.headers))
            if response is not None:
                failure = OpenAIError.from_response(method, path, response)
                retryable = retry.is_retryable_status(response.status_code, response.headers)
                safe = repeatable or retry.server_did_not_act(response.status_code, response.headers)
                delay = retry.retry_after(response.headers)
            else:
                retryable = True
                safe = repeatable or not failure.sent
                delay = None
            if not retryable:
                raise failure
            if not safe:  # read back first, also after the last attempt: the object may exist
                recovered = self._recover(method, path, failure, recover)
                if recovered is not None:
                    return Answer(recovered)
            if attempt > self.max_retries:
                raise failure
            if delay is None:
                delay = retry.backoff(attempt, self.rng)
            if response is not None and response.status_code == 429:
                served = self.pause.hold(delay)
            self.warn(redact("%s %s: %s; retry %d of %d in %.2fs" % (
                method, path, _short(failure), attempt, self.max_retries, delay), self.secrets))
            self.sleep(delay)

    def _recover(self, method, path, failure, recover):
        """After an ambiguous failure: what the server did, or None when it did not act (safe to resend)."""
        if recover is None:
            failure.note = ("Not retried: the server may have acted on it, and this object cannot be looked up "
                            "to check. Verify before running again")
            raise failure
        return recover()

    def _send(self, method, path, body, query, stream=False):
        """One attempt: (response, None) or (None, OpenAIError describing the transport failure)."""
        try:
            response = self.session.request(method, self.base_url + path, json=body, params=query,
                                            timeout=self.timeout, stream=stream)
            return response, None
        except requests.exceptions.ConnectTimeout as exc:
            return None, self._transport_error(method, path, "connection timed out", exc, sent=False)
        except requests.exceptions.ConnectionError as exc:
            return None, self._transport_error(method, path, "connection failed", exc, sent=not _refused(exc))
        except requests.exceptions.Timeout as exc:
            return None, self._transport_error(method, path, "no answer within %ss" % self.timeout, exc, sent=True)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            return None, self._transport_error(method, path, "the answer broke off", exc, sent=True)

    def _transport_error(self, method, path, what, exc, sent):
        error = OpenAIError(redact("%s: %s" % (what, exc), self.secrets), method=method, path=path)
        error.sent = sent
        return error

    def _decode(self, method, path, response):
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise OpenAIError("the server answered HTTP %s with a body that is not JSON" % response.status_code,
                              method=method, path=path, status=response.status_code,
                              request_id=response.headers.get("x-request-id"))


def _refused(exc):
    """True when the TCP connection was never established (nothing reached the server)."""
    pending, seen = [exc], set()
    while pending:
        reason = pending.pop()
        if reason is None or id(reason) in seen:
            continue
        seen.add(id(reason))
        if isinstance(reason, ConnectionRefusedError) or type(reason).__name__ in (
                "NewConnectionError", "NameResolutionError"):
            return True
        pending.extend([getattr(reason, "reason", None), reason.__cause__, reason.__context__])
        pending.extend(arg for arg in getattr(reason, "args", ()) if isinstance(arg, BaseException))
    return False


def _short(failure):
    if failure.status:
        return "HTTP %s%s" % (failure.status, " (%s)" % failure.code if failure.code else "")
    return failure.message
