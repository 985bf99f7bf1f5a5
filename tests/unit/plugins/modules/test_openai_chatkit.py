"""openai_chatkit_session, openai_chatkit_thread and openai_chatkit_thread_info through main(), against the emulator."""

import time

import pytest

from ansible_collections.openai.beta.plugins.modules import (
    openai_chatkit_session,
    openai_chatkit_thread,
    openai_chatkit_thread_info,
)

from modrun import ModuleFail, run

SESSIONS = "POST /v1/chatkit/sessions"
CANCEL = "POST /v1/chatkit/sessions/{session_id}/cancel"
THREADS = "GET /v1/chatkit/threads"
THREAD = "GET /v1/chatkit/threads/{thread_id}"
DELETE_THREAD = "DELETE /v1/chatkit/threads/{thread_id}"
ITEMS = "GET /v1/chatkit/threads/{thread_id}/items"

FULL_SESSION = {
    "user": "user-1234",
    "workflow": {
        "id": "wf_68df4b13b3588190a09d19288d4610ec",
        "version": "3",
        "state_variables": {"plan": "pro", "seats": 5, "beta": True},
        "tracing": {"enabled": False},
    },
    "chatkit_configuration": {
        "automatic_thread_titling": {"enabled": False},
        "file_upload": {"enabled": True, "max_file_size": 16, "max_files": 3},
        "history": {"enabled": True, "recent_threads": 5},
    },
    "expires_after": {"anchor": "created_at", "seconds": 120},
    "rate_limits": {"max_requests_per_1_minute": 30},
}


@pytest.fixture
def api(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    return fresh_emulator


def session(api, check_mode=False, diff=False, **args):
    return run(openai_chatkit_session.main, dict(api.conn, **args), check_mode=check_mode, diff=diff)


def thread(api, check_mode=False, diff=False, **args):
    return run(openai_chatkit_thread.main, dict(api.conn, **args), check_mode=check_mode, diff=diff)


def info(api, **args):
    return run(openai_chatkit_thread_info.main, dict(api.conn, **args))["threads"]


def ids(threads):
    return [t["id"] for t in threads]


# ---- sessions ------------------------------------------------------------------------------------
def test_session_check_mode_mints_nothing_and_has_no_secret(api):
    result = session(api, check_mode=True, diff=True, **FULL_SESSION)
    assert result["changed"] is True
    would_be = result["session"]
    assert would_be["id"] is None and would_be["client_secret"] is None
    assert would_be["status"] == "active" and would_be["object"] == "chatkit.session"
    assert would_be["user"] == "user-1234" and would_be["workflow"] == FULL_SESSION["workflow"]
    assert result["diff"]["before"] == {}
    assert "client_secret" not in result["diff"]["after"]
    assert api.stats()["total"] == 0


def test_session_present_sends_every_option(api):
    before = int(time.time())
    result = session(api, **FULL_SESSION)
    after = int(time.time())
    minted = result["session"]
    assert result["changed"] is True
    assert minted["id"].startswith("cksess_") and minted["client_secret"].startswith("ek_")
    assert minted["object"] == "chatkit.session" and minted["status"] == "active"
    assert minted["user"] == "user-1234"
    assert minted["workflow"] == FULL_SESSION["workflow"]
    assert minted["chatkit_configuration"] == FULL_SESSION["chatkit_configuration"]
    assert minted["rate_limits"] == {"max_requests_per_1_minute": 30}
    assert minted["max_requests_per_1_minute"] == 30
    assert before + 120 <= minted["expires_at"] <= after + 120
    assert api.stats()["requests"] == {SESSIONS: 1}
    assert result["warnings"] == []


def test_session_server_defaults_without_options(api):
    minted = session(api, user="u", workflow={"id": "wf_1"})["session"]
    assert minted["workflow"] == {"id": "wf_1", "version": None, "state_variables": None, "tracing": {"enabled": True}}
    assert minted["rate_limits"] == {"max_requests_per_1_minute": 10}
    assert minted["chatkit_configuration"]["file_upload"] == {"enabled": False, "max_file_size": 512, "max_files": 10}
    assert minted["expires_at"] - int(time.time()) in range(595, 601)


def test_every_present_mints_a_new_session(api):
    first = session(api, user="u", workflow={"id": "wf_1"})
    second = session(api, user="u", workflow={"id": "wf_1"})
    assert first["changed"] is True and second["changed"] is True
    assert first["session"]["id"] != second["session"]["id"]
    assert first["session"]["client_secret"] != second["session"]["client_secret"]
    assert api.stats()["requests"] == {SESSIONS: 2}


def test_client_secret_is_returned_but_never_in_the_diff_or_warnings(api):
    result = session(api, diff=True, **FULL_SESSION)
    secret = result["session"]["client_secret"]
    assert secret.startswith("ek_")
    diff = result["diff"]
    assert diff["before"] == {}
    assert sorted(diff["after"]) == ["chatkit_configuration", "expires_after", "rate_limits", "user", "workflow"]
    assert diff["after"]["workflow"] == FULL_SESSION["workflow"]
    assert diff["after"]["expires_after"] == {"anchor": "created_at", "seconds": 120}
    assert secret not in repr(diff) and "client_secret" not in repr(diff)
    assert secret not in repr(result["warnings"])
    cancelled = session(api, diff=True, session_id=result["session"]["id"], state="absent")
    assert secret not in repr(cancelled["diff"]) and secret not in repr(cancelled["warnings"])


def test_lost_answer_mints_again_and_warns_of_the_unusable_session(api):
    api.set_faults(1.0, kinds=["drop_after"], requests=[SESSIONS], count=1)
    result = session(api, user="user-1", workflow={"id": "wf_1"})
    minted = result["session"]
    assert minted["id"].startswith("cksess_") and minted["client_secret"]
    assert any("session whose client secret nobody received" in warning for warning in result["warnings"])
    assert minted["client_secret"] not in " ".join(result["warnings"])
    sessions = api.state()["data"]["chatkit_sessions"]
    assert len(sessions) == 2 and minted["id"] in sessions
    assert api.stats()["requests"] == {SESSIONS: 2}


def test_absent_cancels_the_session(api):
    minted = session(api, user="u", workflow={"id": "wf_1"})["session"]
    api.reset()
    checked = session(api, check_mode=True, session_id=minted["id"], state="absent")
    assert checked["changed"] is True and api.stats()["total"] == 0
    result = session(api, diff=True, session_id=minted["id"], state="absent")
    assert result["changed"] is True
    assert result["session"]["id"] == minted["id"] and result["session"]["status"] == "cancelled"
    assert result["diff"] == {"before": {"status": "unknown"}, "after": {"status": "cancelled"}}
    assert api.stats()["requests"] == {CANCEL: 1}


def test_absent_for_an_unknown_session_is_not_a_change(api):
    result = session(api, session_id="cksess_doesnotexist", state="absent")
    assert result["changed"] is False and result["session"] is None
    assert api.stats()["requests"] == {CANCEL: 1}


def test_session_id_with_present_fails_before_any_request(api):
    with pytest.raises(ModuleFail) as failed:
        session(api, session_id="cksess_abc", user="u", workflow={"id": "wf_1"})
    assert "session_id is only used with state=absent" in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def test_absent_needs_a_session_id(api):
    with pytest.raises(ModuleFail) as failed:
        session(api, state="absent")
    assert "session_id" in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def _with(path, value):
    """FULL_SESSION with one nested option replaced (or removed, for value None)."""
    args = {key: (dict(value) if isinstance(value, dict) else value) for key, value in FULL_SESSION.items()}
    args["workflow"] = dict(FULL_SESSION["workflow"])
    args["chatkit_configuration"] = {k: dict(v) for k, v in FULL_SESSION["chatkit_configuration"].items()}
    keys = path.split(".")
    target = args
    for key in keys[:-1]:
        target = target[key]
    if value is None:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return args


@pytest.mark.parametrize("path,value,fragment", [
    ("expires_after.seconds", 0, "expires_after.seconds must be between 1 and 600, got 0"),
    ("expires_after.seconds", 601, "expires_after.seconds must be between 1 and 600, got 601"),
    ("chatkit_configuration.file_upload.max_file_size", 513,
     "chatkit_configuration.file_upload.max_file_size must be between 1 and 512, got 513"),
    ("chatkit_configuration.file_upload.max_files", 0,
     "chatkit_configuration.file_upload.max_files must be at least 1, got 0"),
    ("chatkit_configuration.history.recent_threads", 0,
     "chatkit_configuration.history.recent_threads must be at least 1, got 0"),
    ("workflow.state_variables", dict(("v%d" % i, i) for i in range(65)),
     "workflow.state_variables has 65 keys; at most 64 are allowed"),
    ("workflow.state_variables", {"nested": {"a": 1}},
     "workflow.state_variables.nested must be a string, number or boolean"),
    ("user", None, "user is required to create a ChatKit session"),
    ("workflow.id", None, "missing required arguments: id found in workflow"),
    ("rate_limits.max_requests_per_1_minute", 0, "rate_limits.max_requests_per_1_minute must be at least 1, got 0"),
])
def test_bad_session_input_fails_before_any_request(api, path, value, fragment):
    with pytest.raises(ModuleFail) as failed:
        session(api, **_with(path, value))
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


def test_state_variables_at_the_limit_are_accepted(api):
    variables = dict(("v%d" % i, i) for i in range(64))
    minted = session(api, user="u", workflow={"id": "wf_1", "state_variables": variables},
                     expires_after={"seconds": 600},
                     chatkit_configuration={"file_upload": {"max_file_size": 512}})["session"]
    assert minted["workflow"]["state_variables"] == variables
    assert minted["chatkit_configuration"]["file_upload"]["max_file_size"] == 512


# ---- thread info ---------------------------------------------------------------------------------
def test_info_reads_every_page_filters_and_orders(api):
    seeded = [api.seed_chatkit_thread("alice" if i % 10 else "bob", title="t%03d" % i)["id"] for i in range(105)]
    bobs = [seeded[i] for i in range(0, 105, 10)]
    api.reset()
    assert ids(info(api, order="asc")) == seeded
    assert api.stats()["requests"] == {THREADS: 2}
    api.reset()
    assert ids(info(api, order="desc")) == list(reversed(seeded))
    assert ids(info(api)) == list(reversed(seeded))  # the API's default order is desc
    assert api.stats()["requests"] == {THREADS: 4}
    api.reset()
    by_bob = info(api, user="bob", order="asc")
    assert ids(by_bob) == bobs and {t["user"] for t in by_bob} == {"bob"}
    assert [t["title"] for t in by_bob] == ["t%03d" % i for i in range(0, 105, 10)]
    assert api.stats()["requests"] == {THREADS: 1}
    assert info(api, user="nobody") == []


def test_info_cursors_and_max_items(api):
    seeded = [api.seed_chatkit_thread("carol", title="c%d" % i)["id"] for i in range(103)]
    api.reset()
    assert ids(info(api, order="asc", max_items=2)) == seeded[:2]
    assert api.stats()["requests"] == {THREADS: 1}
    api.reset()
    assert ids(info(api, order="asc", max_items=101)) == seeded[:101]
    assert api.stats()["requests"] == {THREADS: 2}
    api.reset()
    assert ids(info(api, order="asc", after=seeded[1])) == seeded[2:]
    assert api.stats()["requests"] == {THREADS: 2}
    assert ids(info(api, order="desc", after=seeded[3])) == [seeded[2], seeded[1], seeded[0]]
    api.reset()
    # two pages backwards from the cursor: every thread before it, once, in the list's order
    assert ids(info(api, order="asc", before=seeded[102])) == seeded[:102]
    assert api.stats()["requests"] == {THREADS: 2}
    assert ids(info(api, order="desc", before=seeded[0])) == list(reversed(seeded[1:]))
    assert ids(info(api, order="asc", before=seeded[102], max_items=101)) == seeded[1:102]
    assert ids(info(api, order="asc", before=seeded[3])) == seeded[:3]
    assert ids(info(api, order="desc", before=seeded[99])) == list(reversed(seeded[100:]))
    assert ids(info(api, order="asc", before=seeded[50], max_items=2)) == seeded[48:50]
    assert info(api, order="asc", after=seeded[102]) == []


def test_info_after_and_before_are_exclusive(api):
    with pytest.raises(ModuleFail, match="mutually exclusive: after|before"):
        info(api, after="cthr_a", before="cthr_b")
    assert api.stats()["total"] == 0


def test_info_by_id_with_items_in_order(api):
    said = [{"role": "user", "text": "hi"}, {"role": "assistant", "text": "hello"}, {"role": "user", "text": "bye"}]
    seeded = api.seed_chatkit_thread("dave", title="Demo", items=said)
    api.seed_chatkit_thread("dave", title="Other")
    api.reset()
    found = info(api, thread_id=seeded["id"], include_items=True)
    assert len(found) == 1
    one = found[0]
    assert one["id"] == seeded["id"] and one["title"] == "Demo" and one["user"] == "dave"
    assert [item["type"] for item in one["thread_items"]] == ["chatkit.user_message", "chatkit.assistant_message",
                                                              "chatkit.user_message"]
    assert [item["content"][0]["text"] for item in one["thread_items"]] == ["hi", "hello", "bye"]
    assert {item["thread_id"] for item in one["thread_items"]} == {seeded["id"]}
    assert {item["object"] for item in one["thread_items"]} == {"chatkit.thread_item"}
    assert api.stats()["requests"] == {THREAD: 1, ITEMS: 1}
    api.reset()
    plain = info(api, thread_id=seeded["id"])
    assert "thread_items" not in plain[0]
    assert api.stats()["requests"] == {THREAD: 1}


def test_info_items_read_every_page_for_every_listed_thread(api):
    many = [{"role": "user" if i % 2 == 0 else "assistant", "text": "m%03d" % i} for i in range(101)]
    big = api.seed_chatkit_thread("erin", title="Big", items=many)
    small = api.seed_chatkit_thread("erin", title="Small", items=[{"role": "user", "text": "only"}])
    api.reset()
    found = info(api, user="erin", order="asc", include_items=True)
    assert ids(found) == [big["id"], small["id"]]
    assert [item["content"][0]["text"] for item in found[0]["thread_items"]] == ["m%03d" % i for i in range(101)]
    assert [item["content"][0]["text"] for item in found[1]["thread_items"]] == ["only"]
    assert api.stats()["requests"] == {THREADS: 1, ITEMS: 3}


def test_info_missing_thread_is_an_empty_list(api):
    assert info(api, thread_id="cthr_doesnotexist", include_items=True) == []
    assert api.stats()["requests"] == {THREAD: 1}
    assert info(api) == []


@pytest.mark.parametrize("args,fragment", [
    ({"thread_id": "cthr-../x"}, "thread_id must be an id of the form cthr_"),
    ({"max_items": 0}, "max_items must be at least 1, got 0"),
])
def test_info_bad_input_fails_before_any_request(api, args, fragment):
    with pytest.raises(ModuleFail) as failed:
        info(api, **args)
    assert fragment in failed.value.result["msg"]
    assert api.stats()["total"] == 0


# ---- thread --------------------------------------------------------------------------------------
def test_thread_absent_deletes_then_is_not_a_change(api):
    gone = api.seed_chatkit_thread("frank", title="Erase me", items=[{"role": "user", "text": "hi"}])
    kept = api.seed_chatkit_thread("frank", title="Keep me")
    api.reset()
    checked = thread(api, check_mode=True, thread_id=gone["id"], state="absent")
    assert checked["changed"] is True and checked["thread"]["id"] == gone["id"]
    assert api.writes() == 0
    assert ids(info(api, user="frank", order="asc")) == [gone["id"], kept["id"]]
    api.reset()
    deleted = thread(api, diff=True, thread_id=gone["id"], state="absent")
    assert deleted["changed"] is True
    assert deleted["thread"] == gone
    assert deleted["diff"] == {"before": gone, "after": {}}
    assert api.stats()["requests"] == {THREAD: 1, DELETE_THREAD: 1}
    assert info(api, thread_id=gone["id"]) == []
    assert ids(info(api, user="frank")) == [kept["id"]]
    api.reset()
    again = thread(api, thread_id=gone["id"], state="absent")
    assert again["changed"] is False and again["thread"] is None
    assert api.writes() == 0


def test_thread_present_on_an_existing_thread_returns_it(api):
    seeded = api.seed_chatkit_thread("gina", title="Hello", status="locked")
    api.reset()
    result = thread(api, diff=True, thread_id=seeded["id"])
    assert result["changed"] is False
    assert result["thread"] == seeded
    assert result["thread"]["status"] == {"type": "locked", "reason": None}
    assert result["diff"] == {"before": {}, "after": {}}
    assert api.stats()["requests"] == {THREAD: 1}


def test_thread_present_on_a_missing_thread_fails_clearly(api):
    with pytest.raises(ModuleFail) as failed:
        thread(api, thread_id="cthr_missing")
    message = failed.value.result["msg"]
    assert "ChatKit thread cthr_missing was not found" in message
    assert "ChatKit creates threads itself" in message
    assert api.writes() == 0


def test_thread_bad_id_fails_before_any_request(api):
    with pytest.raises(ModuleFail, match="thread_id must be an id of the form cthr_"):
        thread(api, thread_id="../threads", state="absent")
    assert api.stats()["total"] == 0


# --- every thread of a user, in one task (data retention) --------------------------------------------------------
def test_every_thread_of_a_user_is_deleted_in_one_task(emulator_for_purge):
    api, seeded = emulator_for_purge
    checked = run(openai_chatkit_thread.main, dict(api.conn, user="user_purge", state="absent"), check_mode=True)
    assert checked["changed"] and checked["deleted"] == 5 and api.writes() == 0
    assert sorted(thread["id"] for thread in checked["threads"]) == sorted(seeded["user_purge"])
    result = run(openai_chatkit_thread.main, dict(api.conn, user="user_purge", state="absent", concurrency=4))
    assert result["changed"] and result["deleted"] == 5
    left = run(openai_chatkit_thread_info.main, dict(api.conn))["threads"]
    assert sorted(thread["id"] for thread in left) == sorted(seeded["other"])  # another user's threads stay
    again = run(openai_chatkit_thread.main, dict(api.conn, user="user_purge", state="absent"))
    assert not again["changed"] and again["deleted"] == 0


def test_only_the_threads_older_than_the_age_are_deleted(emulator_for_purge):
    api, seeded = emulator_for_purge
    old = [api.seed_chatkit_thread("user_purge", created_at=time.time() - 40 * 86400)["id"] for _number in range(3)]
    result = run(openai_chatkit_thread.main, dict(api.conn, user="user_purge", older_than="30d", state="absent"))
    assert result["deleted"] == 3 and sorted(thread["id"] for thread in result["threads"]) == sorted(old)
    left = [thread["id"] for thread in run(openai_chatkit_thread_info.main,
                                           dict(api.conn, user="user_purge"))["threads"]]
    assert sorted(left) == sorted(seeded["user_purge"])


@pytest.mark.parametrize("args,message", [
    ({"user": "u", "state": "present"}, "user selects the threads to delete: it is only used with state=absent"),
    ({"user": "u", "state": "absent", "older_than": "soon"}, "older_than must be a positive age such as 30d"),
    ({"thread_id": "cthr_1", "state": "absent", "older_than": "1d"}, "older_than is only used with user"),
    ({"user": "u", "state": "absent", "concurrency": 99}, "concurrency must be between 1 and 32, got 99"),
])
def test_purge_options_are_checked_before_any_request(emulator_for_purge, args, message):
    api, _seeded = emulator_for_purge
    api.reset()
    with pytest.raises(ModuleFail, match=message):
        run(openai_chatkit_thread.main, dict(api.conn, **args))
    assert api.stats()["total"] == 0


@pytest.fixture
def emulator_for_purge(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    seeded = {"user_purge": [fresh_emulator.seed_chatkit_thread("user_purge", title="t%d" % index)["id"]
                             for index in range(5)],
              "other": [fresh_emulator.seed_chatkit_thread("other")["id"]]}
    return fresh_emulator, seeded


def test_a_session_for_an_unknown_workflow_fails_naming_the_workflow(emulator_for_purge):
    api, _seeded = emulator_for_purge
    api.set_chatkit_workflows(["wf_known"])
    with pytest.raises(ModuleFail) as failed:
        run(openai_chatkit_session.main, dict(api.conn, user="u1", workflow={"id": "wf_unknown"}))
    message = failed.value.result["msg"]
    assert "HTTP 404: Workflow with id 'wf_unknown' not found." in message
    assert "workflow.id 'wf_unknown' names no workflow of this project" in message
    assert failed.value.result["error"]["status"] == 404
    assert run(openai_chatkit_session.main, dict(api.conn, user="u1", workflow={"id": "wf_known"}))["changed"]


def test_include_items_returns_every_type_of_chatkit_thread_item(emulator_for_purge):
    """Every member of the spec's ThreadItem union (the conformance test's seeds), read back by include_items."""
    from conformance.test_chatkit_thread_items import SEEDS
    from emulator.chatkit import ITEM_TYPES

    api, _seeded = emulator_for_purge
    thread = api.seed_chatkit_thread("user_every_type", title="Every type", items=SEEDS)
    (found,) = run(openai_chatkit_thread_info.main,
                   dict(api.conn, thread_id=thread["id"], include_items=True))["threads"]
    assert [item["type"] for item in found["thread_items"]] == [
        "chatkit.user_message", "chatkit.assistant_message", "chatkit.user_message", "chatkit.assistant_message",
        "chatkit.widget", "chatkit.client_tool_call", "chatkit.task", "chatkit.task_group"]
    assert sorted(set(item["type"] for item in found["thread_items"])) == sorted(ITEM_TYPES)
    assert found["thread_items"][5]["name"] == "open_calendar" and found["thread_items"][7]["tasks"][1]["summary"]
