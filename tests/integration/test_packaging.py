"""The collection as a user gets it: built, installed, documented, and usable ad hoc."""

import glob
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def tool(name):
    return os.path.join(BIN, name)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the tarball from the working tree and install it into an empty collections path."""
    work = tmp_path_factory.mktemp("galaxy")
    subprocess.run([tool("ansible-galaxy"), "collection", "build", REPO, "--output-path", str(work)],
                   check=True, capture_output=True, text=True)
    tarballs = glob.glob(str(work / "openai-beta-*.tar.gz"))
    assert len(tarballs) == 1
    collections = work / "collections"
    subprocess.run([tool("ansible-galaxy"), "collection", "install", tarballs[0], "-p", str(collections)],
                   check=True, capture_output=True, text=True)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_NOCOLOR="1")
    return {"tarball": tarballs[0], "collections": collections, "env": env}


def test_tarball_leaves_out_local_files(installed):
    listing = subprocess.run(["tar", "-tzf", installed["tarball"]], check=True, capture_output=True, text=True).stdout
    for unwanted in (".venv/", ".build/", "tests/output/", "__pycache__"):
        assert unwanted not in listing
    assert "plugins/modules/openai_assistant.py" in listing and "meta/runtime.yml" in listing


def test_every_installed_module_has_rendering_docs(installed):
    modules_dir = installed["collections"] / "ansible_collections" / "openai" / "beta" / "plugins" / "modules"
    names = sorted(path.stem for path in modules_dir.glob("openai_*.py"))
    assert names
    for name in names:
        shown = subprocess.run([tool("ansible-doc"), "openai.beta." + name], env=installed["env"],
                               capture_output=True, text=True, check=False)
        assert shown.returncode == 0, shown.stderr
        assert "EXAMPLES" in shown.stdout and "RETURN VALUES" in shown.stdout


def test_ad_hoc_info_lists_assistants(installed, fresh_emulator):
    env = dict(installed["env"], OPENAI_BASE_URL=fresh_emulator.base_url, OPENAI_API_KEY=fresh_emulator.api_key)
    create = subprocess.run([tool("ansible"), "localhost", "-m", "openai.beta.openai_assistant",
                             "-a", "name=adhoc model=gpt-4o"], env=env, capture_output=True, text=True, check=False)
    assert create.returncode == 0, create.stdout + create.stderr
    listed = subprocess.run([tool("ansible"), "localhost", "-m", "openai.beta.openai_assistant_info"],
                            env=env, capture_output=True, text=True, check=False)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert '"name": "adhoc"' in listed.stdout and '"assistants": [' in listed.stdout
    assert fresh_emulator.api_key not in listed.stdout + listed.stderr + create.stdout + create.stderr
