"""Materialize the collection in the ``ansible_collections/<namespace>/<name>`` layout.

Two layouts coexist under ``.build/`` (both are disposable, ``make clean`` removes them):

``.build/collections/ansible_collections/openai/beta``  (``--link``)
    A SYMLINK to the repository root, so edits are live.  ``ANSIBLE_COLLECTIONS_PATH=.build/collections``
    is what pytest (tests/conftest.py creates the same link), the integration tests and ``make demo`` use.

``.build/sanity/ansible_collections/openai/beta``  (``--copy``)
    A clean COPY of exactly the files git would ship: tracked files plus untracked files that are not
    ignored (``git ls-files --cached --others --exclude-standard``), minus deleted ones.  ansible-test
    needs it: it resolves its working directory (a symlink would resolve back to the repository, which
    has no ``ansible_collections`` parent), and a copy keeps .venv/.build/caches out of the sanity scope.
    The copy is incremental (size + mtime) and files that disappeared from the source are removed, so
    re-running it is cheap.  ``tests/output`` (ansible-test's results) is left alone in the copy.
    The copy gets an empty git repository of its own (``git init``, no commits): ansible-test looks
    for version control upwards from the collection root, and would otherwise find this repository's
    ``.git`` and list the copy's files through it (none: ``.build`` is ignored).  With its own ``.git``
    ansible-test lists the copy with ``git ls-files --cached --others --exclude-standard`` and honours
    the copied ``.gitignore``.

Without git (e.g. an exported tarball) the file list falls back to a walk that skips the usual
build/cache directories.

Standard library only: runs with any python3 before the venv exists.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import stat
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACE = "openai"
NAME = "beta"

LINK_ROOT = os.path.join(REPO_ROOT, ".build", "collections")
COPY_ROOT = os.path.join(REPO_ROOT, ".build", "sanity")

# Used only without git: directories never part of the collection's sources.
WALK_SKIP_DIRS = {".git", ".venv", ".build", ".cache", ".pytest_cache", ".ansible", "__pycache__", ".mypy_cache", ".tox"}
# Never deleted from the copy: the copy's own (empty) git repository and ansible-test's output.
KEEP_IN_COPY = (".git", "tests/output")


def collection_dir(root: str) -> str:
    return os.path.join(root, "ansible_collections", NAMESPACE, NAME)


def source_files() -> list[str]:
    """Relative paths (POSIX) of the files that make up the collection."""
    # .git is a file in a git worktree
    if os.path.exists(os.path.join(REPO_ROOT, ".git")) and shutil.which("git"):
        out = subprocess.run(
            ["git", "-C", REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True, stdout=subprocess.PIPE,
        ).stdout.decode("utf-8", "surrogateescape")
        paths = sorted({p for p in out.split("\0") if p})
        # --cached still lists files deleted from the work tree; drop them (keep dangling symlinks).
        return [p for p in paths if os.path.lexists(os.path.join(REPO_ROOT, p))]

    paths = []
    for root, dirs, files in os.walk(REPO_ROOT):
        rel = os.path.relpath(root, REPO_ROOT)
        dirs[:] = sorted(d for d in dirs if d not in WALK_SKIP_DIRS and not (rel == "tests" and d == "output"))
        for name in files:
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.normpath(os.path.join(rel, name))
            paths.append(path.replace(os.sep, "/"))
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                paths.append(os.path.normpath(os.path.join(rel, name)).replace(os.sep, "/"))
                dirs.remove(name)
    return sorted(paths)


def same_file(src: str, dst: str) -> bool:
    try:
        s, d = os.lstat(src), os.lstat(dst)
    except FileNotFoundError:
        return False
    if stat.S_IFMT(s.st_mode) != stat.S_IFMT(d.st_mode):
        return False
    if stat.S_ISLNK(s.st_mode):
        return os.readlink(src) == os.readlink(dst)
    if stat.S_IMODE(s.st_mode) != stat.S_IMODE(d.st_mode):
        return False
    if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
        return True
    return filecmp.cmp(src, dst, shallow=False)


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def copy(verbose: bool = False, root: str = COPY_ROOT) -> str:
    dest = collection_dir(root)
    if os.path.islink(dest):
        os.unlink(dest)
    os.makedirs(dest, exist_ok=True)
    if os.path.lexists(os.path.join(dest, ".git")) and not os.path.isdir(os.path.join(dest, ".git")):
        remove(os.path.join(dest, ".git"))  # a worktree's gitdir file, copied by an older version of this script
    if not os.path.isdir(os.path.join(dest, ".git")):
        subprocess.run(["git", "init", "-q", dest], check=True)

    wanted = source_files()
    wanted_set = set(wanted)
    copied = 0
    for rel in wanted:
        src = os.path.join(REPO_ROOT, rel)
        dst = os.path.join(dest, rel)
        if same_file(src, dst):
            continue
        parent = os.path.dirname(dst)
        if os.path.lexists(parent) and not os.path.isdir(parent):
            remove(parent)
        os.makedirs(parent, exist_ok=True)
        if os.path.lexists(dst):
            remove(dst)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
        copied += 1
        if verbose:
            print(f"  copied {rel}")

    # Remove whatever is no longer part of the source (files first, then empty directories).
    removed = 0
    for root, dirs, files in os.walk(dest, topdown=True):
        rel_root = os.path.relpath(root, dest).replace(os.sep, "/")
        rel_root = "" if rel_root == "." else rel_root + "/"
        dirs[:] = [d for d in dirs if (rel_root + d) not in KEEP_IN_COPY]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            rel = rel_root + name
            if rel not in wanted_set:
                os.unlink(os.path.join(root, name))
                removed += 1
                if verbose:
                    print(f"  removed {rel}")
    for root, dirs, files in os.walk(dest, topdown=False):
        rel = os.path.relpath(root, dest).replace(os.sep, "/")
        if root != dest and not os.listdir(root) and not any(rel == k or rel.startswith(k + "/") for k in KEEP_IN_COPY):
            os.rmdir(root)

    print(f"collection copy: {os.path.relpath(dest, REPO_ROOT)} ({len(wanted)} files, {copied} updated, {removed} removed)")
    return dest


def link() -> str:
    """Same link as tests/conftest.py makes: <collections>/ansible_collections/openai/beta -> repo root."""
    dest = collection_dir(LINK_ROOT)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.islink(dest):
        if os.path.realpath(dest) == os.path.realpath(REPO_ROOT):
            print(f"collection link: {os.path.relpath(dest, REPO_ROOT)} -> {REPO_ROOT}")
            return dest
        os.unlink(dest)
    elif os.path.exists(dest):
        remove(dest)
    os.symlink(REPO_ROOT, dest)
    print(f"collection link: {os.path.relpath(dest, REPO_ROOT)} -> {REPO_ROOT}")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--link", action="store_true", help="create/repair the symlink layout under .build/collections")
    parser.add_argument("--copy", action="store_true", help="sync the clean copy under .build/sanity")
    parser.add_argument("--copy-root", default=COPY_ROOT, help="where --copy puts ansible_collections/ (default: .build/sanity)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not (args.link or args.copy):
        args.link = args.copy = True
    if args.link:
        link()
    if args.copy:
        copy(args.verbose, os.path.abspath(args.copy_root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
