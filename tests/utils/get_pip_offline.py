"""Offline stand-in for ansible-test's ``get-pip-<version>.py`` bootstrap script.

ansible-test (2.19) creates every sanity test's virtual environment with ``python -m venv --without-pip``
and then bootstraps pip into it by running ``get-pip-<version>.py``, which it downloads from Ansible's
CI file server into ``~/.ansible/test/cache/get_pip_<version>.py`` unless that file already exists.
That server is not reachable here, so tests/utils/run_sanity.py installs THIS file at
that cache path, next to the matching pip wheel it downloaded from PyPI with pip.

It does what get-pip.py does: run pip straight from the wheel (pip supports running from its own
wheel) and let it install the requested packages (``pip==<version>``) into the running interpreter.
The wheel directory is given to pip with ``--find-links``, so pip itself is installed from that local
wheel; the sanity requirements that ansible-test installs next come from PyPI as usual.

Invoked by ansible-test as ``python quiet_pip.py [pip options] pip==X.Y [--no-setuptools] [--no-wheel]``
with ``GET_PIP`` pointing here (quiet_pip.py runs this module as ``__main__``).
"""

import glob
import os
import sys

GET_PIP_ONLY = ("--no-setuptools", "--no-wheel", "--no-pip")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    wanted = [arg.split("==", 1)[1] for arg in args if arg.startswith("pip==")]
    pattern = "pip-%s-py3-none-any.whl" % (wanted[0] if wanted else "*")
    wheels = sorted(glob.glob(os.path.join(here, pattern)))
    if not wheels:
        sys.stderr.write("get-pip (offline): no %s next to %s; run tests/utils/run_sanity.py --prepare\n" % (pattern, here))
        sys.exit(1)

    sys.path.insert(0, wheels[-1])
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    sys.exit(pip_main(["install", "--upgrade", "--force-reinstall", "--find-links", here] + args))


if __name__ == "__main__":
    main()
