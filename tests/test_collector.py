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
