"""module_utils.names: the record of names given to objects the API cannot list."""

import json
import multiprocessing
import os

import pytest

from ansible_collections.openai.beta.plugins.module_utils import names
from ansible_collections.openai.beta.plugins.module_utils.validate import InvalidInput

ACCOUNT = "http://127.0.0.1:1/v1||"


def store(tmp_path, account=ACCOUNT):
    return names.NameStore(str(tmp_path / "names.json"), account)


def test_remember_lookup_forget(tmp_path):
    record = store(tmp_path)
    assert record.lookup("conversation", "onboarding") is None
    record.remember("conversation", "onboarding", "conv_1")
    assert record.lookup("conversation", "onboarding") == "conv_1"
    assert record.lookup("thread", "onboarding") is None            # per kind
    assert store(tmp_path, "other|").lookup("conversation", "onboarding") is None  # per account
    record.forget("conversation", "onboarding")
    assert record.lookup("conversation", "onboarding") is None
    data = json.loads((tmp_path / "names.json").read_text())
    assert data["version"] == names.FORMAT_VERSION


def test_the_default_path_and_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(names.STORE_ENV, raising=False)
    assert names.store_path() == os.path.expanduser("~/.ansible/openai_beta/names.json")
    monkeypatch.setenv(names.STORE_ENV, str(tmp_path / "x.json"))
    assert names.store_path() == str(tmp_path / "x.json")
    assert names.store_path(str(tmp_path / "y.json")) == str(tmp_path / "y.json")


def test_a_broken_store_is_reported_with_its_path(tmp_path):
    (tmp_path / "names.json").write_text("{not json")
    with pytest.raises(InvalidInput, match="name store .*names.json cannot be read"):
        store(tmp_path).lookup("thread", "a")


def _writer(path, index, count):
    record = names.NameStore(path, ACCOUNT)
    for number in range(count):
        record.remember("thread", "t%d-%d" % (index, number), "thread_%d%d" % (index, number))


def test_many_processes_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "names.json")
    workers = [multiprocessing.Process(target=_writer, args=(path, index, 20)) for index in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    record = names.NameStore(path, ACCOUNT)
    assert all(record.lookup("thread", "t%d-%d" % (index, number)) == "thread_%d%d" % (index, number)
               for index in range(6) for number in range(20))
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".names-")]  # no temporary file left


def _claimer(path, results):
    record = names.NameStore(path, ACCOUNT)
    with record.claim("conversation", "shared"):
        if record.lookup("conversation", "shared") is None:
            record.remember("conversation", "shared", "conv_%d" % os.getpid())
            results.put("made")
        else:
            results.put("found")


def test_a_claimed_name_is_made_once_by_racing_processes(tmp_path):
    path = str(tmp_path / "names.json")
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_claimer, args=(path, results)) for _worker in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = sorted(results.get(timeout=5) for _worker in workers)
    assert outcomes == ["found"] * 7 + ["made"]
