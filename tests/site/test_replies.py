"""Replies written in Git, on the built site: under what they answer, in the feeds of their topics and author, in the API."""

from __future__ import annotations

import json
import re

import pytest

from knowledge_base import doc, git, write_kb

POST_REPLIES = "posts/2026/lag.replies"
FILES = {
    "posts/2026/lag.md": doc("Lag alerts", "alice", "2026-03-01", "How we alert on #kafka lag."),
    "questions/q/index.md": doc("Why lag?", "carol", "2026-03-04", "It lags after deploys #kafka"),
    "questions/q/answers/bob.md": doc(None, "bob", "2026-03-05", "Use static membership."),
    "questions/q/answers/alice.md": doc(None, "alice", "2026-03-05T12:00:00Z", "Count the partitions."),
    "votes/alice.txt": f"{POST_REPLIES}/2026-03-02-bob\n",
}
REPLIES = {
    f"{POST_REPLIES}/2026-03-03-carol.md": doc(None, "carol", "2026-03-03", "Second: and staging, @bob?"),
    f"{POST_REPLIES}/2026-03-02-bob.md": doc(None, "bob", "2026-03-02", "First: does it page at night? #oncall"),
    f"{POST_REPLIES}/2026-03-04-carol.md": doc(None, "carol", "2026-03-04",
                                               "<script>alert('xss-reply')</script><img src=x onerror=alert(1)> safe"),
    "questions/q/replies/2026-03-04-alice.md": doc(None, "alice", "2026-03-04T10:00:00Z", "Which client version?"),
    "questions/q/answers/bob.replies/2026-03-06-carol.md": doc(None, "carol", "2026-03-06", "That fixed it, thanks."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A knowledge base whose replies arrive as a Git commit, then built."""
    from wol.pipeline import build_site
    from wol.settings import load_settings
    root = write_kb(tmp_path_factory.mktemp("replies") / "kb", FILES)
    for rel, text in REPLIES.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "content")
    git(root, "commit", "-qm", "Replies")
    build_site(load_settings(root), root / "site", echo=lambda message: None)
    return root / "site"


def read(site, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def replies_in(html: str) -> list[tuple[str, str]]:
    """(anchor, text) of each reply on a page, in page order."""
    found = re.findall(r'<div class="wol-reply" id="([^"]+)">(.*?)<div class="wol-useful"', html, re.S)
    return [(anchor, re.sub(r"<[^>]+>", "", body).split("\n", 2)[-1].strip()) for anchor, body in found]


def test_a_posts_replies_show_under_it_oldest_first_with_author_date_and_anchor(site):
    html = read(site, "posts/2026/lag/index.html")
    assert replies_in(html)[:2] == [("reply-2026-03-02-bob", "First: does it page at night? #oncall"),
                                    ("reply-2026-03-03-carol", "Second: and staging, @bob?")]
    assert "3 replies" in html
    first = html[html.index('id="reply-2026-03-02-bob"'):html.index('id="reply-2026-03-03-carol"')]
    assert ">Bob Okafor</a>" in first and "2 March 2026" in first
    assert f'data-count="1" data-id="{POST_REPLIES}/2026-03-02-bob"' in first  # the useful control, kept
    assert '<a href="../../../people/bob/">@bob</a>' in html  # mentions link, as in any document


def test_user_html_in_a_reply_is_sanitised(site):
    html = read(site, "posts/2026/lag/index.html").lower()
    assert "xss-reply" not in html and "onerror" not in html
    assert "safe" in html


def test_a_question_page_shows_the_replies_of_the_question_and_of_each_answer(site):
    html = read(site, "questions/q/index.html")
    assert [a for a, _ in replies_in(html)] == ["reply-2026-03-04-alice", "reply-bob-2026-03-06-carol"]
    bob = html[html.index('<article class="wol-answer" id="bob"'):]
    bob = bob[:bob.index("</article>")]
    assert "That fixed it, thanks." in bob and "Which client version?" not in bob
    assert html.index("Which client version?") < html.index('id="bob"')  # under the question, before the answers


def test_replies_are_in_the_feeds_of_their_topics_and_author_not_the_sites(site):
    kafka = json.loads(read(site, "topics/kafka/feed.json"))
    urls = [item["url"] for item in kafka["items"]]
    assert "https://wiki.test.example/posts/2026/lag/#reply-2026-03-02-bob" in urls
    carol = json.loads(read(site, "people/carol/feed.json"))
    assert [i["title"] for i in carol["items"]] == ["Reply to Answer to Why lag?", "Why lag?", "Reply to Lag alerts",
                                                    "Reply to Lag alerts"]
    assert "#reply-" in read(site, "people/carol/feed.xml")
    assert "#reply-" not in read(site, "feed.xml")


def test_the_api_lists_a_documents_replies_and_each_replys_target(site):
    documents = {d["id"]: d for d in json.loads(read(site, "api/documents.json"))}
    assert documents["posts/2026/lag"]["replies"] == [f"{POST_REPLIES}/2026-03-02-bob", f"{POST_REPLIES}/2026-03-03-carol",
                                                      f"{POST_REPLIES}/2026-03-04-carol"]
    assert documents["questions/q/answers/bob"]["replies"] == ["questions/q/answers/bob.replies/2026-03-06-carol"]
    assert not any("replies/" in i for i in documents)
    replies = {r["id"]: r for r in json.loads(read(site, "api/replies.json"))}
    assert replies["questions/q/answers/bob.replies/2026-03-06-carol"]["target"] == "questions/q/answers/bob"
    assert replies[f"{POST_REPLIES}/2026-03-02-bob"]["useful"] == 1
    assert replies[f"{POST_REPLIES}/2026-03-02-bob"]["url"] == "/posts/2026/lag/#reply-2026-03-02-bob"


def test_a_mention_in_a_reply_shows_on_the_mentioned_persons_page(site):
    person = json.loads(read(site, "api/people/bob.json"))
    assert person["mentioned_in"] == [f"{POST_REPLIES}/2026-03-03-carol"]
    html = read(site, "people/bob/index.html")
    mentioned = html[html.index("Mentioned in"):]
    assert "Reply to Lag alerts" in mentioned and "#reply-2026-03-03-carol" in mentioned
    assert "Replies (1)" in html  # bob's own replies, apart from his contributions


@pytest.mark.browser
@pytest.mark.slow
def test_replies_on_a_static_host_say_how_to_reply_with_git(page, served):
    page.goto(served + "questions/kafka-lag/")
    page.locator(".wol-useful__button").first.wait_for(state="visible")
    hints = page.locator(".wol-reply-git")
    assert hints.count() == 3  # under the question and under each of its two answers
    hints.first.locator("summary").click()
    assert "wol new reply questions/kafka-lag" in hints.first.inner_text()
    answer = page.locator("article#bob .wol-reply-git")
    answer.locator("summary").click()
    assert "wol new reply questions/kafka-lag/answers/bob" in answer.inner_text()


def test_a_mention_in_a_reply_is_in_the_mentioned_persons_for_you_feed(site):
    feed = json.loads(read(site, "people/bob/for-you.json"))
    assert any(item["url"].endswith("/posts/2026/lag/#reply-2026-03-03-carol") for item in feed["items"])
