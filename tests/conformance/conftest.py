"""Fixtures for the emulator's conformance tests: the official spec and spec-checking clients.

The spec is not part of the project. It is read from ``$OPENAI_SPEC``, else from
``<repo>/../shared/openapi/openai.prism.subset.yml``, and checked against with the exceptions of
spec_exceptions.py applied (the real service's answers, where they differ from the spec). Without it the
spec tests skip with a message, except under CI (``CI=true``), where a missing spec is a failure.
"""

import collections
import json
import os
import re
from pathlib import Path

import pytest
import requests

from conformance import spec_exceptions
from emulator.harness import Emulator

SPEC_HOST = "https://api.openai.com"  # the spec's server is https://api.openai.com/v1; its paths have no /v1
ASSISTANTS_BETA = "assistants=v2"
CHATKIT_BETA = "chatkit_beta=v1"


def spec_location():
    return Path(spec_exceptions.spec_location())


def require_spec():
    """The spec's path; the test skips when it is missing (fails under CI)."""
    path = spec_location()
    if not path.is_file():
        message = "OpenAI spec not found at %s (set OPENAI_SPEC to its path)" % path
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; a missing spec is a failure under CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def spec_path():
    """The spec's path (skipped when it is missing, a failure under CI)."""
    return require_spec()


@pytest.fixture(scope="session")
def openapi_spec(spec_path):
    """The official spec with the exceptions applied, loaded once (about 1 s) with openapi-core."""
    path = spec_path
    from openapi_core import Config, OpenAPI

    return OpenAPI.from_dict(spec_exceptions.load_patched(str(path)), config=Config(spec_validator_cls=None))


@pytest.fixture(scope="session")
def spec_operations(openapi_spec):
    """Every operation of the spec as ``"METHOD /v1/template"``."""
    operations = set()
    paths = openapi_spec.spec / "paths"
    for template in paths.keys():
        for method in (paths / template).keys():
            if method in ("get", "post", "put", "patch", "delete"):
                operations.add("%s /v1%s" % (method.upper(), template))
    return operations


def _compile(operations):
    compiled = []
    for operation in operations:
        method, template = operation.split(" ", 1)
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        literal = sum(1 for s in template.split("/") if s and not s.startswith("{"))
        compiled.append((method, re.compile("^" + pattern + "$"), literal, operation))
    compiled.sort(key=lambda entry: -entry[2])
    return compiled


class SpecClient:
    """Sends requests to the emulator and validates each request/response pair against the spec."""

    def __init__(self, spec, operations, emulator):
        self.spec = spec
        self.emulator = emulator
        self.http = requests.Session()
        self.operations = _compile(operations)
        self.validated = collections.Counter()
        self.last_response = None

    def operation(self, method, path):
        for op_method, regex, _literal, label in self.operations:
            if op_method == method and regex.match(path):
                return label
        raise AssertionError("%s %s is not an operation of the spec" % (method, path))

    def call(self, method, path, body=None, params=None, beta=ASSISTANTS_BETA, send_body=True):
        """``path`` starts with /v1. Asserts a 200 and a spec-valid request and response."""
        from openapi_core.testing import MockRequest, MockResponse

        headers = {"Authorization": "Bearer %s" % self.emulator.api_key}
        if beta:
            headers["OpenAI-Beta"] = beta
        data = None
        if body is not None and send_body:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        query = list(params.items()) if isinstance(params, dict) else list(params or [])
        url = self.emulator.base_url[: -len("/v1")] + path
        response = self.http.request(method, url, data=data, params=query, headers=headers, timeout=30)
        self.last_response = response
        assert response.status_code == 200, "%s %s -> %s %s" % (method, path, response.status_code, response.text)
        assert response.headers["content-type"] == "application/json"
        assert re.fullmatch(r"req_[0-9a-f]{32}", response.headers["x-request-id"])
        label = self.operation(method, path)
        mock_request = MockRequest(SPEC_HOST, method.lower(), path, args=[(k, str(v)) for k, v in query],
                                   headers=headers, data=data or b"")
        mock_response = MockResponse(response.content, status_code=response.status_code,
                                     headers=dict(response.headers), content_type="application/json")
        try:
            self.spec.validate_request(mock_request)
            self.spec.validate_response(mock_request, mock_response)
        except Exception as exc:  # show the schema errors, not only the summary
            details = getattr(exc, "schema_errors", None) or getattr(exc.__cause__, "schema_errors", None) or []
            raise AssertionError("%s does not conform to the spec: %s\n%s\nbody: %s" % (
                label, exc, "\n".join(str(e.message) for e in details), response.text[:3000])) from exc
        self.validated[label] += 1
        return response.json()

    def get(self, path, params=None, beta=ASSISTANTS_BETA):
        return self.call("GET", path, params=params, beta=beta)

    def post(self, path, body=None, params=None, beta=ASSISTANTS_BETA, send_body=True):
        return self.call("POST", path, body=body, params=params, beta=beta, send_body=send_body)

    def delete(self, path, beta=ASSISTANTS_BETA):
        return self.call("DELETE", path, beta=beta)

    def covered(self, prefix_operations):
        return set(prefix_operations) - set(self.validated)


@pytest.fixture(scope="module")
def spec_emulator():
    """A module's own emulator with a slow run clock (5 s), driven with POST /__emulator/clock."""
    with Emulator(run_seconds=5) as server:
        yield server


@pytest.fixture
def spec_client(openapi_spec, spec_operations, spec_emulator):
    client = SpecClient(openapi_spec, spec_operations, spec_emulator)
    yield client
    client.http.close()
