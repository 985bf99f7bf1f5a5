"""An AWX job, without AWX: the private data directory AWX hands to ansible-runner, and the run itself.

AWX (awx/main/tasks/jobs.py) runs a job template like this, and so does ``lay_out()`` + ``run()``:

    <private data dir>/             mode 0700, one per job
      project/                      a copy of the project (here: demo/)
        collections/requirements.yml    the project's collections; the project update installs them into
      requirements_collections/     ... here: ansible-galaxy collection install -r ... -p requirements_collections
      inventory/hosts               an executable script printing the inventory as JSON
      env/envvars                   the job's environment: AWX's own variables, the credential's injectors
                                    (OPENAI_API_KEY or OPENAI_API_KEY_FILE, OPENAI_BASE_URL, OPENAI_ORG_ID,
                                    OPENAI_PROJECT_ID) and AWX's Extra Environment Variables (OPENAI_NAME_STORE)
      env/tmpXXXXXXXX               with key_in="file": the key, written by the credential type's file
                                    injector (mode 0600), which OPENAI_API_KEY_FILE names instead of
                                    OPENAI_API_KEY (awx/main/models/credential: tempfile.mkstemp in env/)
      env/extravars                 AWX's awx_* / tower_* variables and the job template's variables
      env/settings                  job_timeout, suppress_ansible_output, suppress_output_file
      env/cmdline                   ansible-playbook options of the job template (-u root, --diff ...)
      artifacts/<job id>/           written by ansible-runner: job_events/*.json (what AWX stores), status, rc

then ``ansible-runner run <dir> --ident <job id> -p site.yml``; in a container (``process isolation``, as AWX
does with podman) the directory is /runner inside it, the execution environment image runs the job.

The collection's name store (which conversation, thread and ChatKit session each name of the playbook means) is
a file outside the job, OPENAI_NAME_STORE, set for every job in AWX's Extra Environment Variables (AWX_TASK_ENV)
in a directory shown to jobs (Paths to expose to isolated jobs, AWX_ISOLATION_SHOW_PATHS): a job's private data
directory is new on every run (docs/awx.md, "Ids of objects that cannot be listed").
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import stat
import subprocess
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = "site.yml"
CONTAINER_ROOT = "/runner"  # where ansible-runner mounts the private data directory in the container
# AWX's own job settings (RunJob.run: params['settings'])
SETTINGS = {"job_timeout": 0, "suppress_ansible_output": True, "suppress_output_file": True}


def _write(path: str, text: str, mode: int = stat.S_IRUSR | stat.S_IWUSR) -> str:
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, mode)
    return path


def lay_out(root: str, *, job_id: int, tarball: str, base_url: str, api_key: str, name_store_dir: str,
            in_container: bool, key_in: str = "env") -> None:
    """Write the private data directory of job ``job_id`` at ``root`` (which must not exist yet); the credential
    puts the key in the job's environment (``key_in="env"``) or in a file that the environment names ("file")."""
    os.makedirs(root, mode=0o700)
    for sub in ("project", "inventory", "env"):
        os.mkdir(os.path.join(root, sub))

    # the project: what a team keeps in git, with the collection it needs listed in collections/requirements.yml
    # (from Galaxy or Automation Hub that is `- name: openai.beta`; offline, the tarball built from this checkout)
    project = os.path.join(root, "project")
    shutil.copytree(os.path.join(REPO, "demo"), project, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".state"))
    os.mkdir(os.path.join(project, "collections"))
    shutil.copy2(tarball, os.path.join(project, "collections", os.path.basename(tarball)))
    _write(os.path.join(project, "collections", "requirements.yml"),
           "---\ncollections:\n  - name: collections/%s\n    type: file\n" % os.path.basename(tarball), 0o644)

    # the inventory as AWX writes it (BaseTask.build_inventory): a script that prints JSON; localhost as in
    # AWX's Demo Inventory
    inventory = {"all": {"hosts": ["localhost"]},
                 "_meta": {"hostvars": {"localhost": {"ansible_connection": "local",
                                                      "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}
    _write(os.path.join(root, "inventory", "hosts"),
           "#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(%r)\n" % json.dumps(inventory), stat.S_IRWXU)

    where = CONTAINER_ROOT if in_container else root  # the job sees its directory there
    collections = ":".join([os.path.join(where, "requirements_collections"), "~/.ansible/collections",
                            "/usr/share/ansible/collections"])
    envvars = {
        # RunJob.build_env
        "JOB_ID": str(job_id), "INVENTORY_ID": "1", "PROJECT_REVISION": "",
        "ANSIBLE_RETRY_FILES_ENABLED": "False", "MAX_EVENT_RES": "700000", "AWX_HOST": "https://awx.example.com",
        "AWX_PRIVATE_DATA_DIR": root, "ANSIBLE_SSH_CONTROL_PATH_DIR": os.path.join(where, "cp"),
        "ANSIBLE_COLLECTIONS_PATHS": collections, "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_ROLES_PATH": ":".join([os.path.join(where, "requirements_roles"), "~/.ansible/roles",
                                        "/usr/share/ansible/roles", "/etc/ansible/roles"]),
        # the injectors of the "OpenAI API" credential type of docs/awx.md (organization and project left empty);
        # the key below: in a file (its file injector) or in OPENAI_API_KEY (the shorter env injector)
        "OPENAI_BASE_URL": base_url, "OPENAI_ORG_ID": "", "OPENAI_PROJECT_ID": "",
        # AWX_TASK_ENV (Settings > Jobs > Extra Environment Variables): the name store, outside the job
        "OPENAI_NAME_STORE": os.path.join(CONTAINER_ROOT + "-state" if in_container else name_store_dir, "names.json"),
    }
    if key_in == "file":
        descriptor, key_file = tempfile.mkstemp(dir=os.path.join(root, "env"))
        os.close(descriptor)
        _write(key_file, api_key)
        envvars["OPENAI_API_KEY_FILE"] = os.path.join(where, "env", os.path.basename(key_file))
    else:
        envvars["OPENAI_API_KEY"] = api_key
    os.mkdir(os.path.join(root, "cp"), 0o700)
    _write(os.path.join(root, "env", "envvars"), json.dumps(envvars, indent=2) + "\n")

    extravars = {"awx_job_id": job_id, "awx_job_launch_type": "manual", "awx_job_template_id": 7,
                 "awx_job_template_name": "OpenAI demo objects", "awx_project_revision": "",
                 "awx_inventory_id": 1, "awx_inventory_name": "Demo Inventory", "awx_user_name": "admin",
                 "tower_job_id": job_id, "tower_job_template_name": "OpenAI demo objects"}
    _write(os.path.join(root, "env", "extravars"), json.dumps(extravars, indent=2) + "\n", stat.S_IRUSR)
    _write(os.path.join(root, "env", "settings"), json.dumps(SETTINGS) + "\n")
    _write(os.path.join(root, "env", "cmdline"), "-u root --diff", stat.S_IRUSR)


def install_collections(root: str, ansible_galaxy: str) -> subprocess.CompletedProcess:
    """The project update's step: the project's collections/requirements.yml into requirements_collections/."""
    return subprocess.run([ansible_galaxy, "collection", "install", "-r", "collections/requirements.yml",
                           "-p", os.path.join(root, "requirements_collections")],
                          cwd=os.path.join(root, "project"), capture_output=True, text=True, check=False,
                          env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(root, "requirements_collections")))


def runner_command(runner: str, root: str, job_id: int, image: str | None = None, name_store_dir: str | None = None,
                   container_options: tuple = ()) -> list[str]:
    """``ansible-runner run``; with ``image``: in that execution environment, process isolation with podman and
    AWX's container options (``--user=root``), ``name_store_dir`` mounted at /runner-state."""
    command = [runner, "run", root, "--ident", str(job_id), "-p", PLAYBOOK]
    if image:
        command += ["--process-isolation", "--process-isolation-executable", "podman", "--container-image", image,
                    "--container-volume-mount", "%s:%s-state:Z" % (name_store_dir, CONTAINER_ROOT)]
        for option in ("--user=root",) + tuple(container_options):
            command.append("--container-option=%s" % option)
    return command


def task_results(root: str, job_id: int) -> list[dict]:
    """The job's per-host task results, in order: {task, host, event, changed} from its job events."""
    results = []
    events = glob.glob(os.path.join(root, "artifacts", str(job_id), "job_events", "*.json"))
    for path in sorted(events, key=lambda p: int(os.path.basename(p).split("-", 1)[0])):
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
        if event.get("event") in ("runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable",
                                  "runner_item_on_ok", "runner_item_on_failed"):
            data = event.get("event_data", {})
            results.append({"task": data.get("task"), "host": data.get("host"), "event": event["event"],
                            "changed": bool(data.get("res", {}).get("changed"))})
    return results


def stats(root: str, job_id: int) -> dict:
    """The job's playbook_on_stats counters, e.g. {"changed": {}, "ok": {"localhost": 20}, ...}."""
    for path in glob.glob(os.path.join(root, "artifacts", str(job_id), "job_events", "*.json")):
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
        if event.get("event") == "playbook_on_stats":
            return event["event_data"]
    return {}


def files_holding(root: str, secret: str, under: str = "artifacts") -> list[str]:
    """Files below root/under whose content holds ``secret``."""
    found = []
    for folder, _dirs, files in os.walk(os.path.join(root, under)):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                if secret.encode() in handle.read():
                    found.append(os.path.relpath(path, root))
    return found
