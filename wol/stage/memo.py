"""A bounded memo for staging's pure, costly steps (linking a body, rendering a feed): least recently used goes first.

Keys hold everything the value depends on, so a memo is never stale and may
outlive a build: the next build after an edit recomputes only what the edit
changed. A key is kept as a digest (`key_digest`; its fields are all plain
data), so the memos can be saved and given to the next process (`memo_state`,
`restore_memos`: `wol build` keeps them in `.wol-cache/`). Thread-safe: the
live server's updater and a full build may stage at once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

MEMOS: dict[str, "Memo"] = {}  # name → memo: what `memo_state` saves


def key_digest(key) -> bytes:
    """The digest of a key: of its `repr`, except that a tuple's strings are hashed as they are (a body of
    thousands of characters costs more to `repr` than to hash), each part with its length first."""
    h = hashlib.blake2b(digest_size=20)
    for part in key if type(key) is tuple else (key,):
        if type(part) is str:
            data, kind = part.encode("utf-8", "surrogatepass"), b"s"
        else:
            data, kind = repr(part).encode("utf-8", "surrogatepass"), b"r"
        h.update(kind + b"%d:" % len(data))
        h.update(data)
    return h.digest()


class Memo:
    """At most `size` values; `get` returns None for a key it does not hold. A named memo is saved by `memo_state`."""

    def __init__(self, size: int, name: str | None = None):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.used: set = set()  # digests asked for or put since `memo_state` last ran
        if name is not None:
            MEMOS[name] = self

    def get(self, key):
        digest = key_digest(key)
        with self._lock:
            value = self._values.get(digest)
            if value is not None:
                self._values.move_to_end(digest)
                self.used.add(digest)
            return value

    def put(self, key, value) -> None:
        digest = key_digest(key)
        with self._lock:
            self._values[digest] = value
            self._values.move_to_end(digest)
            self.used.add(digest)
            while len(self._values) > self.size:
                self.used.discard(self._values.popitem(last=False)[0])

    def clear(self) -> None:
        """Forget everything (benchmarks measure cold staging with it)."""
        with self._lock:
            self._values.clear()
            self.used.clear()

    def __len__(self) -> int:
        return len(self._values)


def memo_state() -> dict[str, dict]:
    """What the named memos hold that was used since the last call ({name: {digest: value}}), to save."""
    state = {}
    for name, memo in MEMOS.items():
        with memo._lock:
            state[name] = {d: v for d, v in memo._values.items() if d in memo.used}
            memo.used.clear()
    return state


def restore_memos(state: dict) -> None:
    """Fill the named memos from a `memo_state` of an earlier process (unknown names are ignored)."""
    for name, values in state.items():
        memo = MEMOS.get(name)
        if memo is None or not isinstance(values, dict):
            continue
        with memo._lock:
            for digest, value in values.items():
                memo._values.setdefault(digest, value)
            while len(memo._values) > memo.size:
                memo._values.popitem(last=False)
