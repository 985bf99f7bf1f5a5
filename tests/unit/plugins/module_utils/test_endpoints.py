"""module_utils.endpoints: one descriptor per family; paths and id checks come from it."""

import re

import pytest

from ansible_collections.openai.beta.plugins.module_utils import endpoints
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput


@pytest.mark.parametrize("endpoint", endpoints.ALL, ids=[endpoint.path for endpoint in endpoints.ALL])
def test_the_path_template_names_exactly_the_parent_ids(endpoint):
    assert re.findall(r"\{(\w+)\}", endpoint.path) == [option for option, _prefix in endpoint.parents]


def test_paths_of_a_child_family():
    params = {"thread_id": "thread_1", "run_id": "run_2"}
    assert endpoints.RUN_STEP.collection_path(params) == "/threads/thread_1/runs/run_2/steps"
    assert endpoints.RUN_STEP.object_path(params, "step_3") == "/threads/thread_1/runs/run_2/steps/step_3"
    assert endpoints.THREAD_RUN.action_path(params, "run_2", "cancel") == "/threads/thread_1/runs/run_2/cancel"


@pytest.mark.parametrize("endpoint,params,message", [
    (endpoints.THREAD_MESSAGE, {"thread_id": "thread_../x"}, "thread_id must be an id of the form thread_"),
    (endpoints.THREAD_MESSAGE, {"thread_id": "thread_1", "message_id": "run_1"}, "message_id must be an id of the "
                                                                                 "form msg_"),
    (endpoints.RUN_STEP, {"thread_id": "thread_1", "run_id": "thread_1"}, "run_id must be an id of the form run_"),
    (endpoints.CONVERSATION_ITEM, {"conversation_id": "conv_1", "item_id": "a/b"}, "item_id must be an id of the "
                                                                                   "form msg_..., fc_..."),
])
def test_ids_are_checked_before_they_reach_a_url(endpoint, params, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        endpoint.check_ids(params)


def test_unset_ids_are_not_checked():
    endpoints.THREAD_MESSAGE.check_ids({"thread_id": "thread_1", "message_id": None})
    endpoints.CONVERSATION_ITEM.check_ids({"conversation_id": "conv_1", "item_id": "fco_abc123"})


def test_the_beta_header_and_the_retired_flag_follow_the_family():
    assistants_family = [endpoints.ASSISTANT, endpoints.THREAD, endpoints.THREAD_MESSAGE, endpoints.THREAD_RUN,
                         endpoints.RUN_STEP]
    assert all(endpoint.beta == endpoints.ASSISTANTS_BETA and endpoint.retired for endpoint in assistants_family)
    assert all(endpoint.beta == endpoints.CHATKIT_BETA and not endpoint.retired for endpoint in endpoints.ALL
               if endpoint.path.startswith("/chatkit"))
    assert all(endpoint.beta is None for endpoint in (endpoints.CONVERSATION, endpoints.CONVERSATION_ITEM))
    unlistable = [endpoint.key for endpoint in endpoints.ALL if not endpoint.listable]
    assert unlistable == ["thread", "session", "conversation"]
