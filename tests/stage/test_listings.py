"""Generated pages: home, topics, people, questions."""

from __future__ import annotations

import feedparser
from knowledge_base import doc

from wol.stage.listings import LIST_LIMIT


def test_home_lists_the_newest_documents_and_an_answer_links_to_its_question_anchor(site):
    body = site.body("index.md")
    new = body.split("## What's new")[1].split("##")[0]
    assert new.index("[Can we get GPU nodes?]") < new.index("[Kafka lag alerts]") < new.index("[Cluster notes]")
    assert "[Answer to How do I reset my VPN token?](questions/reset-token.md#dana)" in new


def test_home_lists_unanswered_questions_and_active_topics(site):
    body = site.body("index.md")
    unanswered = body.split("## Unanswered questions")[1].split("##")[0]
    assert "[Can we get GPU nodes?](questions/gpu-nodes.md)" in unanswered
    assert "reset-token" not in unanswered
    active = body.split("## Active topics")[1]
    assert "[Kubernetes](topics/kubernetes.md){.md-tag .wol-topic}" in active
    assert site.meta("index.md")["wol_feeds"][0]["href"] == "feed.xml"


def test_topics_index_lists_every_topic_with_its_count(site):
    body = site.body("topics/index.md")
    assert "- [Kubernetes](kubernetes.md) · 3 documents · also #k8s" in body
    assert "- [vpn](vpn.md) · 4 documents" in body  # the question and its three published answers


def test_topic_page_shows_description_facilitators_experts_documents_and_feeds(site):
    body = site.body("topics/kubernetes.md")
    assert "# " not in body.split("\n")[0]  # the theme shows the title (partials/wol-profile.html)
    assert site.meta("topics/kubernetes.md")["title"] == "Kubernetes"
    assert "Our clusters. Related: [#kafka](kafka.md), ask [@alice](../people/alice.md)." in body
    assert "Facilitated by [Alice Martin](../people/alice.md)" in body
    assert "## Documents (3)" in body
    documents = body.split("## Documents (3)")[1]
    assert documents.index("[Can we get GPU nodes?]") < documents.index("[Kafka lag alerts]")
    assert "## Related topics" in body and "[Kafka](kafka.md)" not in body  # kafka has no topic file: title is the tag
    assert "[kafka](kafka.md){.md-tag .wol-topic}" in body
    assert site.meta("topics/kubernetes.md")["wol_feeds"] == [
        {"type": "application/atom+xml", "href": "topics/kubernetes/feed.xml", "title": "Kubernetes (Atom)"},
        {"type": "application/feed+json", "href": "topics/kubernetes/feed.json", "title": "Kubernetes (JSON Feed)"}]


def test_topic_page_lists_earned_experts_with_scores(site):
    body = site.body("topics/vpn.md")
    experts = body.split("## Experts")[1].split("##")[0]
    # dana: accepted answer (3) + one vote; bob: two votes
    assert experts.index("[Dana Kowalczyk](../people/dana.md) (former colleague) · 4") < experts.index(
        "[Bob Okafor](../people/bob.md) · 2")


def test_people_directory_groups_by_team_and_marks_former_colleagues(site):
    body = site.body("people/index.md")
    support = body.split("## support")[1].split("##")[0]
    assert "- [Carol Diaz](carol.md)" in support
    assert "- [Dana Kowalczyk](dana.md) · *former colleague*" in support
    assert body.index("## data") < body.index("## platform") < body.index("## support")


def test_person_page_shows_profile_earned_and_declared_expertise_apart(site):
    body = site.body("people/erin.md")
    assert body.startswith("Data engineer")  # the theme shows the name and avatar
    assert site.meta("people/erin.md")["title"] == "Erin Walsh"
    assert "Data engineer · data · <erin@example.com>" in body
    assert "*No expertise earned yet.*" in body
    assert "Declared: [kafka](../topics/kafka.md){.md-tag .wol-topic} `#gardening`" in body
    bob = site.body("people/bob.md")
    assert "Earned, from votes and accepted answers: [kafka · 2](../topics/kafka.md)" in bob


def test_person_page_lists_contributions_and_mentions(site):
    body = site.body("people/alice.md")
    contributions = body.split("## Contributions (2)")[1].split("##")[0]
    assert "[Cluster notes](../posts/2026/cluster-notes.md)" in contributions
    assert "[Answer to How do I reset my VPN token?](../questions/reset-token.md#alice)" in contributions
    mentioned = body.split("## Mentioned in (1)")[1]
    assert "[Kafka lag alerts](../posts/2026/kafka-lag.md)" in mentioned
    assert site.meta("people/alice.md")["wol_feeds"][0]["href"] == "people/alice/feed.xml"


def test_person_who_left_is_shown_as_former_colleague_without_email(site):
    body = site.body("people/dana.md")
    assert "**Former colleague** · left on 28 February 2026" in body
    assert "dana@example.com" not in body


def test_questions_index_groups_unanswered_answered_and_solved(site):
    body = site.body("questions/index.md")
    unanswered = body.split("## Unanswered (1)")[1].split("##")[0]
    assert "[Can we get GPU nodes?](gpu-nodes.md)" in unanswered
    solved = body.split("## Solved (1)")[1]
    assert "[How do I reset my VPN token?](reset-token.md)" in solved
    assert "## Answered (0)" in body


def test_long_listings_are_capped_and_say_how_many_there_are(make_site):
    files = {f"posts/p{i:03}.md": doc(f"Post {i}", "alice", f"2026-01-01T00:{i // 60:02}:{i % 60:02}Z", "#bulk")
             for i in range(LIST_LIMIT + 10)}
    site = make_site(files)
    body = site.body("topics/bulk.md")
    assert f"## Documents ({LIST_LIMIT + 10})" in body
    assert body.count("\n- [Post ") == LIST_LIMIT
    assert f"The {LIST_LIMIT} newest of {LIST_LIMIT + 10} are listed" in body
    assert f"[Post {LIST_LIMIT + 9}]" in body and "[Post 0]" not in body


def test_a_knowledge_base_with_nothing_published_still_has_every_generated_page(make_site):
    site = make_site({"posts/wip.md": doc("Work in progress", "alice", "2026-01-02", "#later", extra="draft: true\n")})
    assert {"index.md", "topics/index.md", "people/index.md", "questions/index.md",
            "people/alice.md"} <= site.staged.pages.keys()
    assert "*Nothing is published yet.*" in site.body("index.md")
    assert "*No topics yet" in site.body("topics/index.md")
    assert "## Unanswered (0)" in site.body("questions/index.md")
    feed = feedparser.parse(site.staged.files["feed.xml"])
    assert not feed.bozo and feed.entries == []
    assert site.staged.files["api/documents.json"] == "[]\n"
