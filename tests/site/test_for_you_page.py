"""A person's page offers their "for you" feeds, in <head> and as visible links, and the feeds are in the site."""

from __future__ import annotations

import re

import feedparser

QUESTION_TITLE = "Why is consumer lag growing after deploy?"  # tests/site/conftest.py's, accepted: bob


def test_the_person_page_links_to_the_for_you_feeds(built):
    html = built.read("people/bob/index.html")
    head = html.split("</head>")[0]
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="for-you.xml"', head)
    assert re.search(r'<link rel="alternate" type="application/feed\+json"[^>]*href="for-you.json"', head)
    aside = html.split('class="wol-subscribe wol-subscribe--for-you"', 1)[1].split("</aside>", 1)[0]
    assert "For you: new questions for you, mentions and answers" in aside
    assert re.search(r'class="wol-subscribe__link" href="for-you.xml"[^>]*>Atom</a>', aside)
    assert re.search(r'class="wol-subscribe__link" href="for-you.json"[^>]*>JSON</a>', aside)
    assert 'class="wol-subscribe__link" href="feed.xml"' in html  # the person's own feed is still offered


def test_the_for_you_feeds_are_written_into_the_site_and_parse(built):
    feed = feedparser.parse((built.site / "people/bob/for-you.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert f"@carol accepted your answer to “{QUESTION_TITLE}”" in [e.title for e in feed.entries]
    assert (built.site / "people/bob/for-you.json").is_file()
    post = built.read("posts/2026/k8s-upgrade/index.html").split("</head>")[0]
    assert "for-you" not in post  # a document page offers its author's feed, not their "for you" feed
