"""The connection options: checked before any request, with Ansible's usual errors."""

import pytest

from ansible_collections.openai.beta.plugins.module_utils import connection
from ansible_collections.openai.beta.plugins.modules import openai_assistant_info

from modrun import ModuleFail, run


def test_missing_requests_gives_the_usual_missing_library_error(monkeypatch):
    monkeypatch.setattr(connection, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    with pytest.raises(ModuleFail) as failed:
        run(openai_assistant_info.main, {"api_key": "sk-x", "base_url": "http://127.0.0.1:9/v1"})
    assert "Failed to import the required Python library (requests)" in failed.value.result["msg"]
    assert failed.value.result["exception"].startswith("Traceback")


@pytest.mark.parametrize("args,fragment", [
    ({"timeout": 0}, "timeout must be greater than 0"),
    ({"max_retries": 11}, "max_retries must be between 0 and 10"),
    ({"base_url": "http://api.example.com/v1"}, "base_url must use https unless its host is loopback"),
])
def test_connection_options_are_checked_first(args, fragment):
    with pytest.raises(ModuleFail, match=fragment):
        run(openai_assistant_info.main, dict({"api_key": "sk-x", "base_url": "http://127.0.0.1:9/v1"}, **args))


def test_environment_fallbacks(monkeypatch, emulator):
    monkeypatch.setenv("OPENAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("OPENAI_BASE_URL", emulator.base_url)
    assert run(openai_assistant_info.main, {"max_items": 1})["changed"] is False
