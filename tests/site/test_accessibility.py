"""axe-core finds no serious or critical violation on any kind of page of the demo site, light and dark,
on a desktop (1280 px) and a phone (390 px) — with the search results open on the home page."""

from __future__ import annotations

import dataclasses

import pytest

from site_kb import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "home": "",
    "post": "posts/2026/kafka-lag-alerting/",
    "question solved": "questions/kafka-consumer-lag-after-deploy/",
    "question unanswered": "questions/gpu-nodes-in-staging/",
    "questions": "questions/",
    "topics": "topics/",
    "topic": "topics/kafka/",
    "people": "people/",
    "person": "people/alice/",
    "person with an avatar": "people/priya/",
    "health": "health/",
    "for you": "about/privacy/",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


WITH_EDITOR = ("home", "post", "question solved", "question unanswered", "questions", "topic", "person")


def built_demo(demo_root, scratch, **settings):
    from wol.pipeline import build_site
    from wol.settings import load_settings
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(scratch / "cache"), **settings)
    build_site(settings, scratch / "site", echo=lambda message: None)
    return scratch / "site"


@pytest.fixture(scope="module")
def demo_url(demo_root, tmp_path_factory):
    with serving(built_demo(demo_root, tmp_path_factory.mktemp("a11y"))) as url:
        yield url


@pytest.fixture(scope="module")
def editor_demo_url(demo_root, tmp_path_factory):
    """The demo built with `wol.editor_url`: its pages carry links to the editor instead of Git instructions."""
    site = built_demo(demo_root, tmp_path_factory.mktemp("a11y-editor"), editor_url="https://editor.example/")
    with serving(site) as url:
        yield url


def serious_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_a_serious_accessibility_violation(browser, demo_url, scheme, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    found = {}
    try:
        for kind, path in PAGES.items():
            page.goto(demo_url + path)
            page.wait_for_selector("html.wol-static", state="attached")  # wol.js has run: the controls are what readers see
            if kind == "people":
                page.locator("[data-wol-people]").wait_for(state="visible")
                page.fill("#wol-who", "kafka")
            violations = serious_violations(page)
            if violations:
                found[kind] = violations
        page.goto(demo_url)
        page.wait_for_selector("html.wol-static", state="attached")
        field = page.locator(".wol-search--hero input")
        field.fill("kafka lag")
        page.locator(".wol-search--hero .wol-hit").first.wait_for(state="visible")
        violations = serious_violations(page)
        if violations:
            found["search results open"] = violations
    finally:
        context.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_links_to_the_editor_have_no_serious_accessibility_violation(browser, editor_demo_url, scheme):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], color_scheme=scheme)
    page = context.new_page()
    found = {}
    try:
        for kind in WITH_EDITOR:
            page.goto(editor_demo_url + PAGES[kind])
            page.wait_for_selector("html.wol-static", state="attached")
            violations = serious_violations(page)
            if violations:
                found[kind] = violations
        assert page.locator("a.wol-write").count() == 1  # the editor's links are there, and were checked
    finally:
        context.close()
    assert found == {}
