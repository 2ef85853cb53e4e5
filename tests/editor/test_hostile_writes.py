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
