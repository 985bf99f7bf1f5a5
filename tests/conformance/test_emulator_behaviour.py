"""Behaviour of the emulator that the spec does not describe: auth, beta headers, errors, exact
pagination, limits, admin counters, fault injection, persistence, the run clock and shutdown."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from emulator.harness import SERVER, Emulator

ASSISTANTS = {"OpenAI-Beta": "assistants=v2"}
CHATKIT = {"OpenAI-Beta": "chatkit_beta=v1"}
REQUEST_ID = re.compile(r"req_[0-9a-f]{32}")


class Api:
    """A thin requests wrapper: auth and beta headers by default, raw responses back."""

    def __init__(self, emulator, beta=None):
        self.emulator = emulator
        self.http = requests.Session()
        self.beta = dict(beta or ASSISTANTS)

    def request(self, method, path, body=None, params=None, headers=None, auth=True, beta=True, timeout=30):
        all_headers = {}
        if auth:
            all_headers["Authorization"] = "Bearer %s" % self.emulator.api_key
        if beta and self.beta:
            all_headers.update(self.beta)
        all_headers.update(headers or {})
        return self.http.request(method, self.emulator.base_url + path, json=body, params=params,
                                 headers=all_headers, timeout=timeout)

    def ok(self, method, path, body=None, params=None, **kwargs):
        response = self.request(method, path, body, params, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path, params=None, **kwargs):
        return self.ok("GET", path, params=params, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.ok("POST", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.ok("DELETE", path, **kwargs)


def assert_error(response, status, param=None, code=None, type_="invalid_request_error"):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert REQUEST_ID.fullmatch(response.headers["x-request-id"])
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["type"] == type_
    assert body["error"]["param"] == param
    if code is not None:
        assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def api(emulator):
    client = Api(emulator)
    yield client
    client.http.close()


@pytest.fixture
def fresh_api(fresh_emulator):
    client = Api(fresh_emulator)
    yield client
    client.http.close()


# ---- auth ------------------------------------------------------------------------------------------
def test_auth_is_required_and_the_key_is_never_echoed():
    key = "sk-proj-VerySecretEmulatorKey0123456789"
    with Emulator(api_key=key) as emu:
        http = requests.Session()
        url = emu.base_url + "/assistants"
        responses = [
            http.get(url, headers=ASSISTANTS),
            http.get(url, headers=dict(ASSISTANTS, Authorization="Bearer")),
            http.get(url, headers=dict(ASSISTANTS, Authorization="Basic abc")),
            http.get(url, headers=dict(ASSISTANTS, Authorization="Bearer " + key + "x")),
            http.get(url, headers=dict(ASSISTANTS, Authorization="Bearer " + key[:-1])),
            http.post(emu.base_url + "/conversations", json={}, headers={"Authorization": "Bearer wrong"}),
        ]
        for response in responses:
            assert_error(response, 401, code="invalid_api_key")
        good = http.get(url, headers=dict(ASSISTANTS, Authorization="Bearer " + key))
        assert good.status_code == 200
        responses.append(good)
        created = http.post(url, json={"model": "gpt-4o"}, headers=dict(ASSISTANTS, Authorization="Bearer " + key))
        responses.append(created)
        for response in responses:
            text = response.text + json.dumps(dict(response.headers))
            for fragment in (key, key[:12], key[-8:], "VerySecret"):
                assert fragment not in text
        stats = json.dumps(emu.stats())
        assert key not in stats
        assert key not in emu._stderr()  # nothing about the key in the server's log either
        assert emu.stop() == 0


def test_any_token_is_accepted_without_api_key():
    with Emulator(api_key=None) as emu:
        response = requests.post(emu.base_url + "/conversations", json={},
                                 headers={"Authorization": "Bearer anything"})
        assert response.status_code == 200
        assert_error(requests.post(emu.base_url + "/conversations", json={}), 401, code="invalid_api_key")


# ---- beta headers ----------------------------------------------------------------------------------
def test_beta_headers(api):
    for path in ("/assistants", "/threads/thread_x", "/threads/thread_x/messages", "/threads/thread_x/runs"):
        error = assert_error(api.request("GET", path, beta=False), 400, code="invalid_beta")
        assert "assistants=v2" in error["message"]
    assert_error(api.request("GET", "/assistants", beta=False, headers={"OpenAI-Beta": "assistants=v1"}),
                 400, code="invalid_beta")
    assert api.request("GET", "/assistants", beta=False,
                       headers={"OpenAI-Beta": "realtime=v1, assistants=v2"}).status_code == 200
    error = assert_error(api.request("GET", "/chatkit/threads"), 400, code="invalid_beta")
    assert "chatkit_beta=v1" in error["message"]
    assert api.request("GET", "/chatkit/threads", beta=False, headers=CHATKIT).status_code == 200
    assert api.request("POST", "/conversations", {}, beta=False).status_code == 200


# ---- errors ----------------------------------------------------------------------------------------
def test_not_found_and_unknown_routes(api):
    error = assert_error(api.request("GET", "/assistants/asst_nope"), 404)
    assert error["message"] == "No assistant found with id 'asst_nope'."
    for method, path in (("GET", "/threads/thread_nope"), ("POST", "/threads/thread_nope/messages"),
                         ("GET", "/threads/thread_nope/runs/run_x"), ("DELETE", "/assistants/asst_nope"),
                         ("POST", "/assistants/asst_nope")):
        assert_error(api.request(method, path, {"role": "user", "content": "x"} if method == "POST" else None),
                     404, param=None if "assistants" in path else "thread_id")
    conversation = api.post("/conversations", {})
    assert_error(api.request("GET", "/conversations/conv_nope"), 404, param="conversation_id")
    assert_error(api.request("GET", "/conversations/%s/items/msg_nope" % conversation["id"]), 404, param="item_id")
    assert_error(api.request("DELETE", "/conversations/%s/items/msg_nope" % conversation["id"]), 404,
                 param="item_id")
    error = assert_error(api.request("GET", "/nope"), 404)
    assert error["message"] == "Invalid URL (GET /v1/nope)"
    error = assert_error(api.request("PUT", "/assistants"), 405)
    assert error["message"] == "Invalid method for URL (PUT /v1/assistants)"
    assert_error(api.request("PATCH", "/conversations/%s" % conversation["id"]), 405)
    assert_error(api.request("GET", "/threads/runs"), 404, param="thread_id")  # POST-only literal route
    admin = requests.get(api.emulator.admin_url + "/nope")
    assert admin.status_code == 404 and "error" in admin.json()
    response = api.http.post(api.emulator.base_url + "/assistants", data=b"{not json",
                             headers=dict(ASSISTANTS, Authorization="Bearer %s" % api.emulator.api_key))
    assert_error(response, 400)
    assert_error(api.request("POST", "/assistants", [1, 2]), 400, param="body", code="invalid_type")


def test_validation_errors_name_the_param(api):
    assistant = api.post("/assistants", {"model": "gpt-4o"})
    path = "/assistants/%s" % assistant["id"]
    cases = [
        ({}, "model", "missing_required_parameter"),
        ({"model": "gpt-4o", "metadata": {"k%d" % i: "v" for i in range(17)}}, "metadata", None),
        ({"model": "gpt-4o", "metadata": {"k" * 65: "v"}}, "metadata", None),
        ({"model": "gpt-4o", "metadata": {"k": "v" * 513}}, "metadata.k", "string_above_max_length"),
        ({"model": "gpt-4o", "metadata": {"k": 1}}, "metadata.k", "invalid_type"),
        ({"model": "gpt-4o", "metadata": "x"}, "metadata", "invalid_type"),
        ({"model": "gpt-4o", "temperature": 2.01}, "temperature", "decimal_above_max_value"),
        ({"model": "gpt-4o", "temperature": -0.1}, "temperature", "decimal_below_min_value"),
        ({"model": "gpt-4o", "top_p": 1.5}, "top_p", "decimal_above_max_value"),
        ({"model": "gpt-4o", "top_p": "high"}, "top_p", "invalid_type"),
        ({"model": "gpt-4o", "name": "n" * 257}, "name", "string_above_max_length"),
        ({"model": "gpt-4o", "description": "d" * 513}, "description", "string_above_max_length"),
        ({"model": "gpt-4o", "reasoning_effort": "extreme"}, "reasoning_effort", "invalid_value"),
        ({"model": "gpt-4o", "response_format": "json"}, "response_format", "invalid_value"),
        ({"model": "gpt-4o", "tools": [{"type": "browser"}]}, "tools[0].type", "invalid_value"),
        ({"model": "gpt-4o", "tools": [{"type": "function", "function": {}}]}, "tools[0].function.name", None),
        ({"model": "gpt-4o", "colour": "red"}, "colour", "unknown_parameter"),
    ]
    for body, param, code in cases:
        assert_error(api.request("POST", "/assistants", body), 400, param=param, code=code)
        if "model" in body and len(body) > 1:  # the same checks apply to a modify
            update = dict(body)
            del update["model"]
            assert_error(api.request("POST", path, update), 400, param=param, code=code)
    # the limits themselves are fine
    ok = api.post("/assistants", {"model": "gpt-4o", "metadata": {("k%02d" % i) * 16: "v" * 512 for i in range(16)},
                                  "temperature": 2, "top_p": 0})
    assert len(ok["metadata"]) == 16 and ok["temperature"] == 2.0 and isinstance(ok["temperature"], float)
    assert api.get(path) == assistant  # nothing above changed it

    conversation = api.post("/conversations", {})
    items = [{"role": "user", "content": "m%d" % i} for i in range(21)]
    assert_error(api.request("POST", "/conversations", {"items": items}), 400, param="items",
                 code="array_above_max_length")
    assert_error(api.request("POST", "/conversations/%s/items" % conversation["id"], {"items": items}), 400,
                 param="items")
    assert_error(api.request("POST", "/conversations/%s/items" % conversation["id"], {"items": []}), 400,
                 param="items")
    assert_error(api.request("POST", "/conversations/%s/items" % conversation["id"],
                             {"items": [{"role": "robot", "content": "x"}]}), 400, param="items[0].role")
    assert_error(api.request("POST", "/conversations/%s" % conversation["id"], {}), 400, param="metadata")
    assert_error(api.request("GET", "/conversations/%s/items" % conversation["id"], params={"include": "bogus"}),
                 400, param="include")
    assert api.get("/conversations/%s/items" % conversation["id"])["data"] == []  # nothing was half-created


def test_updates_change_only_what_is_sent(api):
    assistant = api.post("/assistants", {"model": "gpt-4o", "name": "a", "instructions": "i",
                                         "metadata": {"x": "1", "y": "2"}, "temperature": 0.3})
    path = "/assistants/%s" % assistant["id"]
    same = api.post(path, {})
    assert same == assistant
    renamed = api.post(path, {"name": "b"})
    assert renamed == dict(assistant, name="b")
    replaced = api.post(path, {"metadata": {"z": "3"}})
    assert replaced["metadata"] == {"z": "3"} and replaced["instructions"] == "i"
    cleared = api.post(path, {"metadata": {}, "instructions": None, "temperature": None})
    assert cleared["metadata"] == {} and cleared["instructions"] is None and cleared["temperature"] == 1.0
    assert api.get(path) == cleared

    conversation = api.post("/conversations", {"metadata": {"a": "1"}}, beta=False)
    updated = api.post("/conversations/%s" % conversation["id"], {"metadata": {"b": "2"}}, beta=False)
    assert updated["metadata"] == {"b": "2"} and updated["created_at"] == conversation["created_at"]


def test_one_connection_serves_many_requests(api):
    """Keep-alive works (a client reuses one connection), chunked bodies are read, request ids differ."""
    def body():
        yield b'{"model": '
        yield b'"gpt-4o"}'

    first = api.http.post(api.emulator.base_url + "/assistants", data=body(),
                          headers=dict(ASSISTANTS, Authorization="Bearer %s" % api.emulator.api_key,
                                       **{"Content-Type": "application/json"}))
    assert first.status_code == 200 and first.json()["model"] == "gpt-4o"
    ids = {first.headers["x-request-id"]}
    for _attempt in range(5):
        response = api.request("GET", "/assistants/%s" % first.json()["id"])
        assert response.status_code == 200
        assert response.headers.get("connection", "keep-alive").lower() != "close"
        ids.add(response.headers["x-request-id"])
    assert len(ids) == 6


# ---- pagination ------------------------------------------------------------------------------------
def test_exact_pagination_over_250_assistants(fresh_api):
    api = fresh_api
    created = [api.post("/assistants", {"model": "gpt-4o", "name": "a%03d" % i})["id"] for i in range(250)]

    def walk(order, **extra):
        pages, cursor = [], None
        while True:
            params = dict(extra, limit=100, order=order)
            if cursor:
                params["after"] = cursor
            page = api.get("/assistants", params)
            pages.append(page)
            if not page["has_more"]:
                return pages
            cursor = page["last_id"]

    desc = walk("desc")
    assert [len(p["data"]) for p in desc] == [100, 100, 50]
    assert [p["has_more"] for p in desc] == [True, True, False]
    assert [a["id"] for p in desc for a in p["data"]] == created[::-1]
    for page in desc:
        assert page["object"] == "list"
        assert page["first_id"] == page["data"][0]["id"] and page["last_id"] == page["data"][-1]["id"]
    asc = walk("asc")
    assert [a["id"] for p in asc for a in p["data"]] == created
    assert [p["has_more"] for p in asc] == [True, True, False]

    # default: 20 newest first
    default = api.get("/assistants")
    assert [a["id"] for a in default["data"]] == created[::-1][:20] and default["has_more"] is True

    # before: walk backwards from the end of the desc listing
    back = api.get("/assistants", {"limit": 100, "before": desc[2]["first_id"]})
    assert [a["id"] for a in back["data"]] == created[::-1][100:200] and back["has_more"] is True
    back = api.get("/assistants", {"limit": 100, "before": back["first_id"]})
    assert [a["id"] for a in back["data"]] == created[::-1][:100] and back["has_more"] is False
    edge = api.get("/assistants", {"limit": 100, "before": created[-1]})
    assert edge == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    last = api.get("/assistants", {"limit": 5, "order": "asc", "after": created[-1]})
    assert last["data"] == [] and last["has_more"] is False and last["first_id"] is None
    window = api.get("/assistants", {"order": "asc", "after": created[9], "before": created[15]})
    assert [a["id"] for a in window["data"]] == created[10:15] and window["has_more"] is False
    exact = api.get("/assistants", {"order": "asc", "limit": 50, "after": created[199]})
    assert len(exact["data"]) == 50 and exact["has_more"] is False

    # a cursor whose object was deleted still marks its place
    api.delete("/assistants/%s" % created[100])
    after_deleted = api.get("/assistants", {"order": "asc", "limit": 2, "after": created[100]})
    assert [a["id"] for a in after_deleted["data"]] == created[101:103]

    for bad in ("0", "101", "-1", "abc"):
        assert_error(api.request("GET", "/assistants", params={"limit": bad}), 400, param="limit")
    assert_error(api.request("GET", "/assistants", params={"order": "sideways"}), 400, param="order")
    assert_error(api.request("GET", "/assistants", params={"after": "asst_unknown"}), 400, param="after")
    assert_error(api.request("GET", "/assistants", params={"before": "asst_unknown"}), 400, param="before")


def test_conversation_items_pagination(api):
    conversation = api.post("/conversations", {})
    path = "/conversations/%s/items" % conversation["id"]
    ids = []
    for batch in range(3):
        created = api.post(path, {"items": [{"role": "user", "content": "m%d-%d" % (batch, i)} for i in range(20)]})
        assert len(created["data"]) == 20 and created["has_more"] is False
        ids += [item["id"] for item in created["data"]]
    seen, cursor = [], None
    while True:
        page = api.get(path, {"limit": 25, **({"after": cursor} if cursor else {})})
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["last_id"]
    assert seen == ids[::-1]
    asc = api.get(path, {"limit": 100, "order": "asc"})
    assert [i["id"] for i in asc["data"]] == ids and asc["has_more"] is False
    # the endpoint has no `before`: it is ignored
    assert api.get(path, {"limit": 100, "before": ids[5]})["data"][-1]["id"] == ids[0]
    assert_error(api.request("GET", path, params={"limit": 101}), 400, param="limit")


# ---- admin: stats and reset ------------------------------------------------------------------------
def test_stats_count_reads_and_writes(fresh_api):
    api, emu = fresh_api, fresh_api.emulator
    assert emu.stats() == {"requests": {}, "writes": 0, "reads": 0, "total": 0, "faults": {}}
    assistant = api.post("/assistants", {"model": "gpt-4o"})
    api.get("/assistants/%s" % assistant["id"])
    api.get("/assistants/%s" % assistant["id"])
    api.post("/assistants/%s" % assistant["id"], {"name": "x"})
    api.request("POST", "/assistants", {})  # 400: still a write
    api.request("GET", "/assistants/asst_missing")  # 404: still a read
    api.request("GET", "/assistants", auth=False)  # 401: still a read
    api.request("DELETE", "/nowhere")  # unknown route: counted under its path
    api.delete("/assistants/%s" % assistant["id"])
    requests.get(emu.admin_url + "/stats")  # admin requests are never counted
    stats = emu.stats()
    assert stats["requests"] == {
        "POST /v1/assistants": 2,
        "GET /v1/assistants/{assistant_id}": 3,
        "POST /v1/assistants/{assistant_id}": 1,
        "GET /v1/assistants": 1,
        "DELETE /v1/nowhere": 1,
        "DELETE /v1/assistants/{assistant_id}": 1,
    }
    assert (stats["writes"], stats["reads"], stats["total"]) == (5, 4, 9)
    assert emu.writes() == 5

    emu.reset()
    assert emu.stats() == {"requests": {}, "writes": 0, "reads": 0, "total": 0, "faults": {}}
    kept = api.post("/assistants", {"model": "gpt-4o"})
    emu.reset()
    assert api.get("/assistants")["data"] == [kept]  # counters only
    emu.reset(state=True)
    assert api.get("/assistants")["data"] == []
    assert emu.stats()["reads"] == 1


def test_stats_are_exact_under_concurrency(fresh_api):
    emu = fresh_api.emulator
    errors = []

    def worker(n):
        try:
            client = Api(emu)
            for i in range(25):
                client.post("/conversations", {"metadata": {"w": str(n)}}, beta=False)
                client.request("GET", "/assistants")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    stats = emu.stats()
    assert stats["requests"] == {"POST /v1/conversations": 100, "GET /v1/assistants": 100}
    assert (stats["writes"], stats["reads"], stats["total"]) == (100, 100, 200)


# ---- faults ----------------------------------------------------------------------------------------
def test_fault_429_and_5xx(fresh_api):
    api, emu = fresh_api, fresh_api.emulator
    emu.set_faults(1.0, kinds=["429"])
    response = api.request("POST", "/assistants", {"model": "gpt-4o"})
    error = assert_error(response, 429, code="rate_limit_exceeded", type_="requests")
    assert error["message"]
    assert response.headers["retry-after-ms"] == "50"
    assert response.headers["retry-after"] == "1"
    for kind in ("500", "502", "503"):
        emu.set_faults(1.0, kinds=[kind])
        assert_error(api.request("POST", "/assistants", {"model": "gpt-4o"}), int(kind), type_="server_error")
    emu.set_faults(0)
    assert api.get("/assistants")["data"] == []  # no fault acted on the request
    stats = emu.stats()
    assert stats["faults"] == {"429": 1, "500": 1, "502": 1, "503": 1}
    assert stats["requests"]["POST /v1/assistants"] == 4 and stats["writes"] == 4


def test_fault_drop_before_and_drop_after(fresh_api):
    api, emu = fresh_api, fresh_api.emulator
    emu.set_faults(1.0, kinds=["drop_before"])
    with pytest.raises(requests.ConnectionError):
        api.request("POST", "/assistants", {"model": "gpt-4o", "name": "before"})
    emu.set_faults(0)
    assert api.get("/assistants")["data"] == []

    emu.set_faults(1.0, kinds=["drop_after"])
    with pytest.raises(requests.ConnectionError):
        api.request("POST", "/assistants", {"model": "gpt-4o", "name": "after"})
    emu.set_faults(0)
    listed = api.get("/assistants")["data"]
    assert [a["name"] for a in listed] == ["after"]
    stats = emu.stats()
    assert stats["faults"] == {"drop_after": 1, "drop_before": 1}
    assert stats["writes"] == 2 and stats["reads"] == 2


def test_fault_slow_and_count(fresh_api):
    api, emu = fresh_api, fresh_api.emulator
    emu.set_faults(1.0, kinds=["slow"], count=1)
    started = time.monotonic()
    created = api.post("/conversations", {}, beta=False)
    assert time.monotonic() - started >= 0.29
    assert created["object"] == "conversation"
    started = time.monotonic()
    api.get("/conversations/%s" % created["id"])  # count=1: no more faults
    assert time.monotonic() - started < 0.25
    assert emu.stats()["faults"] == {"slow": 1}


def test_faults_are_seeded(fresh_api):
    api, emu = fresh_api, fresh_api.emulator

    def sequence():
        statuses = []
        for _attempt in range(30):
            statuses.append(api.request("GET", "/assistants").status_code)
        return statuses

    emu.set_faults(0.5, seed=7, kinds=["429", "500"])
    first = sequence()
    emu.set_faults(0.5, seed=7, kinds=["429", "500"])
    second = sequence()
    emu.set_faults(0)
    assert first == second
    assert {200, 429, 500} <= set(first)
    faults = emu.stats()["faults"]
    assert faults["429"] + faults["500"] == 2 * sum(1 for s in first if s != 200)
    assert_error(requests.post(emu.admin_url + "/faults", json={"rate": 2}), 400, param="faults")
    assert requests.post(emu.admin_url + "/faults", json={"rate": 0.1, "kinds": ["nope"]}).status_code == 400


def test_faults_from_the_command_line():
    with Emulator(fault_rate=1.0, seed=3, fault_kinds=["503"]) as emu:
        response = requests.get(emu.base_url + "/assistants",
                                headers=dict(ASSISTANTS, Authorization="Bearer %s" % emu.api_key))
        assert response.status_code == 503
        assert emu.stats()["faults"] == {"503": 1}
        assert requests.get(emu.admin_url + "/faults").json()["kinds"] == ["503"]


# ---- persistence and lifecycle ---------------------------------------------------------------------
def test_state_file_survives_a_restart(tmp_path):
    state = tmp_path / "state" / "emulator.json"
    with Emulator(state_file=str(state)) as emu:
        api = Api(emu)
        assistant = api.post("/assistants", {"model": "gpt-4o", "metadata": {"k": "v"}})
        conversation = api.post("/conversations", {"items": [{"role": "user", "content": "hi"}]}, beta=False)
        gone = api.post("/assistants", {"model": "gpt-4o"})
        api.delete("/assistants/%s" % gone["id"])
        assert json.loads(state.read_text())["data"]["assistants"].keys() == {assistant["id"]}
    assert emu.returncode == 0
    assert [p.name for p in state.parent.iterdir()] == ["emulator.json"]  # no temp files left behind
    with Emulator(state_file=str(state)) as emu:
        api = Api(emu)
        assert api.get("/assistants/%s" % assistant["id"]) == assistant
        assert api.get("/conversations/%s/items" % conversation["id"])["data"][0]["content"][0]["text"] == "hi"
        assert_error(api.request("GET", "/assistants/%s" % gone["id"]), 404)
        newer = api.post("/assistants", {"model": "gpt-4o"})
        assert [a["id"] for a in api.get("/assistants")["data"]] == [newer["id"], assistant["id"]]
        assert emu.stats()["total"] == 5  # counters are not persisted


def _start_raw(*args):
    process = subprocess.Popen([sys.executable, SERVER, "--port", "0", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    line = process.stdout.readline().decode().strip()
    return process, line


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_cleanly(signum):
    process, line = _start_raw()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", line)
        # a keep-alive connection stays open while the server stops
        http = requests.Session()
        assert http.get(line.replace("/v1", "/__emulator/health")).json() == {"status": "ok"}
        process.send_signal(signum)
        assert process.wait(10) == 0
        assert process.stdout.read() == b""  # exactly one line on stdout
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_script_runs_from_any_directory(tmp_path):
    process = subprocess.Popen([sys.executable, os.path.abspath(SERVER), "--port", "0", "--host", "127.0.0.1"],
                               cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = process.stdout.readline().decode().strip()
        assert line.startswith("http://127.0.0.1:") and line.endswith("/v1")
        response = requests.post(line + "/conversations", json={}, headers={"Authorization": "Bearer k"})
        assert response.status_code == 200 and response.json()["object"] == "conversation"
    finally:
        process.terminate()
        assert process.wait(10) == 0
        process.stdout.close()
        process.stderr.close()


def test_bad_command_line_fails():
    result = subprocess.run([sys.executable, SERVER, "--port", "0", "--fault-rate", "3"],
                            capture_output=True, timeout=20, check=False)
    assert result.returncode == 2 and result.stdout == b""


# ---- runs ------------------------------------------------------------------------------------------
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}


def _wait_for(api, path, statuses, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        response = api.request("GET", path)
        assert response.status_code == 200, response.text
        run = response.json()
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, "run stuck in %s" % run["status"]
        time.sleep(int(response.headers["openai-poll-after-ms"]) / 1000.0)


def test_runs_follow_the_clock_in_real_time():
    with Emulator(run_seconds=0.4) as emu:
        api = Api(emu)
        assistant = api.post("/assistants", {"model": "gpt-4o", "tools": [WEATHER]})
        thread = api.post("/threads", {"messages": [{"role": "user", "content": "hello"}]})
        runs = "/threads/%s/runs" % thread["id"]
        run = api.post(runs, {"assistant_id": assistant["id"]})
        assert run["status"] == "queued"
        seen = set()
        started = time.monotonic()
        while True:
            response = api.request("GET", "%s/%s" % (runs, run["id"]))
            current = response.json()
            seen.add(current["status"])
            poll = int(response.headers["openai-poll-after-ms"])
            assert 10 <= poll <= 1000
            if current["status"] == "completed":
                break
            time.sleep(0.02)
        assert time.monotonic() - started < 3
        assert {"in_progress", "completed"} <= seen and seen <= {"queued", "in_progress", "completed"}
        assert current["completed_at"] >= current["started_at"] >= current["created_at"]


def test_run_rules(fresh_api):
    api, emu = fresh_api, fresh_api.emulator
    assistant = api.post("/assistants", {"model": "gpt-4o", "tools": [WEATHER]})
    thread = api.post("/threads", {"messages": [{"role": "user", "content": "call:get_weather please"}]})
    runs = "/threads/%s/runs" % thread["id"]
    assert_error(api.request("POST", runs, {}), 400, param="assistant_id", code="missing_required_parameter")
    assert_error(api.request("POST", runs, {"assistant_id": "asst_nope"}), 404, param="assistant_id")
    assert_error(api.request("POST", runs, {"assistant_id": assistant["id"], "temperature": 3}), 400,
                 param="temperature")
    assert_error(api.request("POST", runs, {"assistant_id": assistant["id"], "max_prompt_tokens": 10}), 400,
                 param="max_prompt_tokens")
    assert_error(api.request("POST", runs, {"assistant_id": assistant["id"]}, params={"include[]": "x"}), 400,
                 param="include")
    assert api.get(runs)["data"] == []  # nothing created by the failed attempts

    run = api.post(runs, {"assistant_id": assistant["id"]})
    path = "%s/%s" % (runs, run["id"])
    error = assert_error(api.request("POST", runs, {"assistant_id": assistant["id"]}), 400)
    assert run["id"] in error["message"]
    error = assert_error(api.request("POST", "/threads/%s/messages" % thread["id"],
                                     {"role": "user", "content": "more"}), 400)
    assert run["id"] in error["message"]
    assert_error(api.request("POST", path + "/submit_tool_outputs", {"tool_outputs": []}), 400)  # not waiting yet

    waiting = _wait_for(api, path, {"requires_action"})
    call_id = waiting["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    assert_error(api.request("POST", path + "/submit_tool_outputs", {}), 400, param="tool_outputs")
    assert_error(api.request("POST", path + "/submit_tool_outputs",
                             {"tool_outputs": [{"tool_call_id": "call_wrong", "output": "x"}]}), 400,
                 param="tool_outputs")
    assert api.get(path)["status"] == "requires_action"
    api.post(path + "/submit_tool_outputs", {"tool_outputs": [{"tool_call_id": call_id, "output": "ok"}]})
    done = _wait_for(api, path, {"completed"})
    assert done["usage"]["total_tokens"] > 0
    error = assert_error(api.request("POST", path + "/cancel"), 400)
    assert "completed" in error["message"]
    assert_error(api.request("POST", path, {"status": "cancelled"}), 400, param="status", code="unknown_parameter")
    assert_error(api.request("DELETE", path), 405)  # runs cannot be deleted

    # messages can be added again, and their run_id filter works
    api.post("/threads/%s/messages" % thread["id"], {"role": "user", "content": "thanks"})
    by_run = api.get("/threads/%s/messages" % thread["id"], {"run_id": run["id"]})["data"]
    assert [m["role"] for m in by_run] == ["assistant"]
    assert all(m["run_id"] == run["id"] and m["assistant_id"] == assistant["id"] for m in by_run)

    # tool_choice none disables the trigger; a run's own tools override the assistant's
    quiet = api.post(runs, {"assistant_id": assistant["id"], "tool_choice": "none",
                            "additional_messages": [{"role": "user", "content": "call:get_weather"}]})
    assert _wait_for(api, "%s/%s" % (runs, quiet["id"]), {"completed", "requires_action"})["status"] == "completed"
    no_tools = api.post(runs, {"assistant_id": assistant["id"], "tools": [],
                               "additional_messages": [{"role": "user", "content": "call:get_weather"}]})
    assert _wait_for(api, "%s/%s" % (runs, no_tools["id"]), {"completed", "requires_action"})["status"] == "completed"

    # deleting the thread deletes its messages, runs and steps
    api.delete("/threads/%s" % thread["id"])
    assert_error(api.request("GET", path), 404, param="thread_id")
    assert_error(api.request("GET", path + "/steps"), 404, param="thread_id")
    assert emu.stats()["writes"] >= 10


def test_cancel_a_run_waiting_for_tool_outputs(fresh_api):
    api = fresh_api
    assistant = api.post("/assistants", {"model": "gpt-4o", "tools": [WEATHER]})
    run = api.post("/threads/runs", {"assistant_id": assistant["id"],
                                     "thread": {"messages": [{"role": "user", "content": "call:get_weather"}]}})
    path = "/threads/%s/runs/%s" % (run["thread_id"], run["id"])
    _wait_for(api, path, {"requires_action"})
    assert api.post(path + "/cancel")["status"] == "cancelling"
    cancelled = _wait_for(api, path, {"cancelled"})
    assert cancelled["required_action"] is None and cancelled["cancelled_at"] is not None
    (step,) = api.get(path + "/steps")["data"]
    assert step["type"] == "tool_calls" and step["status"] == "cancelled"


def test_runs_survive_a_restart(tmp_path):
    state = str(tmp_path / "state.json")
    with Emulator(state_file=state, run_seconds=0.5) as emu:
        api = Api(emu)
        assistant = api.post("/assistants", {"model": "gpt-4o"})
        run = api.post("/threads/runs", {"assistant_id": assistant["id"],
                                         "thread": {"messages": [{"role": "user", "content": "persist me"}]}})
    with Emulator(state_file=state, run_seconds=0.5) as emu:
        api = Api(emu)
        path = "/threads/%s/runs/%s" % (run["thread_id"], run["id"])
        done = _wait_for(api, path, {"completed"})
        reply = api.get("/threads/%s/messages" % run["thread_id"], {"limit": 1})["data"][0]
        assert reply["content"][0]["text"]["value"] == "Emulated reply: persist me"


# ---- ChatKit ---------------------------------------------------------------------------------------
def test_chatkit_sessions_and_threads(fresh_api):
    emu = fresh_api.emulator
    api = Api(emu, beta=CHATKIT)
    session = api.post("/chatkit/sessions", {"workflow": {"id": "wf_1"}, "user": "u1"})
    assert api.get("/chatkit/threads")["data"] == []  # a session creates no thread
    assert_error(api.request("POST", "/chatkit/sessions", {"user": "u1"}), 400, param="workflow")
    assert_error(api.request("POST", "/chatkit/sessions", {"workflow": {"id": "wf_1"}}), 400, param="user")
    assert_error(api.request("POST", "/chatkit/sessions", {"workflow": {}, "user": "u"}), 400, param="workflow.id")
    assert_error(api.request("POST", "/chatkit/sessions", {"workflow": {"id": "w"}, "user": "u",
                                                           "expires_after": {"anchor": "created_at",
                                                                             "seconds": 601}}),
                 400, param="expires_after.seconds")
    assert_error(api.request("POST", "/chatkit/sessions/cksess_nope/cancel"), 404, param="session_id")
    assert_error(api.request("GET", "/chatkit/sessions/%s" % session["id"]), 404)  # sessions cannot be read

    short = api.post("/chatkit/sessions", {"workflow": {"id": "wf_1"}, "user": "u1",
                                           "expires_after": {"anchor": "created_at", "seconds": 5}})
    assert short["expires_at"] - 5 <= int(time.time()) + 1
    emu.advance_clock(10)
    assert api.post("/chatkit/sessions/%s/cancel" % short["id"])["status"] == "expired"

    threads = [emu.seed_chatkit_thread("u%d" % (i % 2), title="t%d" % i) for i in range(5)]
    assert api.get("/chatkit/threads", {"limit": 0}) == {"object": "list", "data": [], "first_id": None,
                                                         "last_id": None, "has_more": True}
    assert_error(api.request("GET", "/chatkit/threads", params={"limit": 101}), 400, param="limit")
    mine = api.get("/chatkit/threads", {"user": "u0"})
    assert [t["id"] for t in mine["data"]] == [threads[4]["id"], threads[2]["id"], threads[0]["id"]]
    api.delete("/chatkit/threads/%s" % threads[2]["id"])
    assert_error(api.request("GET", "/chatkit/threads/%s" % threads[2]["id"]), 404, param="thread_id")
    assert_error(api.request("GET", "/chatkit/threads/%s/items" % threads[2]["id"]), 404, param="thread_id")
    assert_error(api.request("DELETE", "/chatkit/threads/%s" % threads[2]["id"]), 404, param="thread_id")
    assert_error(api.request("POST", "/chatkit/threads", {}), 405)  # the API has no create
    bad = requests.post(emu.admin_url + "/chatkit/threads", json={"title": "no user"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "user"
    stats = emu.stats()
    assert "POST /v1/chatkit/sessions" in stats["requests"] and not any("__emulator" in k for k in stats["requests"])
