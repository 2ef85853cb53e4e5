"""The journaled cache dicts: a few changed entries are written as a journal, never lost, never misapplied."""

from __future__ import annotations

import os

from wol.content import cachefiles
from wol.content.cachefiles import load_dict, save_dict


def test_a_few_changes_go_to_the_journal_and_read_back_whole(tmp_path):
    values = {f"posts/p{i}.md": ("stamp", i) for i in range(1000)}
    save_dict(tmp_path, "cache.pickle", values, load_dict(tmp_path, "cache.pickle"))
    whole = (tmp_path / "cache.pickle").stat()
    since = load_dict(tmp_path, "cache.pickle")
    assert since == values and not (tmp_path / "cache.pickle.journal").exists()

    edited = {**since, "posts/p3.md": ("stamp", "edited"), "posts/new.md": ("stamp", "new")}
    del edited["posts/p7.md"]
    save_dict(tmp_path, "cache.pickle", edited, since)
    assert (tmp_path / "cache.pickle").stat().st_mtime_ns == whole.st_mtime_ns  # not written again
    assert (tmp_path / "cache.pickle.journal").stat().st_size < whole.st_size / 20
    again = load_dict(tmp_path, "cache.pickle")
    assert again == edited

    more = {**again, "posts/p3.md": ("stamp", "twice"), "posts/p7.md": ("stamp", "back")}
    save_dict(tmp_path, "cache.pickle", more, again)  # the journal keeps the earlier changes too
    assert load_dict(tmp_path, "cache.pickle") == more


def test_many_changes_write_the_whole_file_and_drop_the_journal(tmp_path):
    values = {i: i for i in range(1000)}
    save_dict(tmp_path, "c.pickle", values, load_dict(tmp_path, "c.pickle"))
    since = load_dict(tmp_path, "c.pickle")
    save_dict(tmp_path, "c.pickle", {**since, 1: "one"}, since)
    assert (tmp_path / "c.pickle.journal").exists()
    since = load_dict(tmp_path, "c.pickle")
    changed = {i: f"new {i}" for i in range(cachefiles.COMPACT_FROM + 1)}
    save_dict(tmp_path, "c.pickle", {**since, **changed}, since)
    assert not (tmp_path / "c.pickle.journal").exists()
    assert load_dict(tmp_path, "c.pickle") == {**values, **changed}


def test_a_journal_beside_another_file_is_ignored(tmp_path):
    save_dict(tmp_path, "c.pickle", {"a": 1, "b": 2}, load_dict(tmp_path, "c.pickle"))
    since = load_dict(tmp_path, "c.pickle")
    save_dict(tmp_path, "c.pickle", {"a": 1, "b": 3}, since)
    journal = (tmp_path / "c.pickle.journal").read_bytes()
    save_dict(tmp_path, "c.pickle", {"x": 9}, load_dict(tmp_path, "other.pickle"))  # written whole, afresh
    (tmp_path / "c.pickle.journal").write_bytes(journal)  # an old journal left behind (a crash)
    assert load_dict(tmp_path, "c.pickle") == {"x": 9}


def test_another_header_or_a_damaged_file_reads_as_empty(tmp_path):
    save_dict(tmp_path, "c.pickle", {"a": 1}, load_dict(tmp_path, "c.pickle"), header=("v1", "code"))
    assert load_dict(tmp_path, "c.pickle", header=("v1", "code")) == {"a": 1}
    assert load_dict(tmp_path, "c.pickle", header=("v2", "code")) == {}
    (tmp_path / "c.pickle").write_bytes(b"\x80\x05garbage")
    assert load_dict(tmp_path, "c.pickle", header=("v1", "code")) == {}
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) and os.listdir(tmp_path)


def test_kept_values_are_left_in_the_file_until_read_and_a_cut_file_reads_as_empty(tmp_path):
    from wol.stage.kept import Kept
    pages = {f"p{i}": Kept.of({"title": f"Page {i}", "body": "words " * 2000}, f"digest {i}") for i in range(50)}
    save_dict(tmp_path, "steps.pickle", pages, load_dict(tmp_path, "steps.pickle"))
    file = tmp_path / "steps.pickle"
    assert file.stat().st_size > 50 * 12_000  # the values' bytes are in the file, after the dict's pickle
    loaded = load_dict(tmp_path, "steps.pickle")
    assert sorted(loaded) == sorted(pages) and not any(kept.read for kept in loaded.values())
    assert loaded["p7"] == pages["p7"] and loaded["p7"].value == {"title": "Page 7", "body": "words " * 2000}
    edited = {**loaded, "p8": Kept.of({"title": "Edited"}, "digest 8 edited")}
    save_dict(tmp_path, "steps.pickle", edited, loaded)  # into the journal, beside the mapped file
    again = load_dict(tmp_path, "steps.pickle")
    assert again["p8"].value == {"title": "Edited"} and again["p9"].value["title"] == "Page 9"
    save_dict(tmp_path, "whole.pickle", dict(again), load_dict(tmp_path, "whole.pickle"))  # views saved whole
    assert load_dict(tmp_path, "whole.pickle")["p9"].value["title"] == "Page 9"
    file.write_bytes(file.read_bytes()[:-100])  # cut short (a full disk)
    assert load_dict(tmp_path, "steps.pickle") == {}
