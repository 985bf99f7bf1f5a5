# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declarative base of every state: present/absent module.

A module names its API paths and the options that are API fields; the base reads the object,
compares only what the user set, and creates, updates or deletes: nothing in check mode, with
`diff` only when asked.
"""

from __future__ import annotations

from . import validate
from .compare import contains, planned_metadata, strip_none
from .connection import build_client, connection_argument_spec
from .errors import OpenAIError, fail_from_error
from .retirement import warn_assistants_retired

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


class Resource:
    name = None            # the result key and the word used in messages ("assistant")
    id_option = None       # the option holding the object's id ("assistant_id")
    id_prefix = None       # ids look like "<prefix>_..." ("asst")
    beta = None            # the OpenAI-Beta header value, if the family needs one
    fields = ()            # options that are API fields: sent on create, compared and updated when set
    create_only = ()       # fields the API cannot change on an existing object
    secret_fields = ()     # fields of the API object never shown in a diff
    retired = False        # part of the retired Assistants API

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.client = build_client(module, self.beta)

    # --- what a module declares -----------------------------------------------------------------
    def collection_path(self):
        raise NotImplementedError

    def object_path(self, object_id):
        return "%s/%s" % (self.collection_path(), object_id)

    def validate(self):
        """Raise validate.InvalidInput for input the API would reject. Extend, then call super()."""
        if self.id_prefix:
            validate.object_id(self.id_option, self.params.get(self.id_option), self.id_prefix)
        self.metadata = validate.metadata("metadata", self.params.get("metadata"))

    def find(self):
        """The existing object this task means when no id is given, or None (then present creates)."""
        return None

    def desired(self):
        """The API fields the user set, as the API expects them."""
        return dict((field, strip_none(self.params[field])) for field in self.fields
                    if self.params.get(field) is not None)

    def matches(self, obj, field, value):
        """True when the object's field already holds what the task sets (server defaults ignored).

        A field the server does not report at all (the spec leaves reasoning_effort out of its objects)
        cannot be compared, and so is not a difference.
        """
        if field not in obj:
            return True
        return contains(obj.get(field), value)

    def check_create(self, body):
        """Raise validate.InvalidInput when a create would lack what the API requires."""

    def check_update(self, current, changes):
        """Raise validate.InvalidInput when the API would refuse these changes to the current object."""

    def recover_create(self, body):
        """After an ambiguous failure of a create: the object if the server made it, else None."""
        return None

    can_recover_create = False

    # --- the API calls ---------------------------------------------------------------------------
    def get(self, object_id):
        try:
            return self.client.get(self.object_path(object_id))
        except OpenAIError as error:
            if error.status == 404:
                return None
            raise

    def create(self, body):
        recover = (lambda: self.recover_create(body)) if self.can_recover_create else None
        return self.client.post_once(self.collection_path(), body, recover=recover)

    def update(self, obj, changes):
        return self.client.post(self.object_path(obj["id"]), changes)

    def delete(self, obj):
        try:
            self.client.delete(self.object_path(obj["id"]))
        except OpenAIError as error:
            if error.status != 404:  # deleted meanwhile, or by our own retried request
                raise

    def would_be(self, body):
        """The object a create would return, for check mode."""
        obj = dict(body, id=None)
        obj.setdefault("metadata", {})
        return obj

    # --- the state machine -----------------------------------------------------------------------
    def run(self):
        try:
            if self.retired:
                warn_assistants_retired(self.module)
            self.validate()
            result = self.ensure_absent(self.read()) if self.params["state"] == "absent" \
                else self.ensure_present(self.read())
        except validate.InvalidInput as error:
            self.module.fail_json(msg=str(error))
        except OpenAIError as error:
            fail_from_error(self.module, error, self.client.secrets)
        self.module.exit_json(**result)

    def read(self):
        object_id = self.params.get(self.id_option)
        if not object_id:
            return self.find()
        obj = self.get(object_id)
        if obj is None and self.params["state"] == "present":
            raise validate.InvalidInput("%s %s was not found; omit %s to create a new %s"
                                        % (self.name, object_id, self.id_option, self.name))
        return obj

    def ensure_present(self, current):
        desired = self.desired()
        if current is None:
            body = self.create_body(desired)
            self.check_create(body)
            obj = self.would_be(body) if self.check_mode else self.create(body)
            return self.result(True, obj, {}, self.view(dict(body, **obj), body))
        self.refuse_create_only_changes(current, desired)
        changes = dict((field, value) for field, value in desired.items()
                       if field not in self.create_only and not self.matches(current, field, value))
        metadata = planned_metadata(self.metadata, current.get("metadata"), self.params.get("purge_metadata", True))
        if metadata is not None:
            changes["metadata"] = metadata
        managed = dict(desired, **({"metadata": None} if self.metadata is not None else {}))
        if not changes:
            return self.result(False, current, self.view(current, managed), self.view(current, managed))
        self.check_update(current, changes)
        obj = dict(current, **changes) if self.check_mode else self.update(current, changes)
        return self.result(True, obj, self.view(current, managed), self.view(obj, managed))

    def ensure_absent(self, current):
        if current is None:
            return self.result(False, None, {}, {})
        if not self.check_mode:
            self.delete(current)
        return self.result(True, current, self.view(current, current), {})

    def create_body(self, desired):
        body = dict(desired)
        if self.metadata is not None:
            body["metadata"] = self.metadata
        return body

    def refuse_create_only_changes(self, current, desired):
        blocked = sorted(field for field in self.create_only
                         if field in desired and not self.matches(current, field, desired[field]))
        if blocked:
            raise validate.InvalidInput(
                "%s of an existing %s cannot be changed (the API sets %s only at creation): %s %s has other values"
                % (", ".join(blocked), self.name, "it" if len(blocked) == 1 else "them", self.name, current["id"]))

    # --- results ---------------------------------------------------------------------------------
    def view(self, obj, fields):
        """The managed fields of an object, as shown in a diff."""
        return dict((field, obj.get(field)) for field in fields if field not in self.secret_fields)

    def result(self, changed, obj, before, after):
        result = {"changed": changed, self.name: obj}
        if self.module._diff:
            result["diff"] = {"before": before, "after": after}
        return result
