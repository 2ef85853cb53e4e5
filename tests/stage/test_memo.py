"""Staging's memo keeps the most recently used values, never empties itself wholesale, and is thread-safe."""

from __future__ import annotations

import threading

from wol.stage.memo import Memo


def test_the_least_recently_used_value_goes_first_and_the_rest_stay():
    memo = Memo(3)
    for key in "abc":
        memo.put(key, key.upper())
    assert memo.get("a") == "A"  # a is now the most recently used
    memo.put("d", "D")
    assert memo.get("b") is None and [memo.get(k) for k in "acd"] == ["A", "C", "D"] and len(memo) == 3


def test_many_threads_fill_it_without_losing_its_bound():
    memo = Memo(100)

    def fill(n):
        for i in range(2000):
            memo.put((n, i), i)
            memo.get((n, i - 1))

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memo) == 100


def test_clear_forgets_every_value():
    memo = Memo(3)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.clear()
    assert len(memo) == 0 and memo.get("a") is None


def test_a_named_memo_saves_what_it_used_and_another_process_gets_it_back():
    from wol.stage.memo import MEMOS, memo_state, restore_memos
    memo = Memo(10, "test-round-trip")
    try:
        memo.put(("page.md", "body"), "linked")
        memo.put(("other.md", "body"), "other")
        state = memo_state()["test-round-trip"]
        assert len(state) == 2 and memo_state()["test-round-trip"] == {}, "only what was used since the last save"
        memo.clear()
        restore_memos({"test-round-trip": state, "unknown": {}})
        assert memo.get(("page.md", "body")) == "linked" and memo.get(("page.md", "other body")) is None
    finally:
        MEMOS.pop("test-round-trip", None)
