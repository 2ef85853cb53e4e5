"""The built site in a real Chromium: search, hashtags, mentions, feeds and the useful control."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

QUESTION_TITLE = "Why is consumer lag growing after deploy?"  # written by conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def search(page, query: str):
    """Type into the header's search box (wol's, over the built site's static index); → its result links."""
    box = page.locator(".md-header .wol-search")
    box.locator("input").click()
    box.locator("input").press_sequentially(query, delay=20)
    expect(box.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")
    return box.locator(".wol-hit")


def test_reader_searches_for_a_question_and_opens_it(page, served):
    page.goto(served)
    assert page.locator("h1").first.inner_text() == "Test Wiki"
    results = search(page, "consumer lag")
    results.filter(has_text=QUESTION_TITLE).first.click()
    page.wait_for_url(re.compile(r"/questions/kafka-lag/"))
    assert page.locator("h1").first.inner_text() == QUESTION_TITLE


def test_search_finds_topics_and_people_too(page, served):
    page.goto(served)
    assert search(page, "Okafor").filter(has_text="Bob Okafor").count() >= 1
    page.goto(served)
    assert search(page, "Kubernetes").filter(has_text="Kubernetes").count() >= 1


def test_search_finds_a_document_by_a_word_only_in_its_title(page, served):
    page.goto(served)
    assert search(page, "clusters").filter(has_text="Upgrading the clusters").count() >= 1


def test_drafts_are_not_found(page, served):
    page.goto(served)
    assert search(page, "secret draft").filter(has_text="A secret draft").count() == 0


def test_reader_follows_a_hashtag_to_its_topic_and_a_mention_to_the_person(page, served):
    page.goto(served + "questions/kafka-lag/")
    page.locator("article a", has_text="#kafka").first.click()
    page.wait_for_url(re.compile(r"/topics/kafka/$"))
    assert page.locator("article").get_by_text(QUESTION_TITLE).count() >= 1
    page.goto(served + "questions/kafka-lag/")
    page.locator("article a", has_text="@bob").first.click()
    page.wait_for_url(re.compile(r"/people/bob/$"))
    assert page.locator("h1").first.inner_text() == "Bob Okafor"


def test_topic_page_offers_its_feeds(page, served):
    page.goto(served + "topics/kafka/")
    alternate = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    assert alternate.count() == 1
    href = alternate.get_attribute("href")
    response = page.request.get(served + "topics/kafka/" + href)
    assert response.ok and b"<feed" in response.body()
    assert page.locator("a.wol-subscribe__link", has_text="Atom").is_visible()


def test_useful_control_on_a_static_host_says_how_to_vote_with_git(page, served):
    page.goto(served + "questions/kafka-lag/")
    control = page.locator('.wol-doc .wol-useful[data-id="questions/kafka-lag"]')
    button = control.locator("button.wol-useful__button")
    button.wait_for(state="visible")
    assert "found this useful" in control.inner_text()
    button.click()
    note = control.locator(".wol-useful__note")
    assert note.is_visible()
    assert "wol vote questions/kafka-lag" in note.inner_text()
    answer = page.locator('.wol-useful[data-id="questions/kafka-lag/answers/bob"]')
    assert "1 found this useful" in answer.inner_text()
    assert page.locator("a.wol-write").count() == 0


def test_an_unanswered_question_on_a_static_host_says_how_to_answer_with_git(page, served):
    page.goto(served + "questions/no-answer/")
    page.locator(".wol-useful__button").first.wait_for(state="visible")
    assert "wol new answer" in page.locator(".wol-answer-hint").inner_text()
    assert page.locator("a.wol-answer-link").count() == 0


def test_useful_control_on_the_live_server_toggles_the_vote_in_place(browser, built):
    """A stand-in for `wol serve`'s session and votes API, to check the theme's side of the contract."""
    import functools
    import http.server
    import json
    import threading

    votes = []

    class Live(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, data):
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/api/session":
                return self.answer(200, {"handle": "carol", "name": "Carol Diaz", "votes": [], "csrf": "t0ken"})
            return super().do_GET()

        def vote(self, voted):
            length = int(self.headers.get("Content-Length", 0))
            target = json.loads(self.rfile.read(length))["target"]
            votes.append((self.command, target, self.headers.get("X-CSRF-Token")))
            self.answer(200, {"target": target, "useful": 2 if voted else 1, "voted": voted})

        def do_POST(self):
            self.vote(True)

        def do_DELETE(self):
            self.vote(False)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Live, directory=str(built.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/questions/kafka-lag/")
        answer = page.locator('.wol-useful[data-id="questions/kafka-lag/answers/bob"]')
        button = answer.locator("button.wol-useful__button")
        button.click()
        page.wait_for_function("document.querySelector('[data-id=\"questions/kafka-lag/answers/bob\"] button')"
                               ".getAttribute('aria-pressed') === 'true'")
        assert "2 found this useful" in answer.inner_text()
        button.click()
        page.wait_for_function("document.querySelector('[data-id=\"questions/kafka-lag/answers/bob\"] button')"
                               ".getAttribute('aria-pressed') === 'false'")
        assert "1 found this useful" in answer.inner_text()
        assert votes == [("POST", "questions/kafka-lag/answers/bob", "t0ken"),
                         ("DELETE", "questions/kafka-lag/answers/bob", "t0ken")]
        assert page.locator("a.wol-write").get_attribute("href").endswith("/edit/")
        assert answer.locator(".wol-useful__note").count() == 0
        own = page.locator('.wol-doc .wol-useful[data-author="carol"] button')  # carol asked it
        assert own.is_disabled() and own.inner_text() == "Your own"
        assert "votes are for what helped you" in own.get_attribute("title").lower()
        page.goto(f"http://127.0.0.1:{server.server_port}/questions/no-answer/")
        answer_link = page.locator("a.wol-answer-link", has_text="Answer this question")
        answer_link.wait_for(state="visible")
        assert answer_link.get_attribute("href").endswith("/edit/answer/no-answer")
        assert page.locator(".wol-answer-hint").count() == 0
        assert votes == [("POST", "questions/kafka-lag/answers/bob", "t0ken"),
                         ("DELETE", "questions/kafka-lag/answers/bob", "t0ken")]  # no click on one's own
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_hostile_markup_in_a_title_and_body_is_shown_as_text_in_results(page, served):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served)
    results = search(page, "safe rendering hostile")
    hit = results.filter(has_text="Safe <script>").first
    assert hit.locator(".wol-hit__title").inner_text() == "Safe <script>alert('xss-title')</script> rendering"
    listbox = page.locator(".md-header .wol-search [role=listbox]")
    assert listbox.locator("script, img, svg, iframe, object, embed, form, style, [onerror], [onclick]").count() == 0
    assert dialogs == []
