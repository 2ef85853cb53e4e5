"""axe-core finds no serious or critical violation on any editor page, light and dark, desktop and phone."""

from __future__ import annotations

import pytest
from editor_server import HEADER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [  # (who, path, what must be on it): every kind of editor page
    ("bob", "edit/", "Hello, Bob Okafor"),
    ("bob", "edit/post", "Write a post"),
    ("bob", "edit/question?tags=kafka", "Ask a question"),
    ("dave", "edit/question?ask=bob", "Ask Bob Okafor"),
    ("dave", "edit/answer/why-lag", "Answer: Why does the consumer lag?"),
    ("dave", "edit/reply/posts/2026/kafka-retention", "Reply to"),
    ("bob", "edit/posts/2026/kafka-retention", "Edit: Kafka retention explained"),
    ("alice", "edit/questions/why-lag", "Edit: Why does the consumer lag?"),  # with its answers to accept
    ("bob", "edit/profile", "Your profile"),
    ("dave", "edit/vote?target=posts/2026/kafka-retention&next=/", "Mark as useful"),
    ("newbie", "edit/question", "Create your profile"),  # a first sign-in
    ("dave", "edit/posts/2026/nothing-here", "Cannot continue"),
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_editor_page_has_a_serious_accessibility_violation(browser, site, scheme, device):
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    found = {}
    for who, path, heading in PAGES:
        context = browser.new_context(viewport=VIEWPORTS[device], color_scheme=scheme, base_url=site.url,
                                      extra_http_headers={HEADER: who}, is_mobile=device == "phone")
        try:
            page = context.new_page()
            page.goto(path)
            page.locator("h1", has_text=heading).wait_for()
            if page.locator(".wol-md").count():
                page.locator(".wol-md .cm-content").click()
                page.keyboard.type("Ask @")  # with the completion list open
                page.locator(".cm-tooltip-autocomplete").wait_for()
            results = axe.run(page)
            serious = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
                       if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
        finally:
            context.close()
    assert found == {}


def test_every_control_has_an_accessible_name(as_person):
    page = as_person("bob")
    page.goto("edit/posts/2026/kafka-retention")
    page.locator(".wol-md").wait_for()
    unnamed = page.evaluate("""() => [...document.querySelectorAll(
            'button, input:not([type=hidden]), textarea:not([hidden]), [role=textbox], a[href]')]
        .filter(el => !el.hidden && !(el.getAttribute('aria-label') || el.labels?.length || el.textContent.trim()
                                      || el.getAttribute('aria-labelledby') || el.title))
        .map(el => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    names = page.locator(".wol-md-toolbar button").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert names[:2] == ["Bold (Ctrl+B)", "Italic (Ctrl+I)"] and "Quote" in names
    assert page.locator(".cm-content").get_attribute("aria-label").startswith("Text")
