"""The static JSON API, as SPEC.md's table says."""

from __future__ import annotations

import json
from dataclasses import replace

from wol.stage import stage_site


def load(site, path):
    return json.loads(site.staged.files[path])


def test_documents_json_lists_every_published_document_with_the_spec_fields(site):
    documents = load(site, "api/documents.json")
    assert [d["id"] for d in documents] == list(site.graph.documents)
    post = next(d for d in documents if d["id"] == "posts/2026/kafka-lag")
    assert post == {"id": "posts/2026/kafka-lag", "kind": "post", "title": "Kafka lag alerts",
                    "url": "/posts/2026/kafka-lag/", "author": "bob", "date": "2026-03-02T00:00:00+00:00",
                    "topics": ["kafka", "kubernetes"], "mentions": ["alice"], "useful": 2,
                    "replies": []}


def test_an_answer_is_titled_after_its_question_and_links_to_its_anchor(site):
    answer = next(d for d in load(site, "api/documents.json") if d["id"] == "questions/reset-token/answers/bob")
    assert answer["title"] == "Answer to How do I reset my VPN token?"
    assert answer["url"] == "/questions/reset-token/#bob"
    assert answer["kind"] == "answer" and answer["useful"] == 2 and answer["mentions"] == ["carol"]
    assert answer["topics"] == ["vpn"]


def test_topics_json_has_every_topic_with_count_and_url(site):
    topics = {t["tag"]: t for t in load(site, "api/topics.json")}
    assert topics.keys() == site.graph.topics.keys()
    assert topics["kubernetes"] == {"tag": "kubernetes", "title": "Kubernetes", "count": 3, "url": "/topics/kubernetes/"}


def test_topic_json_matches_the_graph(site):
    topic = load(site, "api/topics/vpn.json")
    graph_topic = site.graph.topics["vpn"]
    assert topic == {"tag": "vpn", "title": "vpn", "aliases": [], "documents": graph_topic.documents,
                     "experts": [{"handle": "dana", "score": 4}, {"handle": "bob", "score": 2}],
                     "related": graph_topic.related}
    assert load(site, "api/topics/kubernetes.json")["aliases"] == ["k8s"]


def test_person_json_separates_declared_and_earned_expertise(site):
    assert load(site, "api/people/erin.json") == {
        "handle": "erin", "name": "Erin Walsh", "team": "data",
        "expertise": {"declared": ["kafka", "gardening"], "earned": []}, "documents": [], "replies": [],
        "mentioned_in": []}
    bob = load(site, "api/people/bob.json")
    assert bob["expertise"]["earned"] == [{"tag": "kafka", "score": 2}, {"tag": "kubernetes", "score": 2},
                                          {"tag": "vpn", "score": 2}]
    assert bob["documents"] == site.graph.by_author["bob"]
    assert load(site, "api/people/alice.json")["mentioned_in"] == ["posts/2026/kafka-lag"]


def test_urls_carry_the_path_of_site_url(site):
    staged = stage_site(site.graph, replace(site.settings, site_url="https://intranet.example/kb/"))
    documents = json.loads(staged.files["api/documents.json"])
    assert documents[0]["url"].startswith("/kb/")


def test_drafts_are_not_in_the_api_and_not_counted(site):
    documents = load(site, "api/documents.json")
    assert all("secret" not in d["id"] and "erin" not in d["id"] for d in documents)
    assert "drafttopic" not in {t["tag"] for t in load(site, "api/topics.json")}
    assert "api/topics/drafttopic.json" not in site.staged.files
    assert load(site, "api/topics/vpn.json")["documents"] == [
        "questions/reset-token/answers/dana", "questions/reset-token/answers/bob",
        "questions/reset-token/answers/alice", "questions/reset-token"]
    assert load(site, "api/people/erin.json")["documents"] == []
