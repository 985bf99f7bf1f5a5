"""Scripted HTTP answers for client tests: real requests.Response objects, no network."""

import json

import requests
from requests.structures import CaseInsensitiveDict


def response(status=200, body=None, headers=None):
    resp = requests.Response()
    resp.status_code = status
    resp.reason = "scripted"
    resp.headers = CaseInsensitiveDict(headers or {})
    resp.headers.setdefault("x-request-id", "req_%03d" % status)
    resp._content = b"" if body is None else json.dumps(body).encode()
    return resp


def api_error(status, message, error_type="invalid_request_error", code=None, param=None, headers=None):
    return response(status, {"error": {"message": message, "type": error_type, "code": code, "param": param}},
                    headers)


class ScriptedSession:
    """Stands in for client.session: answers each request with the next scripted item.

    An item is a Response, an exception instance (raised), or a callable(method, url, kwargs).
    """

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []
        self.headers = {}

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        if not self.answers:
            raise AssertionError("unexpected request %s %s" % (method, url))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            return answer(method, url, kwargs)
        return answer
