"""Atom and JSON feeds of the site, every topic and every person."""

from __future__ import annotations

import json
from dataclasses import replace

import feedparser

from wol.stage import stage_site


def parse(text: str):
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_site_feed_is_valid_atom_with_newest_documents_first(site):
    feed = parse(site.staged.files["feed.xml"])
    assert feed.version == "atom10"
    assert feed.feed.title == "Test Wiki"
    titles = [e.title for e in feed.entries]
    assert titles[:3] == ["Can we get GPU nodes?", site.script_title, "Kafka lag alerts"]
    assert "Answer to How do I reset my VPN token?" in titles
    assert len(feed.entries) == len(site.graph.documents)


def test_feed_entries_have_author_dates_link_and_stable_absolute_id(site):
    feed = parse(site.staged.files["feed.xml"])
    entry = next(e for e in feed.entries if e.title == "Kafka lag alerts")
    assert entry.author == "Bob Okafor"
    assert entry.published.startswith("2026-03-02T00:00:00") and entry.updated.startswith("2026-03-02")
    assert entry.link == "https://wiki.test.example/posts/2026/kafka-lag/"
    assert entry.id == "https://wiki.test.example/posts/2026/kafka-lag/"
    answer = next(e for e in feed.entries if e.title.startswith("Answer to"))
    assert answer.link.startswith("https://wiki.test.example/questions/reset-token/#")


def test_feed_content_is_sanitised_html_with_links_from_the_site_root(site):
    feed = parse(site.staged.files["feed.xml"])
    entry = next(e for e in feed.entries if e.title == "Kafka lag alerts")
    html = entry.content[0].value
    assert '<a href="https://wiki.test.example/topics/kafka/">#kafka</a> lag alerts' in html
    assert '<a href="https://wiki.test.example/people/alice/">@alice</a>' in html
    assert "<h1" not in html


def test_script_title_is_text_in_the_feeds(site):
    atom = site.staged.files["feed.xml"]
    assert "<script>" not in atom
    assert any(e.title == site.script_title for e in parse(atom).entries)
    items = json.loads(site.staged.files["feed.json"])["items"]
    assert any(i["title"] == site.script_title for i in items)


def test_json_feed_is_version_1_1_with_the_same_entries(site):
    data = json.loads(site.staged.files["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://wiki.test.example/feed.json"
    assert [i["title"] for i in data["items"]] == [e.title for e in parse(site.staged.files["feed.xml"]).entries]
    item = next(i for i in data["items"] if i["title"] == "Kafka lag alerts")
    assert item["authors"] == [{"name": "Bob Okafor", "url": "https://wiki.test.example/people/bob/"}]
    assert item["date_published"].startswith("2026-03-02T00:00:00")
    assert item["id"] == "https://wiki.test.example/posts/2026/kafka-lag/"
    assert item["tags"] == ["kafka", "kubernetes"]
    assert "#kafka</a>" in item["content_html"]


def test_every_topic_and_every_person_has_both_feeds(site):
    for tag in site.graph.topics:
        assert {f"topics/{tag}/feed.xml", f"topics/{tag}/feed.json"} <= site.staged.files.keys()
    for handle in site.graph.people:
        assert {f"people/{handle}/feed.xml", f"people/{handle}/feed.json"} <= site.staged.files.keys()
    topic = parse(site.staged.files["topics/kubernetes/feed.xml"])
    assert [e.title for e in topic.entries] == ["Can we get GPU nodes?", "Kafka lag alerts", "Cluster notes"]
    person = parse(site.staged.files["people/alice/feed.xml"])
    assert [e.title for e in person.entries] == ["Cluster notes", "Answer to How do I reset my VPN token?"]
    assert all(e.author == "Alice Martin" for e in person.entries)


def test_a_person_with_no_documents_has_an_empty_valid_feed(site):
    feed = parse(site.staged.files["people/erin/feed.xml"])
    assert feed.entries == [] and feed.feed.title.startswith("Erin Walsh")


def test_feeds_hold_the_newest_feed_length_entries(site):
    staged = stage_site(site.graph, replace(site.settings, feed_length=2))
    titles = [e.title for e in parse(staged.files["feed.xml"]).entries]
    assert titles == ["Can we get GPU nodes?", site.script_title]
    assert len(json.loads(staged.files["feed.json"])["items"]) == 2


def test_without_site_url_ids_are_tag_uris_and_links_start_at_the_root(site):
    staged = stage_site(site.graph, replace(site.settings, site_url=""))
    feed = parse(staged.files["feed.xml"])
    entry = next(e for e in feed.entries if e.title == "Kafka lag alerts")
    assert entry.id == "tag:wol.invalid,2026:posts/2026/kafka-lag"
    assert entry.link.endswith("/posts/2026/kafka-lag/")
    assert '<a href="/topics/kafka/">#kafka</a>' in entry.content[0].value
    item = next(i for i in json.loads(staged.files["feed.json"])["items"] if i["title"] == "Kafka lag alerts")
    assert item["url"] == "/posts/2026/kafka-lag/"


def test_feeds_are_the_same_on_every_build(site):
    again = stage_site(site.graph, site.settings)
    assert again.files["feed.xml"] == site.staged.files["feed.xml"]
    assert again.files["people/erin/feed.xml"] == site.staged.files["people/erin/feed.xml"]


def test_drafts_are_in_no_feed(site):
    for path, text in site.staged.files.items():
        if path.endswith(("feed.xml", "feed.json")):
            assert "Secret draft plan" not in text and "Draft answer text" not in text, path
            assert "drafttopic" not in path


def test_topic_and_person_feeds_carry_an_escaped_summary_and_a_link(site):
    feed = parse(site.staged.files["topics/security/feed.xml"])
    entry = feed.entries[0]
    assert entry.title == site.script_title
    assert "content" not in entry
    assert entry.summary == ('<p>A title that tries to inject #security.</p>'
                             '<p><a href="https://wiki.test.example/posts/2026/script/">Read it on Test Wiki</a></p>')
    item = json.loads(site.staged.files["topics/security/feed.json"])["items"][0]
    assert item["summary"] == "A title that tries to inject #security."
    assert item["content_html"] == entry.summary
