"""The filter openai.beta.assistants_plan: the role's decision, with the module's comparison semantics."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.openai.beta.plugins.filter.assistants_plan import FilterModule, assistants_plan
from ansible_collections.openai.beta.plugins.modules import openai_assistant

from modrun import run

MARKER = {"managed_by": "openai.beta.assistants"}


def server(name, obj_id=None, **fields):
    """An assistant as the API returns it, server defaults filled."""
    obj = {"id": obj_id or "asst_%s" % name.replace("-", ""), "object": "assistant", "created_at": 1, "name": name,
           "description": None, "model": "gpt-4o", "instructions": None, "tools": [], "tool_resources": {},
           "metadata": dict(MARKER), "temperature": 1.0, "top_p": 1.0, "response_format": "auto",
           "reasoning_effort": None}
    obj.update(fields)
    return obj


def names(items):
    return [item["name"] for item in items]


def test_the_filter_is_registered():
    assert FilterModule().filters() == {"assistants_plan": assistants_plan}


def test_an_assistant_as_defined_is_unchanged_and_server_defaults_do_not_count():
    current = [server("support", instructions="Hi", temperature=0.2)]
    plan = assistants_plan([{"name": "support", "model": "gpt-4o", "instructions": "Hi", "temperature": 0.2}], current)
    assert plan == {"converge": [], "delete": [], "unchanged": {"support": current[0]}}
    # temperature=1 and top_p=1 are the server's defaults; a definition that says so is not a change either
    plan = assistants_plan([{"name": "support", "temperature": 1, "top_p": 1, "response_format": "auto"}],
                           [server("support")])
    assert plan["converge"] == []


def test_only_the_options_a_definition_sets_are_compared():
    current = [server("support", instructions="Hi", description="Kept", tools=[{"type": "code_interpreter"}])]
    assert assistants_plan([{"name": "support"}], current)["converge"] == []


def test_a_new_assistant_is_created_with_the_marker_and_without_unset_options():
    plan = assistants_plan([{"name": "new", "model": "gpt-4o", "metadata": {"team": "a", "tier": 2}}], [])
    assert plan["converge"] == [{"name": "new", "model": "gpt-4o", "metadata": {"team": "a", "tier": "2", **MARKER},
                                 "state": "present", "changes": []}]
    assert "assistant_id" not in plan["converge"][0]


def test_a_differing_assistant_is_updated_by_id_and_the_plan_names_the_changes():
    current = [server("support", instructions="old", temperature=0.7)]
    plan = assistants_plan([{"name": "support", "instructions": "new", "temperature": "0.7"}], current)
    assert plan["converge"] == [{"name": "support", "instructions": "new", "temperature": 0.7, "metadata": MARKER,
                                 "state": "present", "assistant_id": "asst_support", "changes": ["instructions"]}]


@pytest.mark.parametrize("on_server,defined,changed", [
    ({"temperature": 0.5}, {"temperature": 0.5}, False),
    ({"temperature": 0.5}, {"temperature": "0.5"}, False),          # coerced like the module's argument spec
    ({"temperature": 0.5}, {"temperature": 0.6}, True),
    ({"tools": [{"type": "function", "function": {"name": "f", "strict": False}}]},
     {"tools": [{"type": "function", "function": {"name": "f"}}]}, False),   # keys the server adds are ignored
    ({"tools": [{"type": "code_interpreter"}, {"type": "file_search"}]},
     {"tools": [{"type": "file_search"}, {"type": "code_interpreter"}]}, True),  # lists compare in order
    ({"tools": [{"type": "code_interpreter"}]}, {"tools": []}, True),
    ({"response_format": {"type": "json_object"}}, {"response_format": {"type": "json_object"}}, False),
    ({"response_format": {"type": "json_object"}}, {"response_format": "auto"}, True),
    ({"reasoning_effort": None}, {"reasoning_effort": "low"}, True),
    ({}, {"tool_resources": {"code_interpreter": {"file_ids": ["file_1"]}}}, True),
    ({"tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}}},
     {"tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["file_1"]}]}}}, False),
])
def test_fields_compare_as_in_the_module(on_server, defined, changed):
    plan = assistants_plan([dict(defined, name="a")], [server("a", **on_server)])
    assert bool(plan["converge"]) is changed


def test_a_field_the_server_does_not_report_is_not_a_difference():
    obj = server("a")
    del obj["reasoning_effort"]
    assert assistants_plan([{"name": "a", "reasoning_effort": "high"}], [obj])["converge"] == []


@pytest.mark.parametrize("on_server,changes", [
    (dict(MARKER, team="a"), []),
    ({"team": "a"}, ["metadata"]),                                      # the marker is missing
    (dict(MARKER, team="a", extra="x"), ["metadata"]),                  # a key the definition does not list
    (dict(MARKER, team="b"), ["metadata"]),
    ({"managed_by": "someone-else", "team": "a"}, ["metadata"]),
])
def test_metadata_is_exactly_the_definition_plus_the_marker(on_server, changes):
    plan = assistants_plan([{"name": "a", "metadata": {"team": "a"}}], [server("a", metadata=on_server)])
    assert [item["changes"] for item in plan["converge"]] == ([changes] if changes else [])


def test_a_definition_without_metadata_still_gets_the_marker():
    plan = assistants_plan([{"name": "a"}], [server("a", metadata={"team": "a"})])
    assert plan["converge"][0]["metadata"] == MARKER and plan["converge"][0]["changes"] == ["metadata"]


def test_a_custom_marker():
    marker = {"owner": "team-a"}
    current = [server("a", metadata=marker), server("b", metadata=MARKER), server("c", metadata=marker)]
    plan = assistants_plan([{"name": "a"}], current, marker_key="owner", marker_value="team-a", purge=True)
    assert plan["unchanged"] == {"a": current[0]}
    assert plan["delete"] == [{"assistant_id": "asst_c", "name": "c", "reason": "purge"}]


def test_state_absent_deletes_an_existing_assistant_marked_or_not_and_ignores_a_missing_one():
    current = [server("old", metadata={})]
    plan = assistants_plan([{"name": "old", "state": "absent"}, {"name": "never", "state": "absent"}], current)
    assert plan == {"converge": [], "unchanged": {},
                    "delete": [{"assistant_id": "asst_old", "name": "old", "reason": "absent"}]}


def test_purge_deletes_only_marked_assistants_that_no_definition_names():
    current = [server("kept"), server("retired"), server("by-hand", metadata={"owner": "x"}),
               server("other", metadata={"managed_by": "another-team"}), server("gone"), server(None, "asst_noname")]
    definitions = [{"name": "kept"}, {"name": "gone", "state": "absent"}]
    plan = assistants_plan(definitions, current, purge=True)
    assert plan["delete"] == [
        {"assistant_id": "asst_gone", "name": "gone", "reason": "absent"},
        {"assistant_id": "asst_retired", "name": "retired", "reason": "purge"},
        {"assistant_id": "asst_noname", "name": None, "reason": "purge"},
    ]
    assert assistants_plan(definitions, current)["delete"] == plan["delete"][:1]   # purge is opt-in


def test_purge_with_no_definitions_deletes_every_marked_assistant():
    current = [server("a"), server("b", metadata={})]
    assert names(assistants_plan([], current, purge=True)["delete"]) == ["a"]


def test_a_name_several_assistants_carry_is_an_error_that_lists_their_ids():
    current = [server("twin", "asst_1"), server("twin", "asst_2"), server("solo")]
    with pytest.raises(AnsibleFilterError, match=r"2 assistants are named 'twin' \(asst_1, asst_2\)"):
        assistants_plan([{"name": "solo"}, {"name": "twin", "model": "gpt-4o"}], current)
    with pytest.raises(AnsibleFilterError, match="2 assistants are named 'twin'"):
        assistants_plan([{"name": "twin", "state": "absent"}], current)
    # duplicates the definitions do not name are not the role's business (unless marked and purged)
    assert assistants_plan([{"name": "solo"}], current)["converge"] == []


def test_a_name_defined_twice_is_an_error():
    with pytest.raises(AnsibleFilterError, match=r"openai_assistants\[1\] \(a\): the name 'a' is already defined "
                                                 r"by openai_assistants\[0\]"):
        assistants_plan([{"name": "a"}, {"name": "a", "state": "absent"}], [])


@pytest.mark.parametrize("definition,message", [
    ({"model": "gpt-4o"}, r"openai_assistants\[0\]: missing required arguments: name"),
    ({"name": "a", "modle": "gpt-4o"}, r"openai_assistants\[0\] \(a\): unsupported option modle"),
    ({"name": "a", "temperature": "hot"}, r"temperature.*float"),
    ({"name": "a", "state": "gone"}, r"state must be one of: present, absent"),
    ({"name": "a", "assistant_id": "asst_1"}, r"unsupported option assistant_id"),
    ("a", r"openai_assistants\[0\] must be a dictionary"),
])
def test_invalid_definitions_are_refused(definition, message):
    with pytest.raises(AnsibleFilterError, match=message):
        assistants_plan([definition], [])


def test_metadata_over_the_api_limit_with_the_marker_is_refused():
    metadata = dict(("k%d" % index, "v") for index in range(16))
    with pytest.raises(AnsibleFilterError, match="17 keys; at most 16.*adds the marker managed_by"):
        assistants_plan([{"name": "a", "metadata": metadata}], [])


def test_wrong_inputs_are_refused():
    with pytest.raises(AnsibleFilterError, match="definitions must be a list"):
        assistants_plan({"name": "a"}, [])
    with pytest.raises(AnsibleFilterError, match="current must be the list of assistants"):
        assistants_plan([], {"assistants": []})
    with pytest.raises(AnsibleFilterError, match="marker_key and marker_value must be set"):
        assistants_plan([], [], marker_key="")


# The role calls the module only for what the plan lists, so the plan must decide exactly as the module does.
# Each case: how the assistant was created, and the definition; the module (check mode, against the emulator)
# is given the plan's options for that definition and must report a change exactly when the plan lists one.
MODULE_CASES = [
    ({"model": "gpt-4o", "temperature": 0.2, "tools": [{"type": "code_interpreter"}], "metadata": MARKER},
     {"model": "gpt-4o", "temperature": 0.2, "tools": [{"type": "code_interpreter"}]}),
    ({"model": "gpt-4o", "metadata": MARKER}, {"temperature": 1, "top_p": 1.0, "response_format": "auto"}),
    ({"model": "gpt-4o", "metadata": MARKER}, {"temperature": 0.3}),
    ({"model": "gpt-4o", "metadata": {"team": "a"}}, {"metadata": {"team": "a"}}),
    ({"model": "gpt-4o", "metadata": dict(MARKER, team="a")}, {"metadata": {"team": "a"}}),
    ({"model": "gpt-4o", "metadata": dict(MARKER, team="a", x="y")}, {"metadata": {"team": "a"}}),
    ({"model": "gpt-4o", "metadata": MARKER, "tools": [{"type": "function", "function": {"name": "f"}}]},
     {"tools": [{"type": "function", "function": {"name": "f"}}]}),
    ({"model": "gpt-4o", "metadata": MARKER, "tools": [{"type": "code_interpreter"}, {"type": "file_search"}]},
     {"tools": [{"type": "file_search"}, {"type": "code_interpreter"}]}),
    ({"model": "gpt-4o", "metadata": MARKER, "response_format": {"type": "json_object"}},
     {"response_format": {"type": "json_object"}}),
    ({"model": "gpt-4o", "metadata": MARKER, "response_format": {"type": "json_object"}}, {"response_format": "auto"}),
    ({"model": "gpt-4o", "metadata": MARKER}, {"reasoning_effort": "low"}),
    ({"model": "gpt-4o", "metadata": MARKER,
      "tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["file_1"]}]}}},
     {"tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["file_1"]}]}}}),
    ({"model": "gpt-4o", "metadata": MARKER, "instructions": "Hi", "description": "d"},
     {"model": "gpt-4o-mini", "instructions": "Hi"}),
]


@pytest.mark.parametrize("created,defined", MODULE_CASES)
def test_the_plan_decides_as_the_module_does(fresh_emulator, created, defined):
    conn = {"api_key": fresh_emulator.api_key, "base_url": fresh_emulator.base_url}
    made = run(openai_assistant.main, dict(conn, name="case", **created))["assistant"]
    current = run(openai_assistant.main, dict(conn, assistant_id=made["id"]))["assistant"]

    plan = assistants_plan([dict(defined, name="case")], [current])
    # what the role passes to the module: the definition, its metadata plus the marker, by id
    role_item = dict(defined, name="case", metadata=dict(defined.get("metadata") or {}, **MARKER))
    module_args = dict(conn, assistant_id=made["id"], purge_metadata=True, **role_item)
    fresh_emulator.reset()
    result = run(openai_assistant.main, module_args, check_mode=True)
    assert result["changed"] is bool(plan["converge"]), (plan, result)
    assert fresh_emulator.writes() == 0
