"""Conversations and threads found by the name the playbook gives them (the name store), through main()."""

import json

import pytest

from ansible_collections.openai.beta.plugins.modules import openai_conversation, openai_thread

from modrun import ModuleFail, run


@pytest.fixture
def api(fresh_emulator, tmp_path):
    fresh_emulator.store = tmp_path / "names.json"
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url,
                           "name_store": str(fresh_emulator.store)}
    return fresh_emulator


MODULES = {"conversation": (openai_conversation, "items", [{"role": "user", "content": "Hello"}]),
           "thread": (openai_thread, "messages", [{"role": "user", "content": "Hello"}])}


def task(api, kind, check_mode=False, **args):
    module, children, first = MODULES[kind]
    args.setdefault(children, first)
    return run(module.main, dict(api.conn, **args), check_mode=check_mode)


def recorded(api):
    return json.loads(api.store.read_text())["accounts"] if api.store.exists() else {}


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_a_named_object_is_found_again_by_a_later_run(api, kind):
    first = task(api, kind, name="onboarding", metadata={"team": "a"})
    object_id = first[kind]["id"]
    assert first["changed"] and object_id
    account = "%s||" % api.base_url
    assert recorded(api)[account][kind]["onboarding"]["id"] == object_id
    api.reset()
    again = task(api, kind, name="onboarding", metadata={"team": "a"})
    assert not again["changed"] and again[kind]["id"] == object_id and api.writes() == 0
    other = task(api, kind, name="another")
    assert other[kind]["id"] != object_id


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_check_mode_writes_no_record(api, kind):
    result = task(api, kind, check_mode=True, name="preview")
    assert result["changed"] and result[kind]["id"] is None
    assert api.writes() == 0 and recorded(api) == {}


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_absent_by_name_deletes_and_forgets(api, kind):
    made = task(api, kind, name="temporary")[kind]
    gone = task(api, kind, name="temporary", state="absent")
    assert gone["changed"] and gone[kind]["id"] == made["id"]
    assert recorded(api)["%s||" % api.base_url][kind] == {}
    assert not task(api, kind, name="temporary", state="absent")["changed"]


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_a_recorded_object_that_is_gone_is_reported_and_made_again(api, kind):
    made = task(api, kind, name="lost")[kind]
    task(api, kind, **{"%s_id" % kind: made["id"], "state": "absent"})  # deleted by id: the record stays
    again = task(api, kind, name="lost")
    assert again["changed"] and again[kind]["id"] != made["id"]
    assert any("named 'lost' was %s" % made["id"] in warning and "a new one is created" in warning
               for warning in again["warnings"])


def test_an_explicit_id_wins_and_gets_the_name(api):
    made = task(api, "conversation")["conversation"]  # no name
    named = task(api, "conversation", conversation_id=made["id"], name="adopted")
    assert not named["changed"]
    assert task(api, "conversation", name="adopted")["conversation"]["id"] == made["id"]


def test_a_failure_while_filling_forgets_the_name_with_the_deleted_object(api):
    api.set_faults(1.0, kinds=["500"], requests=["POST /v1/conversations/{conversation_id}/items"])
    with pytest.raises(ModuleFail) as failed:
        task(api, "conversation", name="broken", max_retries=0)
    assert "was deleted again" in failed.value.result["msg"]
    assert recorded(api)["%s||" % api.base_url]["conversation"] == {}


def test_a_named_chatkit_session_is_kept_while_it_is_valid(api):
    from ansible_collections.openai.beta.plugins.modules import openai_chatkit_session

    def session(**args):
        return run(openai_chatkit_session.main, dict(api.conn, user="u1", workflow={"id": "wf_1"}, **args))

    minted = session(name="web")
    assert minted["changed"] and minted["session"]["client_secret"]
    stored = api.store.read_text()
    assert minted["session"]["client_secret"] not in stored  # never the secret
    api.reset()
    kept = session(name="web")
    assert not kept["changed"] and api.writes() == 0
    assert kept["session"] == {"id": minted["session"]["id"], "object": "chatkit.session",
                               "expires_at": minted["session"]["expires_at"], "status": "active"}
    api.advance_clock(600)  # the emulator's sessions last 10 minutes; the record's expiry has passed too
    # the record keeps the server's expires_at: on the emulator's clock, which advance_clock moved, not this host's
    cancelled = run(openai_chatkit_session.main, dict(api.conn, name="web", state="absent"))
    assert cancelled["changed"] and "client_secret" not in cancelled["session"]
    assert session(name="web")["changed"]
