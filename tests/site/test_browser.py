"""The built site in a real Chromium: search, hashtags, mentions, feeds and the useful control."""

from __future__ import annotations

import re

import pytest

QUESTION_TITLE = "Why is consumer lag growing after deploy?"  # written by conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def search(page, query: str):
    page.wait_for_load_state("networkidle")  # the search worker has loaded the index
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    return results


def test_reader_searches_for_a_question_and_opens_it(page, served):
    page.goto(served)
    assert page.locator("h1").first.inner_text() == "Test Wiki"
    results = search(page, "consumer lag")
    results.filter(has_text=QUESTION_TITLE).first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/questions/kafka-lag/"))
    assert page.locator("h1").first.inner_text() == QUESTION_TITLE


def test_search_finds_topics_and_people_too(page, served):
    page.goto(served)
    assert search(page, "Okafor").filter(has_text="Bob Okafor").count() >= 1
    page.goto(served)
    assert search(page, "Kubernetes").filter(has_text="Kubernetes").count() >= 1


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
