"""A module's argument spec, and options validated by it the way AnsibleModule does, without running the module."""

import importlib
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator


class _Captured(Exception):
    pass


def module_spec(module_name):
    """(argument_spec, the other AnsibleModule keyword arguments) that the module's main() builds."""
    module = importlib.import_module("ansible_collections.openai.beta.plugins.modules." + module_name)
    captured = {}

    def capture(self, argument_spec, **kwargs):
        captured.update(spec=argument_spec, kwargs=kwargs)
        raise _Captured()

    with mock.patch.object(basic.AnsibleModule, "__init__", capture):
        try:
            module.main()
        except _Captured:
            pass
    return captured["spec"], captured["kwargs"]


def validated(module_name, **options):
    """The options as the module would see them (defaults filled, types coerced); ValueError when refused."""
    spec, kwargs = module_spec(module_name)
    checks = dict((key, kwargs[key]) for key in ("mutually_exclusive", "required_together", "required_one_of",
                                                 "required_if", "required_by") if key in kwargs)
    options.setdefault("api_key", "sk-test")
    result = ArgumentSpecValidator(spec, **checks).validate(options)
    if result.error_messages:
        raise ValueError("; ".join(result.error_messages))
    return result.validated_parameters
