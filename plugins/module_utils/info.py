# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of every _info module: one object by id, or every page of a listing, at the family's endpoint."""

from __future__ import annotations

from . import validate
from .connection import build_client, connection_argument_spec
from .errors import OpenAIError, fail_from_error
from .retirement import warn_assistants_retired
from .runner import Reader

LIST_ORDERS = ["asc", "desc"]


def info_argument_spec(**options):
    spec = connection_argument_spec()
    spec.update(options)
    return spec


def listing_options(before=True):
    """order, after, before and max_items, as every list endpoint takes them."""
    options = dict(
        order=dict(type="str", choices=LIST_ORDERS),
        after=dict(type="str"),
        max_items=dict(type="int"),
    )
    if before:
        options["before"] = dict(type="str")
    return options


class Info:
    endpoint = None        # an endpoints.Endpoint
    query_options = ()     # options sent as they are with the listing (filters such as run_id, user)
    include_query = None   # the query key of the `include` option, if the family has one ("include[]")

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = build_client(module, self.endpoint.beta)

    def validate(self):
        self.endpoint.check_ids(self.params)
        max_items = self.params.get("max_items")
        if max_items is not None and max_items < 1:
            raise validate.InvalidInput("max_items must be at least 1, got %d" % max_items)

    def object_query(self):
        """Query parameters of a get-by-id (include)."""
        if self.include_query and self.params.get("include"):
            return {self.include_query: self.params["include"]}
        return None

    def list_query(self):
        query = dict((key, self.params.get(key)) for key in ("order", "after", "before") if self.params.get(key))
        query.update((key, self.params[key]) for key in self.query_options if self.params.get(key))
        query.update(self.object_query() or {})
        return query

    def keep(self, obj):
        """Client-side filters the API has no parameter for."""
        return True

    def filtering(self):
        """True when keep() may drop objects, so max_items cannot size the pages."""
        return False

    def get_one(self, object_id):
        found = Reader(self.client).get(self.endpoint.object_path(self.params, object_id), self.object_query())
        return [found] if found is not None else []

    def list_all(self):
        max_items = self.params.get("max_items")
        backwards = bool(self.params.get("before"))
        pages = self.client.list(self.endpoint.collection_path(self.params), self.list_query(),
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
        object_id = self.params.get(self.endpoint.id_option)
        return self.get_one(object_id) if object_id else self.list_all()

    def run(self):
        try:
            if self.endpoint.retired:
                warn_assistants_retired(self.module)
            self.validate()
            found = self.run_query()
        except validate.InvalidInput as error:
            self.module.fail_json(msg=str(error))
        except OpenAIError as error:
            fail_from_error(self.module, error, self.client.secrets)
        self.module.exit_json(changed=False, **{self.endpoint.plural: found})
