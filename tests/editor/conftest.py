"""Fixtures for the editor: a knowledge base in a real Git repository, the app in process, `wol serve` as a real process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from editor_server import HEADER, Client, InProcess, Server, make_kb  # noqa: E402

@pytest.fixture
def repo(tmp_path) -> Path:
    return make_kb(tmp_path / "kb")


@pytest.fixture
def serve():
    """A factory: serve(root, identity_header=HEADER) → a running Server, stopped after the test."""
    started = []

    def start(root: Path, identity_header: str | None = HEADER, push: bool = False,
              background: bool = False) -> Server:
        server = Server(root, identity_header, push, background)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def editor():
    """A factory: editor(root, identity_header=HEADER, sync=None) → the app in process with its live site, stopped after."""
    started = []

    def start(root: Path, identity_header: str | None = HEADER, sync: bool | None = None) -> InProcess:
        app = InProcess(root, identity_header, sync)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture
def client(repo, editor) -> Client:
    """The in-process app behind a (simulated) SSO proxy, acting as nobody until `.as_(handle)`."""
    return editor(repo).client


# -- the browser tests (test_browser.py, test_search_box.py): Chromium against a real `wol serve` --

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(repo, serve):
    return serve(repo)


@pytest.fixture
def as_person(browser, site):
    """as_person(handle) → a page whose requests carry the SSO header, as behind the proxy."""
    contexts = []

    def open_as(handle: str):
        context = browser.new_context(extra_http_headers={HEADER: handle}, base_url=site.url)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()
