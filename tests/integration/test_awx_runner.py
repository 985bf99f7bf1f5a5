"""AWX's job runner: the demo as two AWX jobs, through ansible-runner, with AWX's private data directory.

tests/awx/job.py lays the directory out as AWX does (project/ with collections/requirements.yml, the collection
installed from it into requirements_collections/, inventory/hosts, env/envvars with the credential's
OPENAI_API_KEY and OPENAI_BASE_URL, env/extravars, env/settings, env/cmdline); ansible-runner runs
demo/site.yml in it twice, a new directory for each job as AWX makes them. The job events are what AWX stores
and shows: every task has its result event, none changed on the second job, and the API key is in no job event
and nowhere in the job's directory but env/envvars and ansible-runner's own record of the job's environment.
A third job gets the key as docs/awx.md's credential type with a file injector gives it (a file in env/ that
OPENAI_API_KEY_FILE names): the key is then in none of the job's artifacts at all.
"""

import glob
import os
import secrets
import subprocess
import sys

import pytest
import yaml

from awx import job
from emulator.harness import Emulator

BIN = os.path.dirname(sys.executable)


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", job.REPO, "--output-path", str(out)],
                   check=True, capture_output=True, text=True)
    (found,) = glob.glob(str(out / "openai-beta-*.tar.gz"))
    return found


def playbook_tasks():
    """Names of the tasks of demo/site.yml."""
    with open(os.path.join(job.REPO, "demo", "site.yml"), encoding="utf-8") as handle:
        (play,) = yaml.safe_load(handle)
    return [task["name"] for task in play["tasks"]]


def run_job(tmp_path, job_id, tarball, emulator, name_store_dir, key_in="env"):
    root = str(tmp_path / ("awx_%d_job" % job_id))
    job.lay_out(root, job_id=job_id, tarball=tarball, base_url=emulator.base_url, api_key=emulator.api_key,
                name_store_dir=str(name_store_dir), in_container=False, key_in=key_in)
    installed = job.install_collections(root, os.path.join(BIN, "ansible-galaxy"))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert os.path.isfile(os.path.join(root, "requirements_collections", "ansible_collections", "openai", "beta",
                                       "MANIFEST.json"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "OPENAI_"))}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")  # the runner's ansible-playbook: this venv's
    done = subprocess.run(job.runner_command(os.path.join(BIN, "ansible-runner"), root, job_id), env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600, check=False)
    with open(os.path.join(root, "artifacts", str(job_id), "status"), encoding="utf-8") as handle:
        status = handle.read().strip()
    assert done.returncode == 0 and status == "successful", (status, done.stdout[-4000:], done.stderr[-4000:])
    return root


@pytest.fixture
def emulator_with_a_secret_key():
    """An emulator of its own whose API key is random: a key written in the sources would be found in them."""
    with Emulator(api_key="sk-awx-" + secrets.token_hex(16)) as server:
        yield server


def test_the_demo_as_two_awx_jobs(tmp_path, tarball, emulator_with_a_secret_key):
    emulator = emulator_with_a_secret_key
    name_store_dir = tmp_path / "name-store"  # outside the jobs, as a path AWX shows to jobs (AWX_ISOLATION_SHOW_PATHS)
    name_store_dir.mkdir()
    first = run_job(tmp_path, 101, tarball, emulator, name_store_dir)
    second = run_job(tmp_path, 102, tarball, emulator, name_store_dir)

    tasks = playbook_tasks()
    for root, job_id in ((first, 101), (second, 102)):
        results = job.task_results(root, job_id)
        reported = {result["task"] for result in results}
        missing = [name for name in tasks if name not in reported]
        assert not missing, "job %d: tasks without a result event: %s" % (job_id, missing)
        assert all(result["host"] == "localhost" for result in results)
        assert not [r for r in results if r["event"] in ("runner_on_failed", "runner_on_unreachable")]

    first_changed = {r["task"] for r in job.task_results(first, 101) if r["changed"]}
    assert {"Assistants are as described", "The support thread exists, with its first message",
            "The support conversation exists, with its first message"} <= first_changed, first_changed
    second_changed = [r["task"] for r in job.task_results(second, 102) if r["changed"]]
    assert second_changed == [], "the second job changed: %s" % second_changed
    stats = job.stats(second, 102)
    assert stats["ok"].get("localhost") and not stats["changed"] and not stats["failures"], stats

    for root, job_id in ((first, 101), (second, 102)):
        artifacts = os.path.join("artifacts", str(job_id))
        events = os.listdir(os.path.join(root, artifacts, "job_events"))
        assert len(events) > len(tasks), events
        assert job.files_holding(root, emulator.api_key, under=os.path.join(artifacts, "job_events")) == []
        # The key is where the credential put it (env/envvars) and in ansible-runner's own record of the job's
        # environment (artifacts/<id>/command: always written, mode 0600, deleted with the directory as AWX does
        # after every job); in no job event, no stdout, nowhere else.
        command = os.path.join(artifacts, "command")
        assert sorted(job.files_holding(root, emulator.api_key, under="")) == [command, os.path.join("env", "envvars")]
        assert os.stat(os.path.join(root, command)).st_mode & 0o077 == 0


def test_a_key_from_the_credentials_file_injector_is_in_no_artifact(tmp_path, tarball, emulator_with_a_secret_key):
    emulator = emulator_with_a_secret_key
    name_store_dir = tmp_path / "name-store"
    name_store_dir.mkdir()
    root = run_job(tmp_path, 103, tarball, emulator, name_store_dir, key_in="file")
    results = job.task_results(root, 103)
    assert {r["task"] for r in results} >= set(playbook_tasks())
    assert not [r for r in results if r["event"] in ("runner_on_failed", "runner_on_unreachable")]
    assert emulator.stats()["writes"] > 0  # the key from the file reached the emulator (it refuses any other)
    (key_file,) = [path for path in os.listdir(os.path.join(root, "env")) if path.startswith("tmp")]
    assert job.files_holding(root, emulator.api_key, under="") == [os.path.join("env", key_file)]
    assert os.stat(os.path.join(root, "env", key_file)).st_mode & 0o077 == 0
