# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a state: present/absent module runs: validate, read, plan, execute, report; and the one error path.

A family is described by a Family: its endpoint, `wanted(params)` (validation, pure), `read(reader, wanted)`
(the reads its planner needs) and its planner class. Everything a module does between its argument spec and
exit_json is here, once.
"""

from __future__ import annotations

import contextlib

from .connection import build_client, connection_argument_spec
from .errors import OpenAIError, fail_from_error
from .executor import Executor
from .names import NameStore, store_path
from .planner import Held
from .retirement import warn_assistants_retired
from .validate import InvalidInput
from .wait import WaitTimeout

ABSENT_OR_PRESENT = dict(type="str", default="present", choices=["present", "absent"])


def metadata_argument_spec():
    return dict(metadata=dict(type="dict"), purge_metadata=dict(type="bool", default=True))


def resource_argument_spec(with_metadata=True, **options):
    """Connection options, state, metadata/purge_metadata (for objects that have metadata), then the module's own."""
    spec = connection_argument_spec()
    spec.update(state=ABSENT_OR_PRESENT)
    if with_metadata:
        spec.update(metadata_argument_spec())
    spec.update(options)
    return spec


def no_claim(_names, _wanted):
    return contextlib.nullcontext()


class Family:
    """`claim(names, wanted)`: a context that the read, the plan and the writes of a task happen in (the lock on a
    name that an unlistable object is created under); by default none."""

    def __init__(self, endpoint, wanted, read, planner, claim=no_claim):
        self.endpoint = endpoint
        self.wanted = wanted
        self.read = read
        self.planner = planner
        self.claim = claim


class Reader:
    """The reads a task makes before it plans (never a write): objects, and the name store."""

    def __init__(self, client, names=None):
        self.client = client
        self.names = names

    def get(self, path, query=None):
        """The object at `path`, or None when the server has none."""
        try:
            return self.client.get(path, query)
        except OpenAIError as error:
            if error.status == 404:
                return None
            raise

    def list(self, path, query=None, max_items=None):
        return list(self.client.list(path, query, max_items=max_items))


def read_by_id(reader, endpoint, wanted):
    """The object the task's id names; None without an id. A missing object is an error for state=present (the
    task cannot make an object with a given id)."""
    object_id = wanted.params.get(endpoint.id_option)
    if not object_id:
        return Held(None)
    obj = reader.get(endpoint.object_path(wanted.params, object_id))
    if obj is None and wanted.state == "present":
        raise InvalidInput("%s %s was not found; omit %s to create a new %s"
                           % (endpoint.key, object_id, endpoint.id_option, endpoint.key))
    return Held(obj)


def name_store(params):
    """The name store of this API account (base URL, organization, project), at `name_store` or its default."""
    account = "|".join((params["base_url"].rstrip("/"), params.get("organization") or "", params.get("project") or ""))
    return NameStore(store_path(params.get("name_store")), account)


def run(module, family):
    """Run a state: present/absent module of `family` to its exit_json or fail_json."""
    endpoint = family.endpoint
    client = build_client(module, endpoint.beta)
    names = name_store(module.params)
    try:
        if endpoint.retired:
            warn_assistants_retired(module)
        wanted = family.wanted(module.params)
        with family.claim(names, wanted):
            held = family.read(Reader(client, names), wanted)
            plan = family.planner(wanted).plan(held)
            outcome = Executor(client, module.check_mode, names=names).run(plan)
        result = plan.result(outcome, diff=module._diff)
    except InvalidInput as error:
        module.fail_json(msg=str(error))
    except OpenAIError as error:
        fail_from_error(module, error, client.secrets)
    except WaitTimeout as timeout:
        module.fail_json(msg=str(timeout), **{endpoint.key: timeout.last})
    module.exit_json(**result)
