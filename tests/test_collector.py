"""The collector pause: off inside, on again after the last of several threads' pauses, even on an error."""

from __future__ import annotations

import gc
import threading

import pytest

from wol import collector


def test_the_collector_is_off_while_paused_and_on_again_after_the_last_pause():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other():
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's step still runs
    release.set()
    thread.join(5)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector.paused():
            raise RuntimeError("a step that failed")
    assert gc.isenabled()


def test_settled_objects_are_left_out_of_collections_until_a_sweep():
    import weakref

    class Node:
        pass

    freed = []
    node = Node()
    node.self = node  # a cycle: only the cyclic collector frees it
    weakref.finalize(node, freed.append, "freed")
    try:
        collector.settle()
        del node
        gc.collect()
        assert freed == [], "a settled object is not walked by an ordinary collection"
        with collector.paused():
            collector.sweep()  # not while a paused step runs
        assert freed == []
        collector.sweep()
        assert freed == ["freed"]
        assert gc.get_freeze_count() > 0, "settled again after the sweep"
    finally:
        gc.unfreeze()


def _resident_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@pytest.mark.skipif(collector._malloc_trim() is None, reason="glibc's malloc_trim only")
def test_a_sweep_gives_the_memory_of_freed_large_strings_back_to_the_system():
    # What a save leaves: large strings (pages, feeds) freed between others that live on, so that the
    # allocator's heap cannot shrink from its top.
    strings = [("x" * 2000) + str(i) for i in range(100_000)]  # about 200 MB, each from malloc, not pymalloc
    kept = strings[::100]
    del strings
    before = _resident_mb()
    collector.sweep()
    after = _resident_mb()
    assert before - after > 100, f"{before:.0f} MB before the sweep, {after:.0f} MB after"
    assert len(kept) == 1000
