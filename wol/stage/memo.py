"""A bounded memo for staging's pure, costly steps (linking a body, rendering a feed): least recently used goes first.

Keys hold everything the value depends on, so a memo is never stale and may
outlive a build: the next build after an edit recomputes only what the edit
changed. Thread-safe: the live server's updater and a full build may stage at
once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class Memo:
    """At most `size` values; `get` returns None for a key it does not hold."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (benchmarks measure cold staging with it)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
