"""The editor's writing features in process: drafts, unpublish, delete, warnings, completion data, ask, vote page,
and the first sign-in behind single sign-on."""

from __future__ import annotations

import re

import pytest
from editor_server import git_log, make_kb, wait_for
from knowledge_base import git

from wol.content.forgotten import hash_handle


def read(repo, rel: str) -> str:
    return (repo / "content" / rel).read_text(encoding="utf-8")


def test_completion_data_lists_current_people_and_topics_with_aliases(repo, editor):
    (repo / "content/topics").mkdir()
    (repo / "content/topics/kubernetes.md").write_text("---\ntitle: Kubernetes\naliases: [k8s]\n---\nPods.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "topic", "--no-verify")
    data = editor(repo).client.as_("dave").get("api/vocabulary").json()
    handles = {p["handle"]: p["name"] for p in data["people"]}
    assert handles["alice"] == "Alice Martin"
    assert "zoe" not in handles  # she left
    topics = {t["tag"]: t for t in data["topics"]}
    assert topics["kafka"]["count"] == 4  # the post, the question and its two answers
    assert topics["kubernetes"]["aliases"] == ["k8s"]


def test_a_draft_is_committed_by_its_author_and_leads_back_to_its_form(client, repo):
    answer = client.as_("dave").post("api/documents", {"kind": "post", "title": "Half done", "body": "Notes.",
                                                      "draft": True})
    assert answer.status == 201, answer.text
    doc_id = answer.json()["id"]
    assert answer.json()["url"] == f"/edit/{doc_id}"  # a draft has no page: back to its form
    assert "draft: true" in read(repo, doc_id + ".md")
    assert git_log(repo, "-1")[0] == "Dave Lin|dave@example.com|Draft: Post: Half done"
    assert client.as_("dave").get(doc_id + "/").status == 404  # not on the site
    form = client.as_("dave").get(f"edit/{doc_id}").text
    assert "A draft: nobody else sees it" in form and ">Publish</button>" in form
    assert f'href="/edit/{doc_id}">Half done</a>' in client.as_("dave").get("edit/").text  # under "Your drafts"

    published = client.as_("dave").put(f"api/documents/{doc_id}", {"title": "Half done", "body": "Notes.",
                                                                   "draft": False})
    assert published.status == 200, published.text
    assert "draft" not in read(repo, doc_id + ".md")
    assert git_log(repo, "-1")[0].endswith(f"|Publish {doc_id}")
    assert published.json()["url"] == f"/{doc_id}/"


def test_the_author_unpublishes_a_post_and_it_leaves_the_site(client, repo):
    bob = client.as_("bob")
    assert bob.get("posts/2026/kafka-retention/").status == 200
    answer = bob.put("api/documents/posts/2026/kafka-retention",
                     {"title": "Kafka retention explained", "body": "How long.", "draft": True})
    assert answer.status == 200, answer.text
    assert "draft: true" in read(repo, "posts/2026/kafka-retention.md")
    assert git_log(repo, "-1")[0] == "Bob Okafor|bob@example.com|Unpublish posts/2026/kafka-retention"
    assert answer.json()["url"] == "/edit/posts/2026/kafka-retention"
    wait_for(lambda: bob.get("posts/2026/kafka-retention/").status == 404)  # the live site's second step


def test_the_author_deletes_a_post_in_one_commit(client, repo):
    answer = client.as_("bob").delete("api/documents/posts/2026/note-2")
    assert answer.status == 200, answer.text
    assert not (repo / "content/posts/2026/note-2.md").exists()
    assert git_log(repo, "-1")[0] == "Bob Okafor|bob@example.com|Delete posts/2026/note-2"
    wait_for(lambda: client.as_("bob").get("posts/2026/note-2/").status == 404)


def test_nobody_deletes_or_unpublishes_another_persons_document(client, repo):
    before = git_log(repo)
    assert client.as_("dave").delete("api/documents/posts/2026/note-2").status == 403
    refused = client.as_("dave").put("api/documents/posts/2026/note-2", {"body": "x", "draft": True})
    assert refused.status == 403
    assert git_log(repo) == before and (repo / "content/posts/2026/note-2.md").exists()


def test_a_question_with_other_peoples_answers_is_not_deleted_but_may_be_unpublished(client, repo):
    answer = client.as_("alice").delete("api/documents/questions/why-lag")
    assert answer.status == 409
    assert "unpublish it instead" in answer.json()["error"]
    assert (repo / "content/questions/why-lag/answers/bob.md").exists()


def test_an_unknown_mention_and_a_new_topic_are_warned_with_the_saved_result(client, repo):
    answer = client.as_("dave").post("api/documents", {"kind": "post", "title": "Lag notes", "tags": "kafak",
                                                      "body": "Thanks @bobb for the #kafka tip."})
    assert answer.status == 201, answer.text
    messages = [w["message"] for w in answer.json()["warnings"]]
    assert any("@bobb" in m for m in messages), messages
    assert "#kafak is a new topic: nobody used it before. Did you mean #kafka?" in messages
    assert not any("#kafka " in m for m in messages)  # used before


def test_a_topic_alias_is_no_new_topic(client, repo):
    (repo / "content/topics").mkdir()
    (repo / "content/topics/kubernetes.md").write_text("---\ntitle: Kubernetes\naliases: [k8s]\n---\nPods.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "topic", "--no-verify")
    answer = client.as_("dave").post("api/documents", {"kind": "question", "title": "Pods restart?",
                                                      "body": "On #k8s, and on #kubernets too."})
    messages = [w["message"] for w in answer.json()["warnings"]]
    assert messages == ["#kubernets is a new topic: nobody used it before. Did you mean #kubernetes?"]


def test_ask_someone_prefills_a_mention_and_names_them(client):
    page = client.as_("dave").get("edit/question?ask=bob").text
    assert "<h1>Ask Bob Okafor</h1>" in page
    assert ">@bob </textarea>" in page


def test_the_topic_prefills_the_ask_form(client):
    page = client.as_("dave").get("edit/question?title=Why%20so%20slow&tags=kafka").text
    assert 'value="kafka"' in page and 'value="Why so slow"' in page


def test_the_vote_page_shows_the_target_and_writes_nothing_on_get(client, repo):
    before = git_log(repo)
    page = client.as_("dave").get("edit/vote?target=posts/2026/kafka-retention&next=/posts/2026/kafka-retention/")
    assert page.status == 200
    assert "Kafka retention explained" in page.text and ">Mark as useful</button>" in page.text
    assert 'data-next="/posts/2026/kafka-retention/"' in page.text
    assert git_log(repo) == before


def test_the_vote_page_offers_to_withdraw_a_vote_already_cast(client):
    dave = client.as_("dave")
    assert dave.post("api/votes", {"target": "posts/2026/kafka-retention"}).status == 200
    page = dave.get("edit/vote?target=posts/2026/kafka-retention").text
    assert ">Withdraw</button>" in page and 'data-method="DELETE"' in page


@pytest.mark.parametrize("next_url, kept", [
    ("/questions/why-lag/", True),
    ("https://wiki.test.example/questions/why-lag/", True),  # the configured site_url
    ("//evil.example/x", False),
    ("https://evil.example/", False),
    ("javascript:alert(1)", False),
    ("/\\evil.example", False),
])
def test_the_vote_page_returns_only_to_this_wiki(client, next_url, kept):
    from urllib.parse import quote
    page = client.as_("dave").get(f"edit/vote?target=posts/2026/kafka-retention&next={quote(next_url)}").text
    expected = next_url if kept else "/posts/2026/kafka-retention/"
    assert f'data-next="{expected}"' in page.replace("&#34;", '"')


def sso_kb(tmp_path, forgotten: str = ""):
    root = make_kb(tmp_path / "kb")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("wol:\n", "wol:\n  identity_name_header: X-Name\n"
                                                      "  identity_email_header: X-Email\n"))
    if forgotten:
        (root / "content/forgotten.txt").write_text(hash_handle(forgotten) + "\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sso", "--no-verify")
    return root


def test_a_first_sign_in_offers_a_profile_prefilled_from_the_proxy(tmp_path, editor):
    root = sso_kb(tmp_path)
    client = editor(root).client.as_("nina")
    page = client.get("edit/question?ask=bob", headers={"X-Name": "Nina  New", "X-Email": "nina@corp.example"})
    assert page.status == 200
    assert "<h1>Create your profile</h1>" in page.text
    assert "@nina" in page.text and 'value="Nina New"' in page.text and 'value="nina@corp.example"' in page.text
    assert 'data-next="/edit/question?ask=bob"' in page.text


def test_without_the_proxys_e_mail_the_first_profile_asks_for_it(tmp_path, editor):
    root = sso_kb(tmp_path)
    page = editor(root).client.as_("nina").get("edit/").text
    assert '<input name="email" type="email" required autocomplete="email" value="">' in page  # not the server's


def test_a_first_profile_behind_sso_is_committed_as_the_person(tmp_path, editor):
    root = sso_kb(tmp_path)
    client = editor(root).client.as_("nina")
    headers = {"X-Name": "Nina New", "X-Email": "nina@corp.example"}
    form = client.get("edit/", headers=headers).text
    headers["X-CSRF-Token"] = re.search(r'data-csrf="([0-9a-f]+)"', form).group(1)
    answer = client.post("api/people", {"name": "Nina New", "handle": "alice", "team": "ops"}, headers=headers)
    assert answer.status == 201, answer.text
    text = read(root, "people/nina.md")  # the handle is the signed-in one, whatever the form says
    assert "name: Nina New" in text and "email: nina@corp.example" in text
    assert git_log(root, "-1")[0] == "Nina New|nina@corp.example|Profile of @nina"
    assert client.get("edit/question?ask=bob").text.count("<h1>Ask Bob Okafor</h1>") == 1


def test_a_forgotten_handle_cannot_sign_up_again(tmp_path, editor):
    root = sso_kb(tmp_path, forgotten="olga")
    app = editor(root)
    client = app.client.as_("olga")
    page = client.get("edit/")
    assert page.status == 403 and "asked to be forgotten" in page.text
    token = app.app.extensions["wol"].csrf.token("olga")  # as if she had one: the write is refused all the same
    answer = client.post("api/people", {"name": "Olga", "email": "olga@corp.example"}, headers={"X-CSRF-Token": token})
    assert answer.status == 409 and "asked to be forgotten" in answer.json()["error"]
    assert not (root / "content/people/olga.md").exists()


def test_no_header_no_profile_form(client):
    assert client.as_(None).get("edit/").status == 401
