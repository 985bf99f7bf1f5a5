# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of every _info module: one object by id, or every page of a listing."""

from __future__ import annotations

from . import validate
from .connection import build_client, connection_argument_spec
from .errors import OpenAIError, fail_from_error
from .retirement import warn_assistants_retired


def info_argument_spec(**options):
    spec = connection_argument_spec()
    spec.update(options)
    return spec


def listing_options(before=True):
    """order, after, before and max_items, as every list endpoint takes them."""
    options = dict(
        order=dict(type="str", choices=["asc", "desc"]),
        after=dict(type="str"),
        max_items=dict(type="int"),
    )
    if before:
        options["before"] = dict(type="str")
    return options


class Info:
    plural = None          # the result key ("assistants")
    id_option = None       # the option that selects one object ("assistant_id")
    id_prefix = None
    beta = None
    retired = False

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = build_client(module, self.beta)

    def collection_path(self):
        raise NotImplementedError

    def object_path(self, object_id):
        return "%s/%s" % (self.collection_path(), object_id)

    def validate(self):
        if self.id_prefix:
            validate.object_id(self.id_option, self.params.get(self.id_option), self.id_prefix)
        max_items = self.params.get("max_items")
        if max_items is not None and max_items < 1:
            raise validate.InvalidInput("max_items must be at least 1, got %d" % max_items)

    def list_query(self):
        return dict((key, self.params.get(key)) for key in ("order", "after", "before") if self.params.get(key))

    def keep(self, obj):
        """Client-side filters the API has no parameter for."""
        return True

    def filtering(self):
        """True when keep() may drop objects, so max_items cannot size the pages."""
        return False

    def object_query(self):
        """Query parameters of a get-by-id (such as include[])."""
        return None

    def get_one(self, object_id):
        try:
            return [self.client.get(self.object_path(object_id), self.object_query())]
        except OpenAIError as error:
            if error.status == 404:
                return []
            raise

    def list_all(self):
        max_items = self.params.get("max_items")
        backwards = bool(self.params.get("before"))
        pages = self.client.list(self.collection_path(), self.list_query(),
                                 max_items=None if self.filtering() else max_items,
                                 direction="before" if backwards else "after")
        if backwards:
            # the objects nearest the cursor are the last ones of a backwards listing
            found = [obj for obj in pages if self.keep(obj)]
            return found[-max_items:] if max_items else found
        found = []
        for obj in pages:
            if self.keep(obj):
                found.append(obj)
                if max_items is not None and len(found) >= max_items:
                    break
        return found

    def run_query(self):
        object_id = self.params.get(self.id_option)
        return self.get_one(object_id) if object_id else self.list_all()

    def run(self):
        try:
            if self.retired:
                warn_assistants_retired(self.module)
            self.validate()
            found = self.run_query()
        except validate.InvalidInput as error:
            self.module.fail_json(msg=str(error))
        except OpenAIError as error:
            fail_from_error(self.module, error, self.client.secrets)
        self.module.exit_json(changed=False, **{self.plural: found})
