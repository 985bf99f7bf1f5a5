"""The collection's metadata stays complete as modules are added."""

import os
import re
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES_DIR = os.path.join(REPO, "plugins", "modules")


def module_names():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py") and name != "__init__.py")


def test_every_module_is_in_the_action_group_all():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    assert sorted(runtime["action_groups"]["all"]) == module_names()


# The API has no way to read a ChatKit session back (no GET, no list): nothing for an _info module to do.
UNREADABLE = {"openai_chatkit_session"}
# Modules that converge many objects of a family whose _info module reads them (openai_assistant_info).
BULK = {"openai_assistant_fleet": "openai_assistant_info"}


def test_every_resource_module_has_an_info_twin():
    names = set(module_names())
    assert all(twin in names for twin in BULK.values())
    resources = [name for name in names if not name.endswith("_info") and name not in BULK]
    assert resources, "no modules found"
    for name in resources:
        assert (name + "_info" in names) != (name in UNREADABLE), "%s: _info module missing or unexpected" % name


def test_the_python_floor_is_stated_where_users_read_it():
    """tests/config.yml holds the modules' Python floor (ansible-test reads it); README and galaxy.yml say it."""
    with open(os.path.join(REPO, "tests", "config.yml")) as handle:
        floor = yaml.safe_load(handle)["modules"]["python_requires"].lstrip(">= ")
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        core = yaml.safe_load(handle)["requires_ansible"].lstrip(">= ").rsplit(".0", 1)[0]
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        description = " ".join(yaml.safe_load(handle)["description"].split())
    with open(os.path.join(REPO, "README.md")) as handle:
        readme = " ".join(handle.read().split())
    for text in (description, readme):
        assert "ansible-core %s or later" % core in text and "Python %s or later" % floor in text


def test_galaxy_metadata():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    assert (galaxy["namespace"], galaxy["name"]) == ("openai", "beta")
    assert galaxy["license"] and galaxy["repository"] and galaxy["documentation"]
    assert ".venv" in galaxy["build_ignore"] and "tests/output" in galaxy["build_ignore"]


def test_the_readme_range_table_is_the_tested_range():
    """README's table of the supported range says what tests/range/cores.py runs: cores, Pythons, sanity."""
    sys.path.insert(0, os.path.join(REPO, "tests", "range"))
    import cores  # pylint: disable=import-outside-toplevel

    with open(os.path.join(REPO, "README.md")) as handle:
        rows = {match.group(1): (match.group(2), match.group(3)) for match in
                re.finditer(r"^\| (2\.\d+) \| (3\.\d+) \| (.*) \|$", handle.read(), re.M)}
    for core in cores.CORES:
        assert core.version in rows, "README's range table has no row for ansible-core %s" % core.version
        python, what = rows[core.version]
        assert python == core.python and ("sanity" in what) == core.sanity, (core, rows[core.version])
        if core.sanity:
            assert "compile and import of the modules on Python" in what, what
    with open(os.path.join(REPO, "README.md")) as handle:
        readme = handle.read()
    for target in cores.INTEGRATION_TARGETS:
        assert "`%s`" % target in readme, "README does not name the integration target %s" % target
