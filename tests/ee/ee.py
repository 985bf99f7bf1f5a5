"""The execution environment, for real: `make ee` builds the image, `make ee-demo` runs the demo in it as AWX would.

    python tests/ee/ee.py build CONTEXT_DIR   # after `ansible-builder create` wrote CONTEXT_DIR (make ee-context)
    python tests/ee/ee.py demo                # two AWX jobs of demo/site.yml in the image (tests/awx/job.py)

What this machine needs, installed here when missing (as root, the way CI runs; idempotent):
  - Debian's podman, runc and debootstrap (apt-get). Containers run with runc and cgroupfs and without default
    ulimits: crun fails on this kernel's cgroups, and podman's default ulimits cannot be set here. Those settings
    are in .build/ee/containers.conf, which every podman started from here reads (CONTAINERS_CONF): the
    machine's own /etc/containers is left alone.
  - The base image, made locally, since no container registry is reachable: a Debian root file system
    (debootstrap, Debian's packages, with python3 and pip, trusting the certificate authorities the machine's
    administrator added in /usr/local/share/ca-certificates), `podman import`ed as BASE_IMAGE; made once.
Then `ansible-builder build` would pull nothing: the Containerfile of the context is built with podman
(`--pull=never`); pip inside the build reaches PyPI as the host does.

The demo: the emulator on the host, reached from the container over the host network; two jobs, each a new
private data directory laid out as AWX does, run by ansible-runner with process isolation (podman, the image;
AWX's --user=root), the collection installed by the project's collections/requirements.yml. The second job must
report changed=0 in its playbook_on_stats event. The key comes as docs/awx.md's credential type gives it (a file in
the job's env/ that OPENAI_API_KEY_FILE names), and no artifact of a job may hold it.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(REPO, ".build", "ee")
CONTAINERS_CONF = os.path.join(BUILD, "containers.conf")
BASE_IMAGE = "localhost/openai-beta-ee-base:bookworm"
IMAGE = "localhost/openai-beta-ee:latest"
SUITE, MIRROR = "bookworm", "http://deb.debian.org/debian"
# minbase plus what ansible-builder's stages run: python3 with pip (its scripts), certificates for PyPI
BASE_PACKAGES = ("python3", "python3-pip", "ca-certificates")
LOCAL_CA_DIR = "/usr/local/share/ca-certificates"
TOOLS = {"podman": "podman", "runc": "runc", "debootstrap": "debootstrap"}

sys.path.insert(0, os.path.join(REPO, "tests"))
from awx import job  # noqa: E402  pylint: disable=wrong-import-position
from emulator.harness import Emulator  # noqa: E402  pylint: disable=wrong-import-position


def log(message: str) -> None:
    print("ee: %s" % message, flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    log("$ " + " ".join(command))
    return subprocess.run(command, check=True, env=podman_env(), **kwargs)


def podman_env() -> dict:
    return dict(os.environ, CONTAINERS_CONF=CONTAINERS_CONF)


def prerequisites() -> None:
    missing = sorted({package for tool, package in TOOLS.items() if not shutil.which(tool)})
    if missing:
        if os.geteuid() != 0:
            raise SystemExit("ee: %s missing; as root: apt-get install %s" % (", ".join(missing), " ".join(missing)))
        log("installing %s (Debian packages)" % " ".join(missing))
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends"] + missing, check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)
    os.makedirs(BUILD, exist_ok=True)
    with open(CONTAINERS_CONF, "w", encoding="utf-8") as handle:
        handle.write('[containers]\ndefault_ulimits = []\n\n'
                     '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')


def image_exists(name: str) -> bool:
    return subprocess.run(["podman", "image", "exists", name], env=podman_env(), check=False).returncode == 0


def base_image() -> None:
    if image_exists(BASE_IMAGE):
        log("base image %s: present" % BASE_IMAGE)
        return
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=BUILD) as tmp:
        rootfs = os.path.join(tmp, "rootfs")
        run(["debootstrap", "--variant=minbase", "--include=" + ",".join(BASE_PACKAGES), SUITE, rootfs, MIRROR],
            stdout=subprocess.DEVNULL)
        # The certificate authorities this machine's administrator added (Debian's place for them): pip in the
        # image build then reaches PyPI as the host's pip does, through a TLS-inspecting proxy too.
        local_cas = sorted(glob.glob(os.path.join(LOCAL_CA_DIR, "*.crt")))
        for path in local_cas:
            shutil.copy2(path, os.path.join(rootfs, LOCAL_CA_DIR.lstrip("/")))
        if local_cas:
            subprocess.run(["chroot", rootfs, "update-ca-certificates"], check=True, stdout=subprocess.DEVNULL)
            log("base image trusts this machine's added CAs: %s" % ", ".join(map(os.path.basename, local_cas)))
        subprocess.run(["chroot", rootfs, "apt-get", "clean"], check=True)
        tar = subprocess.Popen(["tar", "-C", rootfs, "--numeric-owner", "--exclude=./proc/*", "--exclude=./sys/*",
                                "-c", "."], stdout=subprocess.PIPE)
        run(["podman", "import", "--change", "CMD [\"/bin/bash\"]", "--message",
             "Debian %s minbase + %s (debootstrap)" % (SUITE, " ".join(BASE_PACKAGES)), "-", BASE_IMAGE],
            stdin=tar.stdout, stdout=subprocess.DEVNULL)
        if tar.wait() != 0:
            raise SystemExit("ee: tar of the root file system failed")
    log("base image %s made in %.0fs" % (BASE_IMAGE, time.monotonic() - started))


def build(context: str) -> int:
    started = time.monotonic()
    prerequisites()
    base_image()
    run(["podman", "build", "--pull=never", "-f", os.path.join(context, "Containerfile"), "-t", IMAGE, context])
    shown = subprocess.run(["podman", "run", "--rm", IMAGE, "ansible-galaxy", "collection", "list", "openai.beta"],
                           env=podman_env(), check=True, capture_output=True, text=True).stdout
    log("image %s holds:\n%s" % (IMAGE, shown.strip()))
    log("built in %.0fs" % (time.monotonic() - started))
    return 0


def demo(tarball: str) -> int:
    started = time.monotonic()
    prerequisites()
    if not image_exists(IMAGE):
        raise SystemExit("ee: no image %s: run `make ee` first" % IMAGE)
    runner = os.path.join(os.path.dirname(sys.executable), "ansible-runner")
    galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    work = os.path.join(BUILD, "demo")
    shutil.rmtree(work, ignore_errors=True)
    name_store_dir = os.path.join(work, "name-store")
    os.makedirs(name_store_dir)
    failures = []
    with Emulator(api_key="sk-ee-demo-" + secrets.token_hex(12)) as emulator:
        log("emulator at %s (host network)" % emulator.base_url)
        for job_id in (1, 2):
            root = os.path.join(work, "awx_%d_job" % job_id)
            job.lay_out(root, job_id=job_id, tarball=tarball, base_url=emulator.base_url, api_key=emulator.api_key,
                        name_store_dir=name_store_dir, in_container=True, key_in="file")
            installed = job.install_collections(root, galaxy)
            if installed.returncode != 0:
                raise SystemExit("ee: collection install failed:\n" + installed.stdout + installed.stderr)
            command = job.runner_command(runner, root, job_id, image=IMAGE, name_store_dir=name_store_dir,
                                         container_options=("--network=host", "--pull=never"))
            log("job %d: $ %s" % (job_id, " ".join(command)))
            done = subprocess.run(command, env=podman_env(), check=False, stdin=subprocess.DEVNULL)
            stats = job.stats(root, job_id)
            changed = sum(stats.get("changed", {}).values())
            log("job %d: rc=%d, ok=%d changed=%d failed=%d (%d task results)" % (
                job_id, done.returncode, sum(stats.get("ok", {}).values()), changed,
                sum(stats.get("failures", {}).values()), len(job.task_results(root, job_id))))
            # the key as docs/awx.md's credential type gives it, in a file: in none of the artifacts (not even in
            # ansible-runner's record of the job's environment, artifacts/<id>/command and env.list)
            leaked = job.files_holding(root, emulator.api_key, under="artifacts")
            if done.returncode != 0 or not stats:
                failures.append("job %d failed (rc=%d)" % (job_id, done.returncode))
            if leaked:
                failures.append("job %d: the API key is in %s" % (job_id, leaked))
            if job_id == 2 and changed:
                failures.append("the second job is not idempotent: changed=%d" % changed)
            shutil.rmtree(root)  # as AWX removes every job's directory
    log("%s in %.0fs%s" % ("FAILED" if failures else "OK: the second job reported changed=0",
                           time.monotonic() - started, "".join("\n  - " + f for f in failures)))
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"] and len(argv) == 2:
        return build(os.path.abspath(argv[1]))
    if argv[:1] == ["demo"] and len(argv) == 2:
        return demo(os.path.abspath(argv[1]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
