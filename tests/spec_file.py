"""Where the tests find OpenAI's official spec, and what they do without it (one place for every suite).

The spec is not part of the project: ``$OPENAI_SPEC``, else ``<repo>/../shared/openapi/openai.prism.subset.yml``.
Without it the tests that need it skip with a message, except under CI (``CI=true``), where that is a failure.
"""

import functools
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "openapi" / "openai.prism.subset.yml"


def spec_location():
    configured = os.environ.get("OPENAI_SPEC")
    return Path(configured) if configured else DEFAULT_SPEC


def require_spec():
    """The spec's path; skips the test (fails it under CI) when there is none."""
    path = spec_location()
    if not path.is_file():
        message = "OpenAI spec not found at %s (set OPENAI_SPEC to its path)" % path
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; a missing spec is a failure under CI", pytrace=False)
        pytest.skip(message)
    return path


@functools.lru_cache(maxsize=None)
def _load(path):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)


def spec_document():
    """The spec as plain data (parsed once per process)."""
    return _load(str(require_spec()))
