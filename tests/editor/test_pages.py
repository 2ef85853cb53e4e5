"""The editor's pages, and who acts on a laptop (the Git user): the app in process, a real Git repository."""

from __future__ import annotations

import re

import pytest

from editor_server import git_log
from knowledge_base import git

pytestmark = pytest.mark.slow


@pytest.fixture
def laptop(repo, editor):
    """A server without an identity header: the acting person is the Git user (alice@example.com)."""
    return editor(repo, identity_header=None).client


def test_on_a_laptop_the_git_user_is_the_acting_person(laptop, repo):
    assert laptop.get("api/session").json()["handle"] == "alice"
    home = laptop.get("edit/")
    assert home.status == 200 and "Hello, Alice Martin" in home.text
    assert "Why does the consumer lag?" in home.text  # her own writing, with edit links
    answer = laptop.post("api/documents", {"kind": "post", "title": "From my laptop", "body": "Hi #ops"})
    assert answer.status == 201
    assert git_log(repo, "-1") == ["Alice Martin|alice@example.com|Post: From my laptop"]


def test_the_forms_are_served_with_a_token_and_a_preview(laptop):
    for path in ("edit/post", "edit/question", "edit/answer/why-lag", "edit/questions/why-lag", "edit/profile"):
        page = laptop.get(path)
        assert page.status == 200, path
        assert re.search(r'data-csrf="[0-9a-f]{64}"', page.text), path
        assert 'id="preview"' in page.text, path
    assert "Our #kafka consumer lags" not in laptop.get("edit/answer/why-lag").text  # rendered, as a link
    assert 'href="/topics/kafka/"' in laptop.get("edit/answer/why-lag").text
    assert "Accept an answer" in laptop.get("edit/questions/why-lag").text
    assert 'id="similar"' in laptop.get("edit/question").text


def test_someone_elses_document_cannot_be_opened_for_editing(laptop):
    page = laptop.get("edit/posts/2026/kafka-retention")
    assert page.status == 403 and "only its author (@bob)" in page.text
    assert laptop.get("edit/posts/2026/nothing").status == 404
    assert laptop.get("edit/answer/..%2F..%2Fpeople").status == 404


def test_a_newcomer_creates_their_profile_first(repo, editor):
    git(repo, "config", "user.email", "newbie@example.com")
    client = editor(repo, identity_header=None).client
    assert client.get("api/session").status == 403
    page = client.get("edit/")
    assert page.status == 200 and "Create your profile" in page.text and "newbie@example.com" in page.text
    token = re.search(r'data-csrf="([0-9a-f]+)"', page.text).group(1)
    taken = client.post("api/people", {"handle": "bob", "name": "Not Bob"}, headers={"X-CSRF-Token": token})
    assert taken.status == 409
    created = client.post("api/people", {"handle": "nina", "name": "Nina New", "team": "sales"},
                          headers={"X-CSRF-Token": token})
    assert created.status == 201, created.text
    assert "email: newbie@example.com" in (repo / "content/people/nina.md").read_text()
    assert git_log(repo, "-1") == ["Nina New|newbie@example.com|Profile of @nina"]
    assert client.get("api/session").json()["handle"] == "nina"


def test_behind_sso_the_editor_asks_for_sign_in_without_the_header(client):
    page = client.as_(None).get("edit/")
    assert page.status == 401 and "X-Wol-User" in page.text
    assert client.as_("zoe").get("edit/").status == 403
    assert client.as_("bob").get("edit/").status == 200


def test_on_a_laptop_a_request_for_another_host_name_is_refused(laptop):
    # a web page whose domain is made to resolve to 127.0.0.1 (DNS rebinding) must not read or write
    assert laptop.get("api/session", headers={"Host": "evil.example"}).status == 403
    assert laptop.get("", headers={"Host": "evil.example:8000"}).status == 403
    assert laptop.get("api/session", headers={"Host": "localhost"}).status == 200


def test_paths_never_leave_the_site_folder(laptop):
    for path in ("..%2F..%2Fmkdocs.yml", "%2e%2e/%2e%2e/content/people/alice.md", "edit/static/..%2F..%2F__init__.py"):
        answer = laptop.get(path)
        assert answer.status == 404, path
        assert "site_name" not in answer.text and "email:" not in answer.text
