"""openai_assistant_fleet through main(), against the emulator: one listing, each write once, side by side."""

import pytest

from ansible_collections.openai.beta.plugins.modules import openai_assistant_fleet, openai_assistant_info

from modrun import ModuleFail, run

MARKER = {"managed_by": "openai.beta.assistants"}


@pytest.fixture
def api(fresh_emulator):
    fresh_emulator.conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    return fresh_emulator


def fleet(api, definitions, check_mode=False, diff=False, **args):
    return run(openai_assistant_fleet.main, dict(api.conn, assistants=definitions, **args), check_mode=check_mode,
               diff=diff)


def listing(api):
    return run(openai_assistant_info.main, dict(api.conn))["assistants"]


def requests_of(api):
    counted = api.stats()["requests"]
    return {"list": counted.get("GET /v1/assistants", 0), "create": counted.get("POST /v1/assistants", 0),
            "update": counted.get("POST /v1/assistants/{assistant_id}", 0),
            "delete": counted.get("DELETE /v1/assistants/{assistant_id}", 0),
            "get": counted.get("GET /v1/assistants/{assistant_id}", 0)}


def definitions(count, **extra):
    return [dict({"name": "fleet-%03d" % index, "model": "gpt-4o", "metadata": {"index": index}}, **extra)
            for index in range(count)]


def test_from_scratch_n_creates_and_one_listing_then_nothing(api):
    made = fleet(api, definitions(30), concurrency=8)
    assert made["changed"] and made["summary"] == {"created": 30, "updated": 0, "deleted": 0, "unchanged": 0}
    assert requests_of(api) == {"list": 1, "create": 30, "update": 0, "delete": 0, "get": 0}
    assert sorted(made["assistants"]) == ["fleet-%03d" % index for index in range(30)]
    assert made["assistants"]["fleet-007"]["metadata"] == dict(MARKER, index="7")
    assert [entry["action"] for entry in made["results"]] == ["create"] * 30
    api.reset()
    again = fleet(api, definitions(30))
    assert not again["changed"] and again["summary"]["unchanged"] == 30
    assert requests_of(api) == {"list": 1, "create": 0, "update": 0, "delete": 0, "get": 0}
    assert again["assistants"]["fleet-007"]["id"] == made["assistants"]["fleet-007"]["id"]


def test_only_what_differs_is_updated_with_a_diff_by_name(api):
    fleet(api, definitions(5))
    changed = definitions(5)
    changed[3]["instructions"] = "New."
    api.reset()
    result = fleet(api, changed, diff=True)
    assert result["summary"] == {"created": 0, "updated": 1, "deleted": 0, "unchanged": 4}
    assert requests_of(api)["update"] == 1 and requests_of(api)["create"] == 0
    assert result["results"][3] == {"name": "fleet-003", "action": "update", "changes": ["instructions"],
                                    "id": result["assistants"]["fleet-003"]["id"]}
    assert result["diff"]["before"] == {"fleet-003": {"name": "fleet-003", "model": "gpt-4o", "instructions": None,
                                                      "metadata": dict(MARKER, index="3")}}
    assert result["diff"]["after"]["fleet-003"]["instructions"] == "New."


def test_purge_deletes_only_marked_assistants_no_definition_names(api):
    fleet(api, definitions(4))
    api.reset()
    kept = definitions(2) + [{"name": "fleet-002", "state": "absent"}]
    result = fleet(api, kept, purge=True)
    assert [(entry["name"], entry["action"], entry.get("reason")) for entry in result["results"]] == [
        ("fleet-000", "none", None), ("fleet-001", "none", None), ("fleet-002", "delete", "absent"),
        ("fleet-003", "delete", "purge")]
    assert sorted(obj["name"] for obj in listing(api)) == ["fleet-000", "fleet-001"]


def test_check_mode_sends_no_write_and_shows_the_would_be_assistants(api):
    result = fleet(api, definitions(3), check_mode=True)
    assert result["changed"] and api.writes() == 0 and listing(api) == []
    assert result["assistants"]["fleet-001"]["id"] is None and result["assistants"]["fleet-001"]["name"] == "fleet-001"


def test_bad_definitions_fail_before_any_request(api):
    with pytest.raises(ModuleFail) as failed:
        fleet(api, [{"name": "a", "model": "gpt-4o", "temperature": 3}, {"name": "b", "modle": "x"}])
    message = failed.value.result["msg"]
    assert "assistants[0] (a): temperature must be between 0 and 2" not in message  # types first, then limits
    assert "assistants[1] (b): " in message and "modle" in message
    assert api.stats()["total"] == 0
    with pytest.raises(ModuleFail, match=r"assistants\[0\] \(a\): temperature must be between 0 and 2, got 3"):
        fleet(api, [{"name": "a", "model": "gpt-4o", "temperature": 3}])
    with pytest.raises(ModuleFail, match="model is required to create an assistant"):
        fleet(api, [{"name": "a"}])
    with pytest.raises(ModuleFail, match="concurrency must be between 1 and 32"):
        fleet(api, [{"name": "a"}], concurrency=0)
    assert api.writes() == 0


def test_one_failed_definition_fails_the_task_and_says_what_was_done(api):
    api.set_faults(1.0, kinds=["500"], count=1, requests=["POST /v1/assistants"])
    with pytest.raises(ModuleFail) as failed:
        fleet(api, definitions(3), concurrency=1, max_retries=0)
    result = failed.value.result
    assert result["msg"].startswith("1 of 3 assistants failed: fleet-000 (create): POST /assistants failed with "
                                    "HTTP 500")
    assert result["msg"].endswith("Done: fleet-001, fleet-002")
    assert sorted(result["assistants"]) == ["fleet-001", "fleet-002"]
    assert sorted(obj["name"] for obj in listing(api)) == ["fleet-001", "fleet-002"]


def test_a_rate_limit_slows_every_worker_down_and_nothing_is_made_twice(api):
    api.set_faults(0.3, seed=7, kinds=["429"], requests=["POST /v1/assistants"])
    result = fleet(api, definitions(40), concurrency=8, max_retries=8)
    assert result["summary"]["created"] == 40
    assert sorted(obj["name"] for obj in listing(api)) == ["fleet-%03d" % index for index in range(40)]
    assert any("HTTP 429" in warning for warning in result["warnings"])
