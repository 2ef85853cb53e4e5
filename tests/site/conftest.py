"""Fixtures for built-site tests: one knowledge base written inline, built once per session, served locally."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from knowledge_base import write_kb  # noqa: E402
from site_kb import FILES, FORBIDDEN, XSS_PAYLOADS, serving  # noqa: E402,F401


@dataclass
class Built:
    root: Path
    site: Path
    messages: list[str]
    graph: object
    report: object

    def html_pages(self):
        return sorted(self.site.rglob("*.html"))

    def read(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The inline knowledge base, built once with `build_site` (non-strict)."""
    from wol.knowledge import load_graph
    from wol.settings import load_settings
    from wol.pipeline import build_site
    root = write_kb(tmp_path_factory.mktemp("site") / "kb", FILES)
    settings = load_settings(root)
    messages: list[str] = []
    report = build_site(settings, root / "site", echo=messages.append)
    return Built(root, root / "site", messages, load_graph(settings), report)


@pytest.fixture(scope="session")
def served(built):
    """The built site over HTTP on 127.0.0.1 (a static host: /api/session answers 404)."""
    with serving(built.site) as url:
        yield url


@pytest.fixture(scope="module")  # closed before other folders' tests start their own Playwright (one at a time)
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--disable-background-networking",
                                           "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_files() -> dict[str, str]:
    """The inline knowledge base's content files (rich Markdown, Q&A, hostile input), for tests that build their own."""
    return dict(FILES)
