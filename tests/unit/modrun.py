"""Run a module's main() in-process and capture what it returned, failed with, or warned."""

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
except ImportError:  # 2.16 - 2.18 (tests/range): AnsibleModule reads its arguments from basic._ANSIBLE_ARGS
    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))):
            yield


class ModuleExit(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


class ModuleFail(Exception):
    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


def run(main, args, check_mode=False, diff=False):
    """The module's result dict (with the warnings it emitted under "warnings"); raises ModuleFail."""
    warnings = []
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)

    def exit_json(self, **result):
        result["warnings"] = warnings
        raise ModuleExit(result)

    def fail_json(self, msg, **result):
        result.update(msg=msg, warnings=warnings)
        raise ModuleFail(result)

    with patch_module_args(args), \
            mock.patch.object(basic.AnsibleModule, "exit_json", exit_json), \
            mock.patch.object(basic.AnsibleModule, "fail_json", fail_json), \
            mock.patch.object(basic.AnsibleModule, "warn", lambda self, text: warnings.append(text)):
        try:
            main()
        except ModuleExit as done:
            return done.result
    raise AssertionError("the module returned without exit_json or fail_json")
