"""Route table, request/response objects and dispatch.

Routes are path templates such as ``/v1/assistants/{assistant_id}``; a ``{name}`` segment matches
one path segment. Literal routes win over templated ones (``POST /v1/threads/runs`` is create-and-run,
not "modify thread 'runs'"). A path that matches no template is 404 ``Invalid URL (...)``; a path
that matches with another method is 405 ``Invalid method for URL (...)``, as the real API answers.
"""

import json
import re
import time
from urllib.parse import parse_qs

from . import errors


class Request:
    def __init__(self, method, path, query_string="", headers=None, raw_body=b""):
        self.method = method
        self.path = path
        self.query = parse_qs(query_string or "", keep_blank_values=True)
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.raw_body = raw_body or b""
        self.params = {}
        self.now = time.time()
        self._body = None
        self._parsed = False

    def q(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def qlist(self, name):
        return list(self.query.get(name, []))

    def qdict(self, *names):
        return {name: self.q(name) for name in names}

    @property
    def body(self):
        """The parsed JSON body (None when empty); 400 when it is not valid JSON."""
        if not self._parsed:
            text = self.raw_body.strip()
            if text:
                try:
                    self._body = json.loads(text)
                except ValueError:
                    raise errors.bad_json()
            self._parsed = True
        return self._body


class Response:
    def __init__(self, body, status=200, headers=None):
        self.body = body
        self.status = status
        self.headers = dict(headers or {})


class StreamResponse:
    """A ``text/event-stream`` response; ``events`` yields ``(event_name, data)`` pairs."""

    def __init__(self, events, headers=None):
        self.events = events
        self.status = 200
        self.headers = dict(headers or {})


class Route:
    def __init__(self, method, template, handler, beta=None):
        self.method = method
        self.template = template
        self.handler = handler
        self.beta = beta
        parts = []
        for segment in template.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                parts.append("(?P<%s>[^/]+)" % segment[1:-1])
            else:
                parts.append(re.escape(segment))
        self.regex = re.compile("^/" + "/".join(parts) + "/?$")
        self.literal_segments = sum(1 for s in template.split("/") if s and not s.startswith("{"))


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, template, handler, beta=None):
        self.routes.append(Route(method, template, handler, beta))

    def _matches(self, path):
        found = []
        for route in self.routes:
            match = route.regex.match(path)
            if match:
                found.append((route, match.groupdict()))
        # most literal segments first: /v1/threads/runs beats /v1/threads/{thread_id}
        found.sort(key=lambda pair: -pair[0].literal_segments)
        return found

    def resolve(self, method, path):
        """``(route, params)``; raises 404/405 APIError when nothing fits."""
        matches = self._matches(path)
        for route, params in matches:
            if route.method == method:
                return route, params
        if matches:
            raise errors.invalid_method(method, path, {pair[0].method for pair in matches})
        raise errors.invalid_url(method, path)

    def template_for(self, method, path):
        """The route template used for stats, or the literal path when no route matches."""
        try:
            return self.resolve(method, path)[0].template
        except errors.APIError:
            return path
