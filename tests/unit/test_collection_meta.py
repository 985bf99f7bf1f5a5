"""The collection's metadata stays complete as modules are added."""

import os

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


def test_galaxy_metadata():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    assert (galaxy["namespace"], galaxy["name"]) == ("openai", "beta")
    assert galaxy["license"] and galaxy["repository"] and galaxy["documentation"]
    assert ".venv" in galaxy["build_ignore"] and "tests/output" in galaxy["build_ignore"]
