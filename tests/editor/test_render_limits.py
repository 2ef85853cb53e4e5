"""The preview renders in a worker for a bounded time: a hostile text is a 422 naming it, never a server thread
held for minutes; it takes the CSRF token as writes do; eight hostile previews at once never block `GET /`."""

from __future__ import annotations

import threading

import pytest

from editor_server import HEADER, Server, make_kb
from wol.engines import renderpool

SLOW = "[a" * 10_000  # no run the parser refuses, yet about 40 s in Python-Markdown's link patterns


def test_a_preview_needs_the_csrf_token(client):
    client = client.as_("alice")
    answer = client.post("api/preview", {"markdown": "*hi*"}, csrf=False)
    assert answer.status == 403 and "X-CSRF-Token" in answer.json()["error"]
    assert client.post("api/preview", {"markdown": "*hi*"}).json()["html"] == "<p><em>hi</em></p>"


def test_a_preview_from_another_site_is_refused(client):
    client = client.as_("alice")
    answer = client.post("api/preview", {"markdown": "*hi*"}, headers={"Origin": "https://evil.example"})
    assert answer.status == 403 and "another site" in answer.json()["error"]


@pytest.mark.slow
def test_a_text_too_slow_to_render_is_a_422_naming_the_document_and_the_next_preview_works(client, monkeypatch):
    monkeypatch.setattr(renderpool, "RENDER_SECONDS", 1.0)
    client = client.as_("alice")
    answer = client.post("api/preview", {"markdown": SLOW, "document": "posts/2026/kafka-retention"})
    assert answer.status == 422
    error = answer.json()["error"]
    assert error.startswith("posts/2026/kafka-retention: this text takes too long to render (more than 1 s)")
    assert "nothing is lost" in error
    after = client.post("api/preview", {"markdown": "See #kafka."})  # the stopped worker was replaced
    assert after.status == 200 and 'href="/topics/kafka/"' in after.json()["html"]


@pytest.mark.slow
def test_eight_hostile_previews_at_once_do_not_block_the_site(tmp_path):
    server = Server(make_kb(tmp_path / "kb"), HEADER)
    alice = server.client.as_("alice")
    alice.token()
    answers, done = [], threading.Event()
    lock = threading.Lock()

    def hostile():
        answer = alice.post("api/preview", {"markdown": SLOW})
        with lock:
            answers.append(answer)
            if len(answers) == 8:
                done.set()

    try:
        threads = [threading.Thread(target=hostile) for _ in range(8)]
        for thread in threads:
            thread.start()
        rendering = alice.post("api/preview", {"markdown": SLOW})  # a ninth, answered once the rest are in
        home = server.client.get("")
        with lock:
            finished_before_home = len(answers)
        assert home.status == 200 and "Kafka retention explained" in home.text
        assert finished_before_home < 8 or not done.is_set(), "the home page waited for the hostile previews"
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    statuses = sorted(a.status for a in answers + [rendering])
    assert set(statuses) <= {422, 429}, statuses  # refused, never a 5xx, never a stall
    assert 422 in statuses and all("too long to render" in a.json()["error"] for a in answers if a.status == 422)


@pytest.mark.slow
def test_a_save_too_slow_to_render_is_refused_with_the_text_and_nothing_is_committed(client, repo, monkeypatch):
    from knowledge_base import git
    monkeypatch.setattr(renderpool, "RENDER_SECONDS", 1.0)
    head = git(repo, "rev-parse", "HEAD")
    bob = client.as_("bob")
    answer = bob.put("api/documents/posts/2026/kafka-retention", {"title": "Kafka retention", "body": SLOW})
    assert answer.status == 422, answer.text
    assert "takes too long to render (more than 1 s)" in answer.json()["error"]
    assert answer.json()["text"] == SLOW  # the person's text comes back: nothing they wrote is lost
    created = bob.post("api/documents", {"kind": "post", "title": "A slow one", "body": SLOW})
    assert created.status == 422, created.text
    assert git(repo, "rev-parse", "HEAD") == head
    assert "How long" in (repo / "content/posts/2026/kafka-retention.md").read_text()
    assert git(repo, "status", "--porcelain") == ""
