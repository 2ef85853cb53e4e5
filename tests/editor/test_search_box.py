"""The site's search box under a real `wol serve`, in Chromium: answers from the live index, asks in the editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def type_query(page, query: str, box: str = ".md-header .wol-search"):
    """Type into a search box and wait until its results are painted; → the box."""
    node = page.locator(box)
    field = node.locator("input")
    field.click()
    field.fill("")
    field.press_sequentially(query, delay=15)
    expect(node.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")
    return node


def test_a_post_saved_through_the_editor_is_found_by_the_open_page_at_once(as_person, site):
    page = as_person("dave")
    page.goto("posts/2026/note-1/")
    box = type_query(page, "zeppelin hangar")
    assert box.locator(".wol-search__status").inner_text() == "No results for “zeppelin hangar”."
    saved = site.client.as_("dave").post("api/documents", {"kind": "post", "title": "The zeppelin hangar rota",
                                                            "body": "Who opens the #hangar doors, and when."})
    assert saved.status == 201, saved.text
    box = type_query(page, "zeppelin hangar")  # the same page, not reloaded
    first = box.locator(".wol-hit").first
    assert first.locator(".wol-hit__title").inner_text() == "The zeppelin hangar rota"
    assert first.get_attribute("href").endswith("/posts/2026/the-zeppelin-hangar-rota/")
    assert first.locator(".wol-hit__title mark").all_inner_texts() == ["zeppelin", "hangar"]


def test_the_home_page_box_answers_with_the_question_its_state_and_filters(as_person):
    page = as_person("erin")
    page.goto("")
    box = type_query(page, "kafka lag", box=".wol-search--hero")
    first = box.locator(".wol-hit").first
    assert first.locator(".wol-hit__title").inner_text() == "Why does the consumer lag?"
    assert first.locator(".wol-state").inner_text().lower() == "answered"
    box.get_by_role("button", name="Posts").click()
    expect(box.locator(".wol-search__status")).to_have_text("1 result")
    assert box.locator(".wol-hit:not(.wol-hit--ask) .wol-hit__title").all_inner_texts() == ["Kafka retention explained"]


def test_not_found_offers_the_ask_form_with_the_title_and_its_similar_questions(as_person):
    page = as_person("dave")
    page.goto("")
    field = type_query(page, "consumer lag after restarts #kafka").locator("input")
    ask = page.get_by_role("option", name="Ask “consumer lag after restarts”")
    field.press("ArrowUp")  # from the box, up goes round to the last option: asking
    expect(ask).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    page.wait_for_url("**/edit/question?*")
    assert page.input_value("input[name=title]") == "consumer lag after restarts"
    assert page.input_value("input[name=tags]") == "kafka"
    similar = page.locator("#similar a", has_text="Why does the consumer lag?")
    similar.wait_for()  # shown at once: nothing was typed on this page


def test_a_reader_typing_in_the_home_page_box_keeps_their_words_when_the_page_changes(as_person, site):
    page = as_person("erin")
    page.goto("")
    box = type_query(page, "zeppelin", box=".wol-search--hero")
    page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: "api/changes" in r.url and r.json().get("reload")):
        saved = site.client.as_("dave").post("api/documents", {"kind": "post", "title": "Zeppelin news",
                                                                "body": "The #hangar is open."})
        assert saved.status == 201, saved.text  # the home page lists it: the open home page is stale
    assert page.evaluate("window.notReloaded") is True
    expect(box.locator("input")).to_have_value("zeppelin")
    box = type_query(page, "zeppelin news", box=".wol-search--hero")
    assert box.locator(".wol-hit .wol-hit__title").first.inner_text() == "Zeppelin news"
    with page.expect_event("load"):
        box.locator("input").blur()  # done typing: now the page shows what changed
    assert page.evaluate("window.notReloaded") is None
    assert page.locator(".wol-page--home a", has_text="Zeppelin news").count() == 1
