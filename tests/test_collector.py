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
