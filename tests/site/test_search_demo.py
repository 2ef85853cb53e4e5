"""The demo (this repository's content/ and mkdocs.yml), built by `wol build`, searched in Chromium.

The box on a static host must rank as `wol search` does: the relevance set typed into the box gives
the same top three as `SearchIndex.search` in process.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from site_kb import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "relevance.yaml").read_text(encoding="utf-8"))
KAFKA_QUESTION = "Why does my Kafka consumer lag after a deploy?"


@pytest.fixture(scope="module")
def demo(demo_root, tmp_path_factory):
    """(the demo's settings with a scratch cache, its built site's folder)."""
    from wol.pipeline import build_site
    from wol.settings import load_settings
    scratch = tmp_path_factory.mktemp("demo")
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(scratch / "cache"))
    build_site(settings, scratch / "site", echo=lambda message: None)
    return settings, scratch / "site"


@pytest.fixture(scope="module")
def demo_url(demo):
    with serving(demo[1]) as url:
        yield url


def ask(page, query: str, box: str = ".md-header .wol-search"):
    """Fill a search box with `query`, wait for its results; → the box."""
    node = page.locator(box)
    node.locator("input").fill(query)
    expect(node.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")
    return node


def urls(box, root: str) -> list[str]:
    return [href.removeprefix(root) for href in
            box.locator(".wol-hit").evaluate_all("(links) => links.map((a) => a.href)")]


def test_the_relevance_set_in_the_box_gives_wol_searchs_top_three(page, demo, demo_url):
    from wol.engines.search import SearchIndex
    from wol.knowledge import load_graph
    settings, _ = demo
    graph, index = load_graph(settings), SearchIndex(settings)
    page.goto(demo_url + "topics/")
    box = page.locator(".md-header .wol-search")
    box.locator("input").click()
    differ = []
    for case in CASES:
        expected = [hit.url for hit in index.search(graph, case["query"], limit=3)]
        shown = urls(ask(page, case["query"]), demo_url)[:3]
        if shown != expected:
            differ.append((case["query"], shown, expected))
    assert differ == []


def test_consumer_lag_on_the_home_page_shows_the_solved_question_and_its_accepted_answer(page, demo_url):
    page.goto(demo_url)
    box = page.locator(".wol-search--hero")
    box.locator("input").click()
    box.locator("input").press_sequentially("consumer lag", delay=40)
    expect(box.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")
    first = box.locator(".wol-hit").first
    assert first.locator(".wol-hit__title").inner_text() == KAFKA_QUESTION
    assert first.locator(".wol-state").inner_text().lower() == "solved"
    assert first.locator(".wol-hit__text").inner_text().startswith(
        "Accepted answer (Farah Haddad): This is rebalancing, not capacity.")


@pytest.mark.parametrize("typo", ["kakfa", "kafak"])
def test_a_swap_of_two_letters_still_finds_kafka(page, demo_url, typo):
    page.goto(demo_url)
    page.locator(".wol-search--hero input").click()
    box = ask(page, f"{typo} consumer lag", box=".wol-search--hero")
    assert box.locator(".wol-hit .wol-hit__title").first.inner_text() == KAFKA_QUESTION
    box = ask(page, typo, box=".wol-search--hero")
    assert box.locator(".wol-hit__title mark").first.inner_text().lower() == "kafka"


def test_a_first_query_downloads_only_its_shards(page, demo, demo_url):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url.removeprefix(demo_url)))
    page.goto(demo_url + "questions/")
    page.locator(".md-header .wol-search input").click()
    box = ask(page, "consumer lag")
    assert box.locator(".wol-hit").count() == 10
    index = [path for path in fetched if path.startswith("search/")]
    assert index[0] == "search/meta.json"
    version = json.loads((demo[1] / "search/meta.json").read_text(encoding="utf-8"))["version"]
    assert all(path.endswith(f".json?v={version}") for path in index[1:])  # never a stale shard from a cache
    kinds = {path.split("/")[1] for path in index[1:]}
    assert kinds == {"v", "p", "d"}, index  # no typo candidates: both words are known
    assert len(index) == len(set(index))  # each shard once
    assert not [path for path in fetched if "search_index" in path or path.startswith("api/search")]


def test_an_alias_hashtag_keeps_its_topic_on_a_static_host(page, demo_url):
    page.goto(demo_url)
    page.locator(".md-header .wol-search input").click()
    box = ask(page, "staging access #k8s")
    hits = box.locator(".wol-hit")
    assert hits.count() >= 1
    for n in range(hits.count()):
        assert "#kubernetes" in hits.nth(n).locator(".wol-hit__topics").inner_text()
