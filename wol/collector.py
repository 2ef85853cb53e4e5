"""Pausing Python's cyclic garbage collector while a step allocates much and frees little.

Staging 10,000 documents makes millions of short-lived objects beside a graph of millions of long-lived
ones; each time the collector runs it walks them, a third of staging's time in a live server (where the
graph is not frozen: old graphs must be freed). `paused()` turns it off for the step and back on after;
reference counting still frees what the step drops at once, and the collector sees the rest when it runs
next. Safe from several threads: it is on again once the last of them has finished.

A long-running process (the live server) also `settle`s after building what lives on (the graph, the staged
site): everything alive then leaves the collector's walks (`gc.freeze`), so a full collection no longer walks
a million objects, for half a second, in the middle of somebody's save. What becomes cyclic garbage among
them is collected by `sweep`, which the server runs when it has been quiet for a while. `sweep` also hands
the C allocator's free memory back to the system (glibc's `malloc_trim`): a save frees the large strings of
the pages, feeds and API files it replaced, and without that the server's resident memory grew with every save.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from contextlib import contextmanager
from functools import cache

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


def settle() -> None:
    """Take every object alive now out of the collector's walks (`gc.freeze`): call it after a step that built
    what lives on; later collections walk only newer objects."""
    gc.freeze()


def sweep() -> None:
    """A full collection, settled objects included, then `settle` again: for a moment when nothing waits (it
    holds the interpreter for as long as a full collection takes). Not while a paused step runs."""
    with _lock:
        if _pausing:
            return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    """glibc's `malloc_trim`, which returns the free memory of malloc's heaps to the system; None elsewhere."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
