"""Pausing Python's cyclic garbage collector while a step allocates much and frees little.

Staging 10,000 documents makes millions of short-lived objects beside a graph of millions of long-lived
ones; each time the collector runs it walks them, a third of staging's time in a live server (where the
graph is not frozen: old graphs must be freed). `paused()` turns it off for the step and back on after;
reference counting still frees what the step drops at once, and the collector sees the rest when it runs
next. Safe from several threads: it is on again once the last of them has finished.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_pausing = 0
_was_enabled = False


@contextmanager
def paused():
    """Run the block with the cyclic collector off (as it was before once every paused block has ended)."""
    global _pausing, _was_enabled
    with _lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.enable()
