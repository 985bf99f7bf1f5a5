"""The client: auth headers, retries and their limits, never-duplicate creates, error mapping, redaction."""

import pytest
import requests

from ansible_collections.openai.beta.plugins.module_utils import retry
from ansible_collections.openai.beta.plugins.module_utils.client import OpenAIClient, check_base_url
from ansible_collections.openai.beta.plugins.module_utils.errors import OpenAIError

from fakes import ScriptedSession, api_error, response

KEY = "sk-unit-test-secret-0123456789"


def make_client(*answers, max_retries=3, **kwargs):
    slept, warnings = [], []
    client = OpenAIClient(api_key=KEY, base_url="https://api.example.test/v1", max_retries=max_retries,
                          sleep=slept.append, warn=warnings.append, **kwargs)
    scripted = ScriptedSession(*answers)
    client.session.request = scripted.request
    return client, scripted, slept, warnings


def refused():
    inner = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(inner)


def test_headers_carry_auth_beta_org_project():
    client = OpenAIClient(api_key=KEY, organization="org-1", project="proj_1", beta="assistants=v2")
    headers = client.session.headers
    assert headers["Authorization"] == "Bearer " + KEY
    assert headers["OpenAI-Beta"] == "assistants=v2"
    assert headers["OpenAI-Organization"] == "org-1"
    assert headers["OpenAI-Project"] == "proj_1"


def test_no_beta_header_unless_the_family_needs_one():
    assert "OpenAI-Beta" not in OpenAIClient(api_key=KEY).session.headers


@pytest.mark.parametrize("url", ["https://api.openai.com/v1", "http://127.0.0.1:8080/v1", "http://localhost/v1",
                                 "http://[::1]:9/v1", "http://127.9.9.9/v1"])
def test_base_url_accepted(url):
    check_base_url(url)


@pytest.mark.parametrize("url", ["http://api.openai.com/v1", "http://10.0.0.5/v1", "ftp://127.0.0.1/v1", "nonsense"])
def test_base_url_rejected(url):
    with pytest.raises(ValueError, match="base_url"):
        check_base_url(url)


def test_success_returns_json_and_sends_query_and_body():
    client, scripted, slept, warnings = make_client(response(200, {"id": "asst_1"}))
    assert client.call("POST", "/assistants", body={"model": "m"}, query={"a": 1}).body == {"id": "asst_1"}
    method, url, kwargs = scripted.calls[0]
    assert (method, url) == ("POST", "https://api.example.test/v1/assistants")
    assert kwargs["json"] == {"model": "m"} and kwargs["params"] == {"a": 1}


def test_any_2xx_is_success():
    client, scripted, slept, warnings = make_client(response(204))
    assert client.delete("/x") == {}


def test_429_is_retried_after_retry_after_ms_and_warns():
    client, scripted, slept, warnings = make_client(
        api_error(429, "slow down", "requests", "rate_limit_exceeded", headers={"retry-after-ms": "250"}),
        response(200, {"ok": True}))
    assert client.get("/assistants") == {"ok": True}
    assert slept == [0.25]
    assert len(scripted.calls) == 2
    assert "retry 1 of 3" in warnings[0] and "HTTP 429" in warnings[0]


def test_retry_after_seconds_and_cap():
    assert retry.retry_after({"retry-after": "2"}) == 2.0
    assert retry.retry_after({"retry-after": "3600"}) == retry.MAX_RETRY_AFTER
    assert retry.retry_after({}) is None


def test_backoff_grows_and_is_capped():
    class NoJitter:
        @staticmethod
        def random():
            return 0.0
    assert [retry.backoff(n, NoJitter) for n in (1, 2, 3, 6)] == [0.5, 1.0, 2.0, 8.0]


def test_5xx_get_retried_with_backoff_until_it_works():
    client, scripted, slept, warnings = make_client(api_error(500, "boom"), api_error(503, "busy"), response(200, {}))
    client.get("/x")
    assert len(scripted.calls) == 3 and len(slept) == 2
    assert 0.375 <= slept[0] <= 0.5 and 0.75 <= slept[1] <= 1.0


def test_retries_are_limited_and_the_last_error_is_raised():
    client, scripted, slept, warnings = make_client(*[api_error(502, "bad gateway")] * 3, max_retries=2)
    with pytest.raises(OpenAIError) as caught:
        client.get("/x")
    assert len(scripted.calls) == 3 and caught.value.status == 502


def test_x_should_retry_false_is_obeyed():
    client, scripted, slept, warnings = make_client(api_error(500, "no", headers={"x-should-retry": "false"}))
    with pytest.raises(OpenAIError):
        client.get("/x")
    assert len(scripted.calls) == 1


def test_x_should_retry_true_retries_even_a_400():
    client, scripted, slept, warnings = make_client(
        api_error(400, "try again", headers={"x-should-retry": "true"}), response(200, {"id": "a"}))
    assert client.post_once("/assistants", {}) == {"id": "a"}
    assert len(scripted.calls) == 2


def test_4xx_is_not_retried():
    client, scripted, slept, warnings = make_client(api_error(400, "bad", param="temperature"))
    with pytest.raises(OpenAIError):
        client.post("/assistants/asst_1", {"temperature": 5})
    assert len(scripted.calls) == 1


def test_create_is_resent_after_429_because_the_server_did_not_act():
    client, scripted, slept, warnings = make_client(api_error(429, "slow"), response(200, {"id": "asst_1"}))
    assert client.post_once("/assistants", {"model": "m"}) == {"id": "asst_1"}
    assert [call[0] for call in scripted.calls] == ["POST", "POST"]


def test_create_is_resent_when_the_connection_was_refused():
    client, scripted, slept, warnings = make_client(refused(), response(200, {"id": "asst_1"}))
    assert client.post_once("/assistants", {}) == {"id": "asst_1"}
    assert len(scripted.calls) == 2


def test_ambiguous_create_without_a_way_to_look_it_up_is_not_resent():
    client, scripted, slept, warnings = make_client(api_error(500, "oops"))
    with pytest.raises(OpenAIError) as caught:
        client.post_once("/threads/thread_1/runs", {"assistant_id": "asst_1"})  # a run without metadata
    assert len(scripted.calls) == 1
    assert "Not retried" in str(caught.value)


def test_ambiguous_create_reads_back_and_returns_what_the_server_made():
    client, scripted, slept, warnings = make_client(requests.exceptions.ConnectionError("Connection aborted"))
    made = {"id": "asst_made"}
    assert client.post_once("/assistants", {}, recover=lambda: made) is made
    assert len(scripted.calls) == 1


def test_ambiguous_create_that_made_nothing_is_sent_again():
    client, scripted, slept, warnings = make_client(
        requests.exceptions.ReadTimeout("read timed out"), response(200, {"id": "asst_2"}))
    lookups = []
    assert client.post_once("/assistants", {}, recover=lambda: lookups.append(1)) == {"id": "asst_2"}
    assert lookups == [1] and len(scripted.calls) == 2


@pytest.mark.parametrize("broken", [requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"),
                                    requests.exceptions.ContentDecodingError("bad gzip")])
def test_an_answer_that_broke_off_is_ambiguous(broken):
    client, scripted, slept, warnings = make_client(broken)
    made = {"id": "asst_made"}
    assert client.post_once("/assistants", {}, recover=lambda: made) is made  # looked for, not sent again
    assert len(scripted.calls) == 1
    client, scripted, slept, warnings = make_client(broken, response(200, {"id": "asst_2"}))
    assert client.get("/assistants/asst_2") == {"id": "asst_2"}  # a GET is simply sent again
    assert len(scripted.calls) == 2 and "the answer broke off" in warnings[0]


def test_repeatable_post_is_retried_after_a_dropped_connection():
    client, scripted, slept, warnings = make_client(requests.exceptions.ConnectionError("reset"), response(200, {"id": "x"}))
    assert client.post("/assistants/asst_1", {"name": "n"}) == {"id": "x"}
    assert len(scripted.calls) == 2


def test_error_mapping_carries_everything():
    client, scripted, slept, warnings = make_client(api_error(400, "Invalid value", "invalid_request_error", "bad_value", "top_p"))
    with pytest.raises(OpenAIError) as caught:
        client.post("/assistants/asst_1", {"top_p": 3})
    error = caught.value
    assert error.details == {"status": 400, "type": "invalid_request_error", "code": "bad_value", "param": "top_p",
                             "request_id": "req_400", "method": "POST", "path": "/assistants/asst_1"}
    text = str(error)
    for part in ("POST /assistants/asst_1", "HTTP 400", "Invalid value", "param=top_p", "request_id=req_400"):
        assert part in text


def test_error_without_openai_body_still_reports_status():
    bad = response(502, None)
    bad._content = b"<html>Bad Gateway</html>"
    client, scripted, slept, warnings = make_client(bad, max_retries=0)
    with pytest.raises(OpenAIError) as caught:
        client.get("/x")
    assert caught.value.status == 502 and "Bad Gateway" in caught.value.message


def test_transport_errors_never_contain_the_key():
    client, scripted, slept, warnings = make_client(
        *[requests.exceptions.ConnectionError("failed with header Bearer " + KEY)] * 2, max_retries=1)
    with pytest.raises(OpenAIError) as caught:
        client.get("/x")
    assert KEY not in str(caught.value) and KEY not in " ".join(warnings)
    assert "********" in str(caught.value)


def test_non_json_success_is_an_error():
    ok = response(200, None)
    ok._content = b"not json"
    client, scripted, slept, warnings = make_client(ok)
    with pytest.raises(OpenAIError, match="not JSON"):
        client.get("/x")


def test_the_shared_pause_holds_every_worker_but_the_one_that_slept_it_out():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pause = retry.SharedPause(sleep=sleep, clock=lambda: now[0])
    pause.wait()
    assert slept == []                       # nothing to wait for
    until = pause.hold(2.0)
    assert until == 102.0
    pause.wait(served=until)                 # the worker that got the 429 and slept itself
    assert slept == []
    pause.wait()                             # any other worker
    assert slept == [2.0]
    assert pause.hold(0.5) == 102.5 and pause.hold(0.1) == 102.5  # a shorter pause never shortens a longer one
