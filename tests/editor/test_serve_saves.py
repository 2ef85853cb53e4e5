"""A save on the live server derives the graph once (its check's), even when the file watcher reports the file
while the save is still being written and committed; background steps never start beside a save."""

from __future__ import annotations

import threading

from editor_server import wait_for

import wol.commit
import wol.knowledge

POST = "posts/2026/kafka-retention"


def test_a_save_is_not_derived_again_by_the_updater_when_the_watcher_sees_it_mid_write(repo, editor, monkeypatch):
    app = editor(repo)
    path = str(repo / "content" / f"{POST}.md")
    heard = threading.Event()
    request = app.watcher.request

    def watched(paths):  # the watcher's call for the file being written
        if path in map(str, paths):
            heard.set()
        return request(paths)
    monkeypatch.setattr(app.watcher, "request", watched)
    commit = wol.commit.commit_files

    def commit_once_watched(settings, change, author):  # the watcher's event arrives before the commit ends
        assert heard.wait(30), "the watcher never reported the written file"
        return commit(settings, change, author)
    monkeypatch.setattr(wol.commit, "commit_files", commit_once_watched)
    derived = []
    derive = wol.knowledge.derive
    monkeypatch.setattr(wol.knowledge, "derive", lambda content: derived.append(1) or derive(content))

    answer = app.client.as_("bob").put(f"api/documents/{POST}", {"title": "Kafka retention, revised",
                                                                "body": "Seven days, then #kafka compacts."})
    assert answer.status == 200, answer.text
    assert "Seven days, then" in app.client.get(f"{POST}/").text  # answered once its page shows it
    listed = lambda: "Kafka retention, revised" in app.client.get("api/documents.json").text  # noqa: E731
    wait_for(listed, timeout=60)  # step 2: the listings and the API
    assert derived == []  # the updater used the graph the save's check derived; nobody re-read the file


def test_the_watchers_events_for_a_write_under_way_are_ignored_and_later_ones_are_not(repo, editor):
    live = editor(repo).live
    path = repo / "content" / f"{POST}.md"
    before = live.request([])  # the ticket of the last request
    with live.writing([path]):
        path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        assert live.request([str(path)]) == before  # nothing asked, nothing re-read
        assert live.knowledge._dirty == set()
    assert live.request([str(path)]) == before + 1  # once the write is over, a change is a change
    assert live.wait(before + 1)
    assert "More." in live.knowledge.current()[0].documents[POST].body


def test_step_2_and_the_search_index_wait_while_a_write_is_under_way(repo, editor):
    live = editor(repo).live
    path = repo / "content" / f"{POST}.md"
    live._after_writes()  # nothing under way: returns at once
    done = threading.Event()

    def background():
        live._after_writes()
        done.set()
    with live.writing([path]):
        waiting = threading.Thread(target=background, daemon=True)
        waiting.start()
        assert not done.wait(0.3)  # held back while the write is under way
    assert done.wait(30)


def test_the_search_indexes_are_synced_after_a_save_but_never_beside_a_write(repo, editor, monkeypatch):
    import wol.server.live
    monkeypatch.setattr(wol.server.live, "INDEX_QUIET_SECONDS", 0)
    monkeypatch.setattr(wol.server.live, "INDEX_STALE_SECONDS", 0)
    live = editor(repo).live
    synced = []
    monkeypatch.setattr(live, "on_updated", synced.append)
    path = repo / "content" / f"{POST}.md"
    with live.writing([path]):
        live._index(live.graph)
        assert not wait_for_quietly(lambda: synced, 0.3)  # not while the write is under way
    wait_for(lambda: synced, timeout=30)
    assert synced == [live.graph]


def wait_for_quietly(predicate, seconds: float) -> bool:
    try:
        wait_for(predicate, timeout=seconds, every=0.05)
        return True
    except AssertionError:
        return False


def test_a_save_is_findable_before_the_rest_of_the_site_is_updated(repo, editor, monkeypatch):
    import wol.server.live
    monkeypatch.setattr(wol.server.live, "QUIET_SECONDS", 3600)  # step 2 (listings, API) never comes here
    monkeypatch.setattr(wol.server.live, "STALE_SECONDS", 3600)
    app = editor(repo)
    synced = []
    update = app.live.on_updated
    monkeypatch.setattr(app.live, "on_updated", lambda graph: synced.append(graph) or update(graph))

    answer = app.client.as_("bob").put(f"api/documents/{POST}", {"title": "Kafka retention, zebrafinch",
                                                                "body": "Keep it a zebrafinch week. #kafka"})
    assert answer.status == 200, answer.text
    wait_for(lambda: synced and synced[-1] is app.live.graph)  # the updater indexed it, before anyone searched
    assert [hit["id"] for hit in app.client.get("api/search?q=zebrafinch").json()] == [POST]
    assert "zebrafinch" not in app.client.get("api/documents.json").text  # the rest of the site: not yet
