"""Writes no page could show are refused with the reason, and leave every file as it was (in process)."""

from __future__ import annotations

import json

import pytest

from editor_server import HEADER, make_kb
from knowledge_base import git
from wol.editor import create_app


@pytest.fixture
def app(tmp_path):
    root = make_kb(tmp_path / "kb")
    return root, create_app(root, site_dir=tmp_path / "site", identity_header=HEADER, sync=False)


def send(client, method: str, url: str, handle: str, payload: str):
    token = client.get("/api/session", headers={HEADER: handle}).get_json()["csrf"]
    return client.open(url, method=method, data=payload.encode("utf-8", "surrogatepass"),
                       headers={HEADER: handle, "X-CSRF-Token": token, "Content-Type": "application/json"})


@pytest.mark.parametrize("text", ["\ud800", "red \u001b[31m", "nul \u0000"])
@pytest.mark.parametrize("where", ["document", "profile", "new"])
def test_unpublishable_text_is_a_422_and_no_file_changes(app, text, where):
    root, flask_app = app
    client = flask_app.test_client()
    head = git(root, "rev-parse", "HEAD")
    escaped = json.dumps(text)  # JSON escapes: a lone surrogate is valid JSON text
    if where == "document":
        answer = send(client, "PUT", "/api/documents/posts/2026/kafka-retention", "bob",
                      f'{{"title": "Kafka", "body": {escaped}}}')
    elif where == "profile":
        answer = send(client, "PUT", "/api/people/bob", "bob", f'{{"name": "Bob", "title": {escaped}}}')
    else:
        answer = send(client, "POST", "/api/documents", "bob", f'{{"kind": "post", "title": "T", "body": {escaped}}}')
    assert answer.status_code in (422, 400), answer.get_data(as_text=True)
    assert "error" in answer.get_json()
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""
    assert "Bob Okafor" in (root / "content/people/bob.md").read_text(encoding="utf-8")


def vote(client, handle="alice"):
    return send(client, "POST", "/api/votes", handle, '{"target": "posts/2026/kafka-retention"}')


def test_a_stale_index_lock_left_by_a_crash_is_removed_and_the_write_made(app):
    import os
    import time
    root, flask_app = app
    lock = root / ".git/index.lock"
    lock.write_text("")
    os.utime(lock, (time.time() - 120, time.time() - 120))
    answer = vote(flask_app.test_client())
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert not lock.exists() and "Vote: posts/2026/kafka-retention" in git(root, "log", "-1", "--format=%s")


def test_a_fresh_lock_or_an_unfinished_rebase_refuses_the_write_with_the_reason(app):
    root, flask_app = app
    client = flask_app.test_client()
    head = git(root, "rev-parse", "HEAD")
    (root / ".git/index.lock").write_text("")  # another Git process, right now
    answer = vote(client)
    assert answer.status_code == 503 and "another Git process" in answer.get_json()["error"]
    (root / ".git/index.lock").unlink()
    git(root, "checkout", "-q", "--detach")
    answer = vote(client)
    assert answer.status_code == 503 and "detached HEAD" in answer.get_json()["error"]
    assert git(root, "rev-parse", "HEAD") == head and not (root / "content/votes/alice.txt").exists()


def test_every_answer_forbids_framing_and_type_guessing(app):
    root, flask_app = app
    client = flask_app.test_client()
    for url in ("/edit/", "/api/session", "/no/such/page/"):
        headers = client.get(url, headers={HEADER: "alice"}).headers
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_a_write_from_another_sites_page_is_refused(app):
    root, flask_app = app
    client = flask_app.test_client()
    token = client.get("/api/session", headers={HEADER: "alice"}).get_json()["csrf"]
    answer = client.post("/api/votes", json={"target": "posts/2026/kafka-retention"},
                         headers={HEADER: "alice", "X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert answer.status_code == 403 and "another site" in answer.get_json()["error"]
    same = client.post("/api/votes", json={"target": "posts/2026/kafka-retention"},
                       headers={HEADER: "alice", "X-CSRF-Token": token, "Origin": "http://localhost"})
    assert same.status_code == 200, same.get_data(as_text=True)


def test_deeply_nested_json_is_a_400(app):
    root, flask_app = app
    answer = send(flask_app.test_client(), "POST", "/api/documents", "alice", "[" * 100_000 + "]" * 100_000)
    assert answer.status_code == 400


def test_a_preview_that_would_take_minutes_is_refused_at_once(app):
    root, flask_app = app
    client = flask_app.test_client()
    answer = send(client, "POST", "/api/preview", "alice", '{"markdown": "%s"}' % ("`" * 4000))
    assert answer.status_code == 422 and "would take minutes" in answer.get_json()["error"]
    assert send(client, "POST", "/api/preview", "alice", '{"markdown": "*hi*"}').get_json()["html"] == \
        "<p><em>hi</em></p>"
