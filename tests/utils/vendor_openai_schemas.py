"""Write tests/emulator/openai_schemas.json: the part of OpenAI's spec that the emulator validates with.

    .venv/bin/python tests/utils/vendor_openai_schemas.py [--spec PATH] [--check]

The emulator is standard library only, so it cannot read the YAML spec (nor is the spec part of the
project). This script copies the schemas it needs (the input item union ``InputItem``, the stored
``ConversationItem`` union, ChatKit's ``ThreadItem`` union, the conversations' ``IncludeEnum``, and every
schema they reference) from the spec the conformance checks use: ``$OPENAI_SPEC``, else
``../shared/openapi/openai.prism.subset.yml`` (relative to the repository root; see
tests/conformance/conftest.py). That file is OpenAI's spec normalized for validators
(shared/openapi/normalize_spec.py: ``nullable`` rewritten, ``discriminator`` removed, ``InputItem`` an
``anyOf``), so the emulator checks requests exactly as Prism and openapi-core do.

The copy is trimmed: descriptions, titles, examples and other annotations are dropped. OpenAI's spec
(https://github.com/openai/openai-openapi) is published under the MIT licence (its ``info.license``); the
generated file says so in its ``x-vendored`` header. One schema per line, keys sorted: the output is the
same on every run, so ``--check`` (and tests/conformance/test_vendored_schemas.py) can compare it.
"""

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
OUTPUT = os.path.join(REPO_ROOT, "tests", "emulator", "openai_schemas.json")
ROOTS = ("InputItem", "ConversationItem", "ThreadItem", "IncludeEnum")
# annotations: no effect on what a value may be
DROPPED_KEYWORDS = frozenset((
    "description", "title", "example", "examples", "deprecated", "format", "discriminator",
    "x-oaiMeta", "x-oaiTypeLabel", "x-stainless-const", "x-oaiExpandable", "x-stainless-naming",
))
SOURCE = ("OpenAI's OpenAPI spec, https://github.com/openai/openai-openapi (openapi.yaml), MIT licence "
          "(the spec's info.license: MIT), as normalized for validators by shared/openapi/normalize_spec.py")


def spec_location():
    """The spec the conformance checks read (tests/conformance/spec_exceptions.py says which)."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
    from conformance.spec_exceptions import spec_location as location  # pylint: disable=import-outside-toplevel

    return location()


def load_spec(path):
    import yaml  # only this script needs PyYAML (a pinned dev requirement), never the emulator

    with open(path, "rb") as handle:
        raw = handle.read()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw, Loader=loader), hashlib.sha256(raw).hexdigest()  # nosec B506 (a safe loader)


def _trim(node):
    if isinstance(node, dict):
        return {key: (_trim_properties(value) if key == "properties" else _trim(value))
                for key, value in node.items() if key not in DROPPED_KEYWORDS}
    if isinstance(node, list):
        return [_trim(value) for value in node]
    return node


def _trim_properties(properties):
    """Under ``properties`` the keys are field names (a field may be called ``description``)."""
    return {name: _trim(schema) for name, schema in properties.items()}


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def vendored_schemas(spec, roots=ROOTS):
    """The trimmed schemas named in ``roots`` and every schema they reference, by name."""
    components = spec["components"]["schemas"]
    wanted, todo = {}, list(roots)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted[name] = _trim(components[name])
        todo.extend(sorted(_refs(wanted[name], set()) - set(wanted)))
    return dict(sorted(wanted.items()))


def render(schemas, spec_path, spec_sha256):
    header = {
        "source": SOURCE,
        "spec_file": os.path.basename(spec_path),
        "spec_sha256": spec_sha256,
        "roots": list(ROOTS),
        "generated_by": "tests/utils/vendor_openai_schemas.py (do not edit by hand)",
        "trimmed": sorted(DROPPED_KEYWORDS),
    }
    lines = ['{"x-vendored": %s,' % json.dumps(header, sort_keys=True), '"schemas": {']
    names = list(schemas)
    for index, name in enumerate(names):
        comma = "," if index < len(names) - 1 else ""
        lines.append("%s: %s%s" % (json.dumps(name), json.dumps(schemas[name], sort_keys=True), comma))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--spec", default=spec_location(), help="the spec to copy from (default: %(default)s)")
    parser.add_argument("--output", default=OUTPUT, help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the output would change")
    args = parser.parse_args(argv)
    spec, sha256 = load_spec(args.spec)
    text = render(vendored_schemas(spec), args.spec, sha256)
    if args.check:
        with open(args.output, encoding="utf-8") as handle:
            same = handle.read() == text
        print("%s is %s" % (os.path.relpath(args.output), "up to date" if same else "OUT OF DATE"))
        return 0 if same else 1
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("wrote %s: %d schemas from %s" % (os.path.relpath(args.output), text.count("\n") - 3, args.spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
