"""The emulator's state: collections of objects, id generation, ordering and persistence.

Everything lives in plain dicts so that the whole state is one JSON document:

* ``data[collection]`` maps an object id to the object (insertion order = creation order).
  Child collections (messages, runs, steps, conversation items, ChatKit items) are keyed by the
  parent id first: ``data["messages"][thread_id][message_id]``.
* Keys starting with ``_`` inside an object are internal (run clock, owner ids); :func:`public`
  strips them before an object is sent.
* ``seqs`` gives every id ever issued a global sequence number. Lists are ordered by it, and a
  pagination cursor that names a deleted object still marks a position (its entry is kept).

One global re-entrant lock (``Store.lock``) guards all of it; the server holds it for the whole
of a request handler. With a state file every change is saved atomically (temp file + rename).
"""

import json
import os
import secrets
import string
import tempfile
import threading
import time

COLLECTIONS = (
    "assistants", "threads", "messages", "runs", "steps",
    "conversations", "conversation_items",
    "chatkit_sessions", "chatkit_threads", "chatkit_items",
)

_ALNUM = string.ascii_letters + string.digits


def random_alnum(n=24):
    return "".join(secrets.choice(_ALNUM) for _index in range(n))


def random_hex_id(n=48):
    """48 hex digits whose first 8 are the creation time, like the Responses-era ids (conv_68b6...)."""
    stamp = "%08x" % (int(time.time()) & 0xFFFFFFFF)
    return stamp + secrets.token_hex((n - 8 + 1) // 2)[: n - 8]


# Prefix and id style of every kind of object, modelled on the real ids.
ID_STYLES = {
    "asst": "alnum", "thread": "alnum", "msg": "alnum", "run": "alnum", "step": "alnum", "call": "alnum",
    "conv": "hex", "cksess": "hex", "cthr": "hex", "cthi": "hex", "ek": "hex",
}  # conversation items: conversation_items.py (ids unique per conversation, 48 hex)


def new_id(prefix):
    style = ID_STYLES.get(prefix, "alnum")
    return prefix + "_" + (random_hex_id() if style == "hex" else random_alnum())


def public(obj):
    """A deep copy of ``obj`` without the internal ``_`` keys (at any depth of dicts)."""
    if isinstance(obj, dict):
        return {k: public(v) for k, v in obj.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(obj, list):
        return [public(v) for v in obj]
    return obj


class Store:
    def __init__(self, path=None):
        self.lock = threading.RLock()
        self.path = path
        self.dirty = False
        self.clear()
        if path and os.path.exists(path):
            self.load()

    # ---- state -------------------------------------------------------------------------------
    def clear(self):
        with self.lock:
            self.data = {name: {} for name in COLLECTIONS}
            self.seqs = {}
            self.counter = 0
            self.clock_offset = 0.0
            self.dirty = True

    def next_seq(self):
        self.counter += 1
        return self.counter

    def register(self, object_id):
        """Give a new id its sequence number (its place in every list)."""
        self.seqs[object_id] = self.next_seq()
        self.dirty = True
        return object_id

    def create_id(self, prefix):
        object_id = new_id(prefix)
        while object_id in self.seqs:
            object_id = new_id(prefix)
        return self.register(object_id)

    def seq(self, object_id):
        return self.seqs.get(object_id)

    def table(self, collection, parent=None):
        """The dict of one collection (or of one parent's children, created on demand)."""
        table = self.data[collection]
        if parent is None:
            return table
        return table.setdefault(parent, {})

    def put(self, collection, obj, parent=None):
        self.table(collection, parent)[obj["id"]] = obj
        self.dirty = True
        return obj

    def get(self, collection, object_id, parent=None):
        if parent is None:
            return self.data[collection].get(object_id)
        return self.data[collection].get(parent, {}).get(object_id)

    def delete(self, collection, object_id, parent=None):
        table = self.data[collection] if parent is None else self.data[collection].get(parent, {})
        self.dirty = True
        return table.pop(object_id, None)

    def drop_children(self, collection, parent):
        self.dirty = True
        return self.data[collection].pop(parent, {})

    def ordered(self, collection, parent=None):
        """The objects of a collection in creation order."""
        table = self.data[collection] if parent is None else self.data[collection].get(parent, {})
        return sorted(table.values(), key=lambda o: self.seqs.get(o["id"], 0))

    def now(self):
        """The emulator's clock: wall time plus the offset set by ``POST /__emulator/clock``."""
        return time.time() + self.clock_offset

    def touch(self):
        self.dirty = True

    # ---- persistence --------------------------------------------------------------------------
    def snapshot(self):
        return {"version": 1, "counter": self.counter, "clock_offset": self.clock_offset, "seqs": self.seqs,
                "data": self.data}

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                doc = json.load(handle)
        except ValueError as exc:
            raise ValueError("cannot load state file %s: %s" % (self.path, exc)) from exc
        data = {name: {} for name in COLLECTIONS}
        data.update(doc.get("data", {}))
        self.data = data
        self.seqs = doc.get("seqs", {})
        self.counter = doc.get("counter", max(self.seqs.values(), default=0))
        self.clock_offset = float(doc.get("clock_offset", 0.0))
        self.dirty = False

    def save(self, force=False):
        """Write the state file atomically, if there is one and something changed."""
        if not self.path or not (self.dirty or force):
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".emulator-state-", suffix=".json", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.snapshot(), handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        self.dirty = False
