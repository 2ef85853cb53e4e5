"""The JSON API of `wol serve`, in process (Flask's test client, a live site), with a real Git repository."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from editor_server import git_log, tree_is_clean, wait_for
from knowledge_base import git

pytestmark = pytest.mark.slow


def test_session_names_the_person_from_the_identity_header(client):
    answer = client.as_("carol").get("api/session")
    assert answer.status == 200
    data = answer.json()
    assert data["handle"] == "carol" and data["name"] == "Carol Diaz"
    assert data["votes"] == [] and len(data["csrf"]) >= 32


def test_a_write_without_the_identity_header_is_401(client):
    answer = client.as_(None).post("api/votes", {"target": "posts/2026/kafka-retention"}, csrf=False)
    assert answer.status == 401
    assert "X-Wol-User" in answer.json()["error"]


@pytest.mark.parametrize("handle", ["mallory", "zoe"])
def test_a_write_by_an_unknown_or_departed_person_is_403(client, repo, handle):
    answer = client.as_(handle).post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert answer.status == 403
    assert not (repo / f"content/votes/{handle}.txt").exists()


def test_a_write_without_the_csrf_token_is_refused_with_403(client, repo):
    answer = client.as_("alice").post("api/votes", {"target": "posts/2026/kafka-retention"}, csrf=False)
    assert answer.status == 403 and "CSRF" in answer.json()["error"]
    bobs = client.as_("bob").token()
    answer = client.as_("alice").post("api/votes", {"target": "posts/2026/kafka-retention"},
                                      headers={"X-CSRF-Token": bobs})
    assert answer.status == 403
    assert len(git_log(repo)) == 2  # nothing committed


def test_a_write_that_is_not_json_is_refused(client):
    alice = client.as_("alice")
    answer = alice.request("POST", "api/votes", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "X-CSRF-Token": alice.token()})
    assert answer.status == 415


def test_asking_a_question_is_one_commit_by_the_asker_and_appears_on_the_site(client, repo):
    dave = client.as_("dave")
    answer = dave.post("api/documents", {"kind": "question", "title": "How do I rotate the VPN keys?",
                                         "body": "Asking @alice about #vpn.", "tags": "vpn, security"})
    assert answer.status == 201, answer.text
    data = answer.json()
    assert data["id"] == "questions/how-do-i-rotate-the-vpn-keys"
    assert data["url"] == "/questions/how-do-i-rotate-the-vpn-keys/"
    assert git_log(repo, "-1") == ["Dave Lin|dave@example.com|Question: How do I rotate the VPN keys?"]
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "content/questions/how-do-i-rotate-the-vpn-keys/index.md"]
    assert tree_is_clean(repo)
    page = client.get(data["url"])
    assert page.status == 200
    assert "How do I rotate the VPN keys?" in page.text and 'href="../../topics/vpn/"' in page.text
    # listings, feeds and the JSON files follow the page within seconds
    wait_for(lambda: "security" in [t["tag"] for t in client.get("api/topics.json").json()])
    assert "How do I rotate the VPN keys?" in client.get("topics/security/").text


def test_answer_accept_and_edit_follow_who_wrote_what(client, repo):
    bob, carol, alice = client.as_("bob"), client.as_("carol"), client.as_("alice")
    answer = bob.post("api/documents", {"kind": "answer", "question": "why-lag", "body": "Also: #kafka upgrades."})
    assert answer.status == 201, answer.text
    second = answer.json()["id"]
    assert second == "questions/why-lag/answers/bob-2"  # bob's first answer is not overwritten
    assert "Rebalancing" in (repo / "content/questions/why-lag/answers/bob.md").read_text()

    assert carol.post("api/questions/why-lag/accept", {"answer": "bob"}).status == 403
    accepted = alice.post("api/questions/why-lag/accept", {"answer": "carol"})
    assert accepted.status == 200, accepted.text
    assert accepted.json()["accepted"] == "questions/why-lag/answers/carol"
    assert "accepted: carol" in (repo / "content/questions/why-lag/index.md").read_text()
    assert git_log(repo, "-1")[0].startswith("Alice Martin|alice@example.com|Accept questions/why-lag/answers/carol")
    page = client.get("questions/why-lag/").text
    assert page.index('id="carol"') < page.index('id="bob"')  # the accepted answer comes first

    assert alice.put(f"api/documents/{second}", {"body": "Hijacked"}).status == 403
    edited = bob.put(f"api/documents/{second}", {"body": "Also: check #kafka broker upgrades."})
    assert edited.status == 200, edited.text
    assert git_log(repo, "-1") == [f"Bob Okafor|bob@example.com|Edit {second}"]
    wait_for(lambda: "broker upgrades" in client.get("questions/why-lag/").text)
    assert tree_is_clean(repo)


def test_editing_keeps_the_other_front_matter_fields(client, repo):
    alice = client.as_("alice")
    alice.post("api/questions/why-lag/accept", {"answer": "bob"})
    edited = alice.put("api/documents/questions/why-lag", {"title": "Why does the consumer lag after deploys?",
                                                           "body": "Lag after *every* deploy.", "tags": ["kafka"]})
    assert edited.status == 200, edited.text
    text = (repo / "content/questions/why-lag/index.md").read_text()
    assert "accepted: bob" in text and "author: alice" in text and "date: 2026-02-01" in text
    assert "title: Why does the consumer lag after deploys?" in text
    assert "tags: [kafka]" in text or "tags:\n- kafka" in text


def test_an_edit_of_a_document_changed_meanwhile_is_refused_with_the_text(client, repo):
    bob = client.as_("bob")
    answer = bob.put("api/documents/posts/2026/kafka-retention", {"title": "Kafka retention", "body": "My new text",
                                                                  "base": "0123456789abcdef"})
    assert answer.status == 409
    assert answer.json()["text"] == "My new text"
    assert "How long" in (repo / "content/posts/2026/kafka-retention.md").read_text()


def test_a_vote_is_counted_and_can_be_withdrawn_but_not_cast_for_oneself(client, repo):
    alice, bob = client.as_("alice"), client.as_("bob")
    voted = alice.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert voted.status == 200, voted.text
    assert {k: voted.json()[k] for k in ("target", "useful", "voted")} == {
        "target": "posts/2026/kafka-retention", "useful": 1, "voted": True}
    assert alice.get("api/session").json()["votes"] == ["posts/2026/kafka-retention"]
    assert git_log(repo, "-1") == ["Alice Martin|alice@example.com|Vote: posts/2026/kafka-retention was useful"]
    own = bob.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert own.status == 403 and "own" in own.json()["error"]
    withdrawn = alice.delete("api/votes", {"target": "posts/2026/kafka-retention"})
    assert withdrawn.status == 200 and withdrawn.json()["useful"] == 0 and withdrawn.json()["voted"] is False


def test_twenty_four_concurrent_votes_are_all_kept_one_commit_each(client, repo):
    voters = ["alice", "carol", "dave", "erin"]
    targets = [f"posts/2026/note-{i}" for i in range(6)]
    for v in voters:
        client.as_(v).token()  # sessions first, so the votes themselves race

    def vote(pair):
        voter, target = pair
        return client.as_(voter).post("api/votes", {"target": target}).status

    pairs = [(v, t) for v in voters for t in targets]
    with ThreadPoolExecutor(max_workers=len(pairs)) as pool:
        statuses = list(pool.map(vote, pairs))
    assert statuses == [200] * len(pairs)
    votes = [line for line in git_log(repo) if "|Vote: " in line]
    assert len(votes) == len(pairs)
    for v in voters:
        lines = (repo / f"content/votes/{v}.txt").read_text().split("\n")
        assert sorted(line.split()[-1] for line in lines if line) == targets
    git(repo, "fsck", "--strict")
    assert tree_is_clean(repo)
    def counts():
        documents = {d["id"]: d for d in client.get("api/documents.json").json()}
        return [documents[t]["useful"] for t in targets]
    wait_for(lambda: counts() == [4] * 6)
    for t in targets:
        assert 'data-count="4"' in client.get(f"{t}/").text


def test_a_person_changes_only_their_own_profile(client, repo):
    alice = client.as_("alice")
    changed = alice.put("api/people/alice", {"team": "infrastructure", "expertise": "kafka, #ops",
                                             "body": "I run the brokers."})
    assert changed.status == 200, changed.text
    text = (repo / "content/people/alice.md").read_text()
    assert "team: infrastructure" in text and "email: alice@example.com" in text and "I run the brokers." in text
    assert alice.put("api/people/bob", {"team": "sales"}).status == 403
    assert "team: data" in (repo / "content/people/bob.md").read_text()
    wait_for(lambda: "infrastructure" in client.get("people/alice/").text)


@pytest.mark.parametrize("title", ["../../../etc/passwd", "..", "/root/.ssh/id_rsa", "con\\..\\..\\x"])
def test_a_title_never_leads_outside_content(client, repo, title):
    answer = client.as_("alice").post("api/documents", {"kind": "post", "title": title, "body": "x"})
    assert answer.status == 201, answer.text
    doc_id = answer.json()["id"]
    assert doc_id.startswith("posts/2026/") and ".." not in doc_id
    assert (repo / "content" / f"{doc_id}.md").is_file()


@pytest.mark.parametrize("question", ["../../people", "../why-lag", "..", "questions/../../mkdocs.yml", "/etc"])
def test_an_answer_to_a_path_that_is_not_a_question_is_refused(client, repo, question):
    answer = client.as_("bob").post("api/documents", {"kind": "answer", "question": question, "body": "x"})
    assert answer.status == 404
    assert tree_is_clean(repo) and len(git_log(repo)) == 2


@pytest.mark.parametrize("doc_id", ["../mkdocs", "..%2F..%2Fmkdocs", "people/alice", "votes/alice"])
def test_an_edit_of_something_that_is_not_ones_document_is_refused(client, repo, doc_id):
    answer = client.as_("alice").put(f"api/documents/{doc_id}", {"body": "pwned"})
    assert answer.status in (403, 404)
    assert "pwned" not in (repo / "mkdocs.yml").read_text()
    assert tree_is_clean(repo)


def test_a_vote_for_a_path_is_refused(client, repo):
    answer = client.as_("alice").post("api/votes", {"target": "../../../etc/passwd"})
    assert answer.status == 404
    assert tree_is_clean(repo)


def test_the_same_title_twice_makes_two_documents(client, repo):
    alice = client.as_("alice")
    first = alice.post("api/documents", {"kind": "post", "title": "Kafka retention explained", "body": "Mine"})
    assert first.status == 201
    assert first.json()["id"] == "posts/2026/kafka-retention-explained"
    second = alice.post("api/documents", {"kind": "post", "title": "Kafka retention explained", "body": "Again"})
    assert second.json()["id"] == "posts/2026/kafka-retention-explained-2"
    assert "How long" in (repo / "content/posts/2026/kafka-retention.md").read_text()


def test_invalid_input_is_refused_with_the_reason_and_the_text(client, repo):
    alice = client.as_("alice")
    answer = alice.post("api/documents", {"kind": "post", "title": "Hi", "body": "text", "tags": "c++"})
    assert answer.status == 422 and "c++" in answer.json()["error"] and answer.json()["text"] == "text"
    answer = alice.post("api/documents", {"kind": "post", "title": "   ", "body": "text"})
    assert answer.status == 422 and "title" in answer.json()["error"]
    answer = alice.post("api/documents", {"kind": "poem", "title": "x", "body": "x"})
    assert answer.status == 422
    assert tree_is_clean(repo) and len(git_log(repo)) == 2


def test_preview_renders_like_the_site_links_and_sanitised(client):
    answer = client.as_("alice").post("api/preview", {"markdown": "See #Kafka and @bob, not @nobody.\n\n"
                                                                  "<script>alert(1)</script>"
                                                                  "<a href=\"javascript:alert(2)\">x</a>"})
    assert answer.status == 200
    html = answer.json()["html"]
    assert '<a href="/topics/kafka/">#Kafka</a>' in html
    assert '<a href="/people/bob/">@bob</a>' in html and "@nobody" in html
    assert "<script" not in html and "javascript:" not in html


def test_similar_and_search_find_published_documents(client):
    similar = client.get("api/similar?title=why%20does%20my%20consumer%20lag")
    assert similar.status == 200
    assert similar.json()[0]["id"] == "questions/why-lag"
    assert similar.json()[0]["url"] == "/questions/why-lag/"
    found = client.get("api/search?q=retention").json()
    assert found[0]["id"] == "posts/2026/kafka-retention" and "snippet" in found[0]


def test_the_static_sites_json_files_are_still_served(client):
    assert client.get("api/documents.json").status == 200
    assert client.get("api/people/alice.json").json()["handle"] == "alice"
    assert client.get("api/nothing-here").status == 404


def test_a_change_made_outside_the_editor_reaches_the_site(client, repo):
    (repo / "content/posts/2026/by-hand.md").write_text(
        "---\ntitle: Written in a text editor\nauthor: carol\ndate: 2026-03-01\n---\n\nHello from vim.\n")
    page = wait_for(lambda: (lambda r: r if r.status == 200 else None)(client.get("posts/2026/by-hand/")))
    assert "Hello from vim." in page.text
    version = client.get("api/changes?since=0").json()["version"]
    assert client.get(f"api/changes?since={version}&page=posts/2026/by-hand/").json()["reload"] is False


def test_api_errors_are_json_even_for_unknown_endpoints_and_methods(client):
    unknown = client.get("api/nothing-here")
    assert unknown.status == 404 and "no such API endpoint" in unknown.json()["error"]
    wrong = client.as_("alice").request("PATCH", "api/votes", {"target": "x"})
    assert wrong.status == 405 and "not allowed" in wrong.json()["error"]
    assert client.get("no/such/page/").status == 404
