# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The names a playbook gives to objects the API cannot list (conversations, threads): a record of name -> id.

The API finds these objects by id only, so the collection keeps what Terraform keeps in its state: which object a
name means. The record is a JSON file on the host that runs the modules (the `name_store` option, or
OPENAI_NAME_STORE; by default ~/.ansible/openai_beta/names.json), with one section per API account (base URL,
organization, project). It is written atomically (a new file renamed over the old one, under an exclusive lock),
so that any number of forks and processes can write it at once; and a task that creates a named object holds a
lock on that name from its first read to the end of its last write, so that two tasks that want the same name at
once make one object: the second waits, then finds the first one's record.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: the modules run on Linux and macOS
    fcntl = None

from .validate import InvalidInput

DEFAULT_STORE = os.path.join("~", ".ansible", "openai_beta", "names.json")
STORE_ENV = "OPENAI_NAME_STORE"
CLAIM_TIMEOUT = 600.0  # how long a task waits for another one that holds the same name
FORMAT_VERSION = 1


def store_path(option=None):
    return os.path.abspath(os.path.expanduser(option or os.environ.get(STORE_ENV) or DEFAULT_STORE))


class NameStore:
    def __init__(self, path, account):
        self.path = path
        self.account = account  # "base URL|organization|project": names are per API account

    # --- reading -------------------------------------------------------------------------------------------------
    def lookup(self, kind, name):
        """The id recorded for this name, or None."""
        record = self.record(kind, name)
        return record["id"] if record else None

    def record(self, kind, name):
        """What is recorded for this name: {"id", "at" (when), and the fields kept with it}, or None."""
        return self._load().get(self.account, {}).get(kind, {}).get(name)

    # --- writing -------------------------------------------------------------------------------------------------
    def remember(self, kind, name, object_id, **fields):
        """Record the id (and `fields`, such as a session's expiry: never a secret) for this name."""
        def change(data):
            data.setdefault(self.account, {}).setdefault(kind, {})[name] = dict(fields, id=object_id,
                                                                                at=int(time.time()))
        self._update(change)

    def forget(self, kind, name):
        def change(data):
            names = data.get(self.account, {}).get(kind, {})
            names.pop(name, None)
        self._update(change)

    @contextlib.contextmanager
    def claim(self, kind, name, timeout=CLAIM_TIMEOUT):
        """Hold the name exclusively (across processes on this host, or on a shared file system that supports
        POSIX locks) while a task reads, creates and records the object it means."""
        digest = hashlib.sha256(("%s\0%s\0%s" % (self.account, kind, name)).encode("utf-8")).hexdigest()[:32]
        with self._locked(os.path.join(os.path.dirname(self.path), ".locks", digest + ".lock"), timeout,
                          "the %s name %r" % (kind, name)):
            yield

    # --- the file ------------------------------------------------------------------------------------------------
    def _load(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise InvalidInput("the name store %s cannot be read (%s); repair or remove it, or point name_store "
                               "elsewhere" % (self.path, exc))
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise InvalidInput("the name store %s is not a record of this collection (version %s expected)"
                               % (self.path, FORMAT_VERSION))
        return data.get("accounts") or {}

    def _update(self, change):
        with self._locked(self.path + ".lock", CLAIM_TIMEOUT, "the name store"):
            accounts = self._load()
            change(accounts)
            directory = os.path.dirname(self.path)
            handle, temporary = tempfile.mkstemp(prefix=".names-", dir=directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as output:
                    json.dump({"version": FORMAT_VERSION, "accounts": accounts}, output, indent=1, sort_keys=True)
                    output.flush()
                    os.fsync(output.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise

    @contextlib.contextmanager
    def _locked(self, lock_path, timeout, what):
        try:
            os.makedirs(os.path.dirname(lock_path), mode=0o700, exist_ok=True)
            handle = open(lock_path, "a+")  # pylint: disable=consider-using-with
        except OSError as exc:
            raise InvalidInput("the name store %s cannot be written (%s); set name_store (or %s) to a writable path"
                               % (self.path, exc, STORE_ENV))
        try:
            deadline = time.monotonic() + timeout
            while fcntl is not None:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise InvalidInput("%s is held by another task for more than %ds (%s)"
                                           % (what, timeout, lock_path))
                    time.sleep(0.05)
            yield
        finally:
            handle.close()  # closing releases the lock
