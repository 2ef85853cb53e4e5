"""The reader's search box in Chromium, against a static index written by hand in `wol build`'s format.

The weights here are the test's own, so these tests pin what the box does with the format — shards
fetched, typos, answers, filters, keys, inert text — whatever the ranking. test_search_relevance.py
runs the box against the index a real build writes.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from site_kb import QUESTION_TITLE, XSS_PAYLOADS, serving
from handmade_index import crc32, record, write_index

pytestmark = [pytest.mark.browser, pytest.mark.slow]

XSS_TITLE = "Safe <script>alert('xss-title')</script> rendering"
RECORDS = [
    record("questions/kafka-lag", "question", QUESTION_TITLE, "questions/kafka-lag/",
           "Rebalancing: use static membership, see #kafka docs.", state="solved", answered_by="Bob Okafor",
           topics=["kafka"], answers=["questions/kafka-lag/#bob", "questions/kafka-lag/#alice"]),
    record("posts/2026/xss", "post", XSS_TITLE, "posts/2026/xss/", " ".join(XSS_PAYLOADS), topics=["security"]),
    record("people/bob", "person", "Bob Okafor", "people/bob/", "Data engineer."),
    record("topics/kafka", "topic", "Kafka", "topics/kafka/", "Streams at scale.", topics=["kafka"]),
    record("questions/no-answer", "question", "Where are the GPU nodes?", "questions/no-answer/",
           "Looking for #gpu capacity in staging.", state="unanswered", topics=["gpu"]),
    record("posts/2026/deploy-checklist", "post", "The deploy checklist", "posts/2026/deploy-checklist/",
           "Our deploy checklist, as used by #platform.", topics=["releases", "platform"]),
]
POSTINGS = {
    "kafka": [(0, 500, 0), (3, 900, 0)], "consum": [(0, 300, 0)], "lag": [(0, 400, 0)], "grow": [(0, 100, 0)],
    "deploy": [(0, 50, 0), (5, 700, 0)], "rebalanc": [(0, 200, 1)], "static": [(0, 100, 1)],
    "partit": [(0, 150, 2)], "script": [(1, 600, 0)], "alert": [(1, 500, 0)], "safe": [(1, 100, 0)],
    "okafor": [(2, 800, 0)], "gpu": [(4, 700, 0)], "node": [(4, 300, 0)], "checklist": [(5, 500, 0)],
}
FORMS = {"kafka": "kafka", "consumer": "consum", "consumers": "consum", "lag": "lag", "growing": "grow",
         "deploy": "deploy", "rebalancing": "rebalanc", "static": "static", "partition": "partit",
         "script": "script", "alert": "alert", "safe": "safe", "okafor": "okafor", "gpu": "gpu", "nodes": "node",
         "checklist": "checklist"}


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    """The built test site with the hand-made index in its search/ folder, on a static host."""
    folder = tmp_path_factory.mktemp("handmade") / "site"
    shutil.copytree(built.site, folder)
    shutil.rmtree(folder / "search", ignore_errors=True)
    write_index(folder, RECORDS, POSTINGS, FORMS, big=("kafka",), aliases={"streams": "kafka"})
    with serving(folder) as url:
        yield url


def type_query(page, query: str, box: str = "header"):
    """Type into the header's box (or the home page's, box="hero") and wait for its answer; → the box."""
    node = page.locator(".wol-search--hero" if box == "hero" else ".md-header .wol-search")
    field = node.locator("input")
    field.click()
    field.fill("")
    field.press_sequentially(query, delay=15)
    return painted(node)


def painted(box):
    """The box once its results are painted (its listbox is no longer busy)."""
    expect(box.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")
    return box


def titles(box) -> list[str]:
    return box.locator(".wol-hit:not(.wol-hit--ask) .wol-hit__title").all_inner_texts()


def search_requests(page) -> list[str]:
    """The site-relative paths of the index files the page fetches, in order."""
    seen = []
    page.on("request", lambda r: seen.append(r.url.split("/", 3)[3]) if "search" in r.url else None)
    return seen


def test_a_solved_question_shows_its_state_and_accepted_answer_first(page, site):
    page.goto(site)
    box = type_query(page, "consumer lag", box="hero")
    first = box.locator(".wol-hit").first
    assert first.locator(".wol-hit__title").inner_text() == QUESTION_TITLE
    assert first.locator(".wol-state").inner_text().lower() == "solved"
    assert first.locator(".wol-hit__text").inner_text() == (
        "Accepted answer (Bob Okafor): Rebalancing: use static membership, see #kafka docs.")
    assert first.locator(".wol-hit__title mark").all_inner_texts() == ["consumer", "lag"]
    assert box.locator(".wol-search__status").inner_text() == "1 result"
    assert first.get_attribute("href") == site + "questions/kafka-lag/"


def test_a_query_fetches_only_its_shards(page, site):
    page.goto(site + "posts/2026/deploy-checklist/")
    seen = search_requests(page)
    type_query(page, "consumer lag")
    expected = {"search/meta.json", f"search/v/{crc32('consumer') % 4}.json", f"search/v/{crc32('lag') % 4}.json",
                f"search/p/{crc32('consum') % 4}.json", f"search/p/{crc32('lag') % 4}.json", "search/d/0.json"}
    assert set(seen) == expected
    assert len(seen) == len(expected)  # each once


def test_a_stem_of_its_own_is_fetched_from_its_big_file(page, site):
    page.goto(site + "posts/2026/deploy-checklist/")
    seen = search_requests(page)
    box = type_query(page, "kafka")
    assert f"search/p/big/{crc32('kafka'):08x}.json" in seen
    assert titles(box) == ["Kafka", QUESTION_TITLE]


@pytest.mark.parametrize("typo", ["kakfa", "kafak", "kafa", "kafkas"])
def test_a_typo_finds_the_word(page, site, typo):
    page.goto(site)
    seen = search_requests(page)
    box = type_query(page, typo)
    assert titles(box) == ["Kafka", QUESTION_TITLE]
    assert any(path.startswith("search/f/") for path in seen)  # the typo candidates, fetched on a miss only


def test_a_misspelled_word_does_not_hide_the_others(page, site):
    page.goto(site)
    box = type_query(page, "consuemr lag gpu")  # 8 letters: two edits
    assert titles(box) == [QUESTION_TITLE, "Where are the GPU nodes?"]


def test_words_only_in_an_answer_link_to_that_answer(page, site):
    page.goto(site)
    box = type_query(page, "partition")
    assert box.locator(".wol-hit").first.get_attribute("href") == site + "questions/kafka-lag/#alice"
    box = type_query(page, "rebalancing static")
    assert box.locator(".wol-hit").first.get_attribute("href") == site + "questions/kafka-lag/#bob"
    box = type_query(page, "rebalancing partition")  # in two answers, neither holds most: the question
    assert box.locator(".wol-hit").first.get_attribute("href") == site + "questions/kafka-lag/"
    box = type_query(page, "kafka partition")  # kafka is in the question itself
    assert box.locator(".wol-hit", has_text=QUESTION_TITLE).get_attribute("href") == site + "questions/kafka-lag/"


def test_filters_by_kind_and_state(page, site):
    page.goto(site)
    box = type_query(page, "kafka gpu okafor deploy")
    assert len(titles(box)) == 5
    box.get_by_role("button", name="Questions").click()
    expect(box.locator(".wol-search__status")).to_have_text("2 results")
    assert titles(box) == ["Where are the GPU nodes?", QUESTION_TITLE]  # gpu weighs 700, kafka + deploy 550
    box.get_by_role("button", name="Unanswered").click()
    expect(box.locator(".wol-search__status")).to_have_text("1 result")
    assert titles(box) == ["Where are the GPU nodes?"]
    box.get_by_role("button", name="People").click()
    painted(box)
    assert titles(box) == ["Bob Okafor"]
    assert box.get_by_role("button", name="Unanswered").is_hidden()  # states are a question's
    box.get_by_role("button", name="Topics").click()
    painted(box)
    assert titles(box) == ["Kafka"]


def test_a_hashtag_or_a_topic_chip_filters_by_topic(page, site):
    page.goto(site)
    box = type_query(page, "deploy")
    assert titles(box) == ["The deploy checklist", QUESTION_TITLE]
    box.locator(".wol-hit__topic", has_text="#releases").click()
    expect(box.locator("input")).to_have_value("deploy #releases")
    expect(box.locator(".wol-search__status")).to_have_text("1 result")
    assert titles(box) == ["The deploy checklist"]
    box.get_by_role("button", name="Remove the topic filter #releases").click()
    expect(box.locator("input")).to_have_value("deploy")
    expect(box.locator(".wol-search__status")).to_have_text("2 results")
    box = type_query(page, "deploy #kafka")  # the checklist has no #kafka; the topic itself does
    assert titles(box) == ["Kafka", QUESTION_TITLE]
    box = type_query(page, "deploy #streams")  # an alias of #kafka (meta.json's `aliases`)
    assert titles(box) == [QUESTION_TITLE]  # the topic page has no "streams" or "deploy"


def test_html_and_script_in_titles_and_bodies_stay_text(page, site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site)
    box = type_query(page, "safe script alert")
    hit = box.locator(".wol-hit").first
    assert hit.locator(".wol-hit__title").inner_text() == XSS_TITLE
    assert "<img src=x onerror=alert('xss-img')>" in hit.locator(".wol-hit__text").inner_text()
    inside = box.locator(".wol-search__results")
    assert inside.locator("script, img, svg, iframe, object, embed, form, style, base, meta, details").count() == 0
    assert inside.locator("[onerror], [onload], [onclick]").count() == 0
    assert dialogs == []


def test_nothing_found_on_a_static_host_says_how_to_ask(page, site):
    page.goto(site)
    box = type_query(page, "zzyzx quux", box="hero")
    assert box.locator(".wol-search__status").inner_text() == "No results for “zzyzx quux”."
    assert box.locator(".wol-search__hint").inner_text() == "No answer yet? Ask it: wol new question"
    assert box.locator("[role=option]").count() == 0


def test_the_keyboard_reaches_opens_and_closes_the_results(page, site):
    page.goto(site)
    page.locator("body").press("/")
    expect(page.locator(".wol-search--hero input")).to_be_focused()  # the home page's large box
    page.goto(site + "topics/")
    page.locator("body").press("/")
    field = page.locator(".md-header .wol-search input")
    expect(field).to_be_focused()
    field.press_sequentially("deploy", delay=15)
    box = page.locator(".md-header .wol-search")
    expect(box.locator(".wol-search__status")).to_have_text("2 results")
    assert field.get_attribute("aria-expanded") == "true"
    options = box.get_by_role("option")
    field.press("ArrowDown")
    field.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    assert field.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    field.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    field.press("Escape")
    expect(field).to_have_attribute("aria-expanded", "false")
    assert box.locator(".wol-search__panel").is_hidden()
    field.press("ArrowDown")  # open again, on the same results
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    field.press("Enter")
    page.wait_for_url(site + "posts/2026/deploy-checklist/")
    assert page.locator("h1").first.inner_text() == "The deploy checklist"


def test_slash_in_a_field_is_typed_not_a_shortcut(page, site):
    page.goto(site)
    field = page.locator(".wol-search--hero input")
    field.click()
    field.press_sequentially("ci/cd", delay=15)
    expect(field).to_have_value("ci/cd")
    expect(page.locator(".md-header .wol-search input")).not_to_be_focused()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_results_have_no_serious_accessibility_violation(browser, site, scheme):
    from axe_playwright_python.sync_playwright import Axe
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site)
    box = type_query(page, "kafka deploy gpu", box="hero")
    box.locator("input").press("ArrowDown")
    header = type_query(page, "gpu")
    assert header.locator(".wol-search__panel").is_visible()
    results = Axe().run(page, context={"include": [[".wol-search"]]})
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == []


def test_the_ask_hint_links_the_contributor_guide_when_one_is_configured(page, tmp_path):
    from knowledge_base import doc, write_kb
    from wol.pipeline import build_site
    from wol.settings import load_settings
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A post", "alice", "2026-01-01", "About #kafka.")},
                    use_git=False)
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as yml:
        yml.write("extra:\n  contributor_guide: https://wiki.example/contributing/\n")
    build_site(load_settings(root), root / "site", echo=lambda message: None)
    with serving(root / "site") as url:
        page.goto(url)
        box = type_query(page, "zzyzx", box="hero")
        hint = box.locator(".wol-search__hint")
        assert hint.inner_text() == "No answer yet? Ask it: wol new question · how to contribute"
        assert hint.get_by_role("link", name="how to contribute").get_attribute("href") == (
            "https://wiki.example/contributing/")
