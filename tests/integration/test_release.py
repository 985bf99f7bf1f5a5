"""The release as Galaxy, ansible-builder and the docs site get it.

- the version: one, in galaxy.yml, and the client's User-Agent agrees;
- the changelog: `antsibull-changelog lint`, and `antsibull-changelog release` in a temporary copy of the
  repository (the real fragments are not consumed);
- the tarball: `ansible-galaxy collection build` (`make dist`) ships only files git would track (galaxy-importer,
  `make galaxy-import`, is a step of make test of its own: tests/utils/test_static_checks.py);
- the execution environment: `ansible-builder create` on tests/ee (`make ee-context`) gives a build context that
  holds the collection, and ansible-builder's own introspection script, run on the collection installed from
  that context the way the image build does, finds `requests`;
- the docs: `antsibull-docs lint-collection-docs --plugin-docs` (`make docs-lint`), the reference of every
  module built from the modules' own documentation (`make docs`: RST and HTML, not committed), and the
  playbooks in docs/*.md pass `ansible-playbook --syntax-check`.

The Makefile targets are the single definition of these steps; the tests run them with output directories
of their own (DIST, EE_DIR, DOCS_DIR) and never rebuild the project venv (`-o .venv/.setup.stamp`).
"""

import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.path.join(REPO, ".build", "collections")

with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as _fh:
    GALAXY = yaml.safe_load(_fh)
VERSION = str(GALAXY["version"])
TARBALL = "%s-%s-%s.tar.gz" % (GALAXY["namespace"], GALAXY["name"], VERSION)
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(REPO, "plugins", "modules", "*.py"))
                 if not os.path.basename(path).startswith("__"))
# what a make started by the outer `make test` must not inherit (flags, variable overrides, jobserver)
MAKE_VARS = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS")


def tool_env(**extra):
    env = {key: value for key, value in os.environ.items()
           if key not in MAKE_VARS and not key.startswith("GALAXY_IMPORTER_")}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", NO_COLOR="1")
    env.update(extra)
    return env


def run(args, cwd=REPO, env=None, timeout=600):
    return subprocess.run(args, cwd=cwd, env=env or tool_env(), capture_output=True, text=True, timeout=timeout,
                          check=False)


def make(target, **variables):
    """`make TARGET VAR=value...` in the repository, without ever reinstalling the project venv."""
    args = ["make", "--no-print-directory", "-o", ".venv/.setup.stamp", target]
    args += ["%s=%s" % item for item in sorted(variables.items())]
    done = run(args)
    assert done.returncode == 0, "%s failed (exit %d):\n%s\n%s" % (
        " ".join(args), done.returncode, done.stdout[-12000:], done.stderr[-6000:])
    return done


def git_visible_files():
    """The files git would commit (tracked, or untracked and not ignored); None without git."""
    if not os.path.isdir(os.path.join(REPO, ".git")) or not shutil.which("git"):
        return None
    out = subprocess.run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         check=True, capture_output=True).stdout.decode("utf-8", "surrogateescape")
    return {path for path in out.split("\0") if path and os.path.lexists(os.path.join(REPO, path))}


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """`make dist` into a directory of the test's own: the tarball of the working tree."""
    directory = tmp_path_factory.mktemp("dist")
    make("dist", DIST=str(directory))
    tarball = directory / TARBALL
    assert tarball.is_file(), "make dist did not produce %s: %s" % (TARBALL, os.listdir(directory))
    return directory


# --------------------------------------------------------------------------------------------- version

def test_version_is_written_once_in_galaxy_yml():
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", VERSION), VERSION
    with open(os.path.join(REPO, "plugins", "module_utils", "client.py"), encoding="utf-8") as fh:
        agent = re.search(r'^USER_AGENT = "([^"]+)"', fh.read(), re.M)
    assert agent, "plugins/module_utils/client.py has no USER_AGENT"
    assert agent.group(1).endswith("/" + VERSION), (
        "USER_AGENT %r does not carry the galaxy.yml version %s (see docs/release.md)" % (agent.group(1), VERSION))


# --------------------------------------------------------------------------------------------- changelog

def test_changelog_fragments_lint():
    done = run([os.path.join(BIN, "antsibull-changelog"), "lint"])
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def _copy_of_the_repository(target):
    """The files git would commit (or, without git, the tree minus local state), copied to `target`."""
    files = git_visible_files()
    if files is None:
        skip = {".git", ".venv", ".build", ".cache", ".pytest_cache", ".ansible", "node_modules", "__pycache__"}
        shutil.copytree(REPO, target, ignore=lambda _dir, names: [name for name in names if name in skip],
                        symlinks=True)
        return
    for path in files:
        destination = os.path.join(target, path)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copy2(os.path.join(REPO, path), destination, follow_symlinks=False)


def test_changelog_release_in_a_copy(tmp_path):
    fragments_dir = os.path.join(REPO, "changelogs", "fragments")
    before = {name: sha256(os.path.join(fragments_dir, name)) for name in os.listdir(fragments_dir)}
    changelog_yaml_before = sha256(os.path.join(REPO, "changelogs", "changelog.yaml"))
    fragments = sorted(name for name in before if name.endswith((".yml", ".yaml")))
    assert fragments, "no changelog fragments: nothing to release"

    copy = tmp_path / "repo"
    _copy_of_the_repository(str(copy))
    with open(copy / "changelogs" / "changelog.yaml", encoding="utf-8") as fh:
        released = (yaml.safe_load(fh) or {}).get("releases") or {}
    version = VERSION
    if version in released:  # between releases galaxy.yml still names the last one: release the next patch
        major, minor, patch = (int(part) for part in re.match(r"(\d+)\.(\d+)\.(\d+)", version).groups())
        version = "%d.%d.%d" % (major, minor, patch + 1)
    summary = "Release checked by tests/integration/test_release.py."
    (copy / "changelogs" / "fragments" / ("%s.yml" % version)).write_text("release_summary: %s\n" % summary)

    done = run([os.path.join(BIN, "antsibull-changelog"), "release", "--version", version,
                "--date", datetime.date.today().isoformat()], cwd=str(copy))
    assert done.returncode == 0, done.stdout + done.stderr

    rst = (copy / "CHANGELOG.rst").read_text(encoding="utf-8")
    assert "v%s" % version in rst and summary in rst, rst[:2000]
    for module in MODULES:
        if module.startswith("_"):
            continue
        if version == VERSION:  # the first release lists every module as new
            assert "openai.beta.%s - " % module in rst, "%s missing from New Modules" % module
    with open(copy / "changelogs" / "changelog.yaml", encoding="utf-8") as fh:
        release = yaml.safe_load(fh)["releases"][version]
    assert sorted(release["fragments"]) == sorted(fragments + ["%s.yml" % version])
    with open(os.path.join(REPO, "changelogs", "config.yaml"), encoding="utf-8") as fh:
        trivial = yaml.safe_load(fh).get("trivial_section_name")  # changes users do not see: never rendered
    for name in fragments:  # every change of every fragment made it into the release
        with open(os.path.join(fragments_dir, name), encoding="utf-8") as fh:
            for section, entries in (yaml.safe_load(fh) or {}).items():
                if section == trivial:
                    continue
                for entry in ([entries] if isinstance(entries, str) else entries):
                    assert entry in release["changes"].get(section, []), "%s: %s" % (name, entry[:80])
    assert os.listdir(copy / "changelogs" / "fragments") == [], "the copy's fragments were not consumed"

    # the real repository is untouched
    assert {name: sha256(os.path.join(fragments_dir, name)) for name in os.listdir(fragments_dir)} == before
    assert sha256(os.path.join(REPO, "changelogs", "changelog.yaml")) == changelog_yaml_before


# --------------------------------------------------------------------------------------------- tarball

def test_tarball_is_the_version_and_holds_only_tracked_files(dist):
    with tarfile.open(dist / TARBALL) as tar:
        names = {member.name for member in tar.getmembers() if member.isfile()}
        manifest = json.load(tar.extractfile("MANIFEST.json"))
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == (GALAXY["namespace"], GALAXY["name"], VERSION)
    for required in ("meta/runtime.yml", "meta/execution-environment.yml", "requirements.txt", "README.md",
                     "docs/guide.md", "docs/awx.md", "docs/release.md", "docs/docsite/links.yml",
                     "changelogs/changelog.yaml", "changelogs/config.yaml"):
        assert required in names, "%s is not in the tarball" % required
    for module in MODULES:
        assert "plugins/modules/%s.py" % module in names
    shipped = names - {"MANIFEST.json", "FILES.json"}
    unwanted = sorted(name for name in shipped if re.search(
        r"(^|/)(node_modules|\.venv|\.build|__pycache__|\.pytest_cache|\.state|output)(/|$)|\.pyc$", name))
    assert not unwanted, "local or generated files in the tarball (add them to build_ignore): %s" % unwanted[:20]
    visible = git_visible_files()
    if visible is not None:
        strays = sorted(shipped - visible)
        assert not strays, "files in the tarball that git ignores (add them to build_ignore): %s" % strays[:20]


# --------------------------------------------------------------------------------------------- EE

def test_execution_environment_context(tmp_path):
    dist, ee_dir = tmp_path / "dist", tmp_path / "ee"
    make("ee-context", DIST=str(dist), EE_DIR=str(ee_dir))
    context = ee_dir / "context"
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    for step in ("FROM $EE_BASE_IMAGE AS base", "COPY _build /build",
                 "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml",
                 "introspect.py introspect", 'ARG ANSIBLE_INSTALL_REFS="ansible-core==2.19.14 ansible-runner"'):
        assert step in containerfile, "Containerfile lacks %r:\n%s" % (step, containerfile)

    # the collection: the very tarball of `make dist`, named as the galaxy requirements expect it
    build = context / "_build"
    assert sha256(build / "collections" / "openai-beta.tar.gz") == sha256(dist / TARBALL)
    with open(build / "requirements.yml", encoding="utf-8") as fh:
        assert yaml.safe_load(fh)["collections"] == [{"name": "collections/openai-beta.tar.gz", "type": "file"}]

    # the image's galaxy stage (WORKDIR /build: ansible-galaxy collection install -r requirements.yml), here
    collections = tmp_path / "usr-share-ansible-collections"
    installed = run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r", "requirements.yml",
                     "--collections-path", str(collections)], cwd=str(build),
                    env=tool_env(ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1"))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    installed_meta = collections / "ansible_collections" / "openai" / "beta" / "meta" / "execution-environment.yml"
    assert installed_meta.is_file()

    # the image's builder stage: ansible-builder's introspection script, from the context
    pip_file = tmp_path / "requirements.txt"
    introspect = run([sys.executable, str(build / "scripts" / "introspect.py"), "introspect", "--sanitize",
                      "--write-pip", str(pip_file), str(collections)])
    assert introspect.returncode == 0, introspect.stdout + introspect.stderr
    found = yaml.safe_load(introspect.stdout)
    assert found["python"] == ["requests>=2.25  # from collection openai.beta"], introspect.stdout
    assert found["system"] == [], introspect.stdout
    assert pip_file.read_text(encoding="utf-8").strip() == "requests>=2.25  # from collection openai.beta"


# --------------------------------------------------------------------------------------------- docs

def test_docs_lint():
    make("docs-lint")


def test_module_reference_builds(docs_site):
    docs = docs_site
    for module in MODULES:
        rst = docs / "rst" / ("%s_module.rst" % module)
        assert rst.is_file(), "no reference page for %s" % module
        assert "openai.beta.%s module -- " % module in rst.read_text(encoding="utf-8")
        assert (docs / "html" / ("%s_module.html" % module)).is_file()
    index = (docs / "html" / "reference.html").read_text(encoding="utf-8")
    assert "openai_conversation_module.html" in index


def _doc_playbooks():
    """(page, index, text) of every YAML code block of docs/*.md that is a playbook."""
    found = []
    for page in sorted(glob.glob(os.path.join(REPO, "docs", "*.md"))):
        with open(page, encoding="utf-8") as fh:
            blocks = re.findall(r"^```yaml\n(.*?)^```", fh.read(), re.M | re.S)
        for index, block in enumerate(blocks):
            if block.startswith("- ") and re.search(r"^(- |  )hosts: ", block, re.M):
                found.append((os.path.relpath(page, REPO), index, block))
    return found


def test_playbooks_in_the_docs_are_valid(tmp_path):
    playbooks = _doc_playbooks()
    assert len(playbooks) >= 3, "expected the playbooks of docs/guide.md and docs/awx.md"
    files = []
    for page, index, text in playbooks:
        if re.search(r"^\s+(- )?(name: .*\n\s+)?awx\.awx\.", text, re.M):
            continue  # needs the awx.awx collection, which the project does not install
        path = tmp_path / ("%s-%d.yml" % (os.path.basename(page)[:-3], index))
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    assert files
    done = run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "-i", "localhost,"] + files,
               env=tool_env(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS))
    assert done.returncode == 0, done.stdout + done.stderr
