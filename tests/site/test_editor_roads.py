"""From a static page to the editor: with `wol.editor_url`, "Useful", "Answer", "Reply", "Edit" and "Ask" lead
to `wol serve` with the context filled in, by navigation only; without it, the Git instructions stay."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from knowledge_base import write_kb
from site_kb import FILES, serving

pytestmark = [pytest.mark.browser]

EDITOR = "https://editor.example/"


def build(root: Path, site: Path, **settings) -> Path:
    from wol.pipeline import build_site
    from wol.settings import load_settings
    build_site(dataclasses.replace(load_settings(root), **settings), site, echo=lambda message: None)
    return site


@pytest.fixture(scope="module")
def with_editor(tmp_path_factory):
    """The site tests' knowledge base, built for a company whose editor runs at EDITOR, served statically."""
    root = write_kb(tmp_path_factory.mktemp("roads") / "kb", FILES, use_git=False)
    with serving(build(root, root / "site", editor_url=EDITOR)) as url:
        yield url


@pytest.fixture
def reader(browser):
    """A page that records every request it makes, and answers for the editor's host with a stand-in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request))
    page.route(EDITOR + "**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                          body="<title>editor</title><h1>The editor</h1>"))
    yield page
    context.close()


def link_of(locator) -> tuple[str, str, dict]:
    """(origin + path, path, query) of a link."""
    parts = urlsplit(locator.get_attribute("href"))
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def opened(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("html.wol-static", state="attached")


def test_useful_answer_reply_and_edit_lead_to_the_editor_with_their_context(reader, with_editor):
    opened(reader, with_editor + "questions/kafka-lag/")
    vote = reader.locator('.wol-useful[data-id="questions/kafka-lag/answers/bob"] a.wol-useful__button')
    address, _, query = link_of(vote)
    assert address == EDITOR + "edit/vote"
    assert query == {"target": "questions/kafka-lag/answers/bob", "next": with_editor + "questions/kafka-lag/#bob"}
    assert vote.inner_text().strip() == "Useful"
    assert "1 found this useful" in reader.locator('.wol-useful[data-id="questions/kafka-lag/answers/bob"]').inner_text()
    assert link_of(reader.locator(".wol-edit-bar a", has_text="Answer this question"))[0] == (
        EDITOR + "edit/answer/kafka-lag")
    assert link_of(reader.locator(".wol-edit-bar a", has_text="Edit"))[0] == EDITOR + "edit/questions/kafka-lag"
    assert link_of(reader.locator("#bob .wol-answer-actions a", has_text="Edit"))[0] == (
        EDITOR + "edit/questions/kafka-lag/answers/bob")
    assert link_of(reader.locator("#bob .wol-replies a", has_text="Reply"))[0] == (
        EDITOR + "edit/reply/questions/kafka-lag/answers/bob")
    assert reader.locator(".wol-useful__note, .wol-reply-git").count() == 0  # no Git instructions
    assert link_of(reader.locator("a.wol-write"))[0] == EDITOR + "edit/"

    vote.click()  # navigation, to the editor's confirmation page
    reader.wait_for_url(EDITOR + "edit/vote?*")
    assert reader.locator("h1").inner_text() == "The editor"


def test_an_unanswered_question_offers_its_answer_form_in_the_editor(reader, with_editor):
    opened(reader, with_editor + "questions/no-answer/")
    answer = reader.get_by_role("link", name="Answer this question")
    assert answer.count() == 1 and link_of(answer)[0] == EDITOR + "edit/answer/no-answer"
    assert reader.locator(".wol-answer-hint").count() == 0


def test_ask_from_home_questions_a_topic_and_a_person_fills_in_the_context(reader, with_editor):
    opened(reader, with_editor)
    assert link_of(reader.locator(".wol-hero a.wol-ask__button"))[0] == EDITOR + "edit/question"
    opened(reader, with_editor + "questions/")
    assert reader.get_by_role("link", name="Ask a question").count() == 1
    opened(reader, with_editor + "people/alice/")
    address, _, query = link_of(reader.get_by_role("link", name="Ask Alice Martin"))
    assert (address, query) == (EDITOR + "edit/question", {"ask": "alice"})
    opened(reader, with_editor + "topics/kafka/")
    ask = reader.get_by_role("link", name="Ask about kafka")
    assert link_of(ask)[2] == {"tags": "kafka"}
    ask.click()
    reader.wait_for_url(EDITOR + "edit/question?tags=kafka")


def test_the_search_boxs_ask_takes_the_same_road_to_the_editor(reader, with_editor):
    opened(reader, with_editor)
    reader.locator(".wol-search--hero input").fill("zzyzx quux #kafka")
    ask = reader.get_by_role("option", name="Ask “zzyzx quux”")
    ask.wait_for(state="attached")
    address, _, query = link_of(ask)
    assert (address, query) == (EDITOR + "edit/question", {"title": "zzyzx quux", "tags": "kafka"})


def test_static_pages_never_send_a_request_to_the_editor_by_themselves(reader, with_editor):
    for path in ("", "questions/kafka-lag/", "topics/kafka/", "people/alice/", "people/"):
        opened(reader, with_editor + path)
    assert [r.url for r in reader.requests if r.url.startswith(EDITOR)] == []  # navigation only: no fetch


def test_without_an_editor_a_static_page_says_how_to_ask_with_git(page, served):
    page.goto(served + "topics/kafka/")
    page.wait_for_selector("html.wol-static", state="attached")
    page.locator(".wol-ask summary", has_text="Ask about kafka").click()
    how = page.locator(".wol-ask__how")
    assert "wol new question" in how.inner_text() and "#kafka" in how.inner_text()
    page.goto(served + "people/bob/")
    page.wait_for_selector("html.wol-static", state="attached")
    page.locator(".wol-ask summary", has_text="Ask Bob Okafor").click()
    assert "@bob" in page.locator(".wol-ask__how").inner_text()
    assert page.locator("a[href*='edit/']").count() == 0
    assert page.locator("a.wol-write").count() == 0


# -- a real `wol serve` as the company's editor -------------------------------------------------------------

@pytest.fixture
def company(tmp_path):
    """(the editor: `wol serve` behind a stand-in SSO header, the repository, its static site's folder and URL)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "editor"))
    from editor_server import HEADER, Server, make_kb
    root = make_kb(tmp_path / "kb")
    server = Server(root, HEADER)
    try:
        site = tmp_path / "static"
        build(root, site, editor_url=server.url, cache_dir=str(tmp_path / "cache"))
        with serving(site) as url:
            yield server, root, site, url, HEADER
    finally:
        server.stop()


def test_a_reader_answers_and_asks_from_the_static_site_through_a_real_editor(browser, company):
    server, root, site, static, header = company
    context = browser.new_context(extra_http_headers={header: "dave"})  # as the SSO proxy would say
    page = context.new_page()
    try:
        opened(page, static + "questions/why-lag/")
        address, _, query = link_of(page.locator('.wol-useful[data-id="questions/why-lag/answers/bob"] a'))
        assert address == server.url + "edit/vote" and query["target"] == "questions/why-lag/answers/bob"
        before = int(page.locator('.wol-useful[data-id="questions/why-lag/answers/bob"]').get_attribute("data-count"))
        page.locator('.wol-useful[data-id="questions/why-lag/answers/bob"] a').click()
        page.wait_for_url(server.url + "edit/vote?**")
        page.click("#vote-form button[type=submit]")
        page.wait_for_url(lambda url: "edit/vote" not in url)  # back where the reader was (or the answer)
        votes = (root / "content/votes/dave.txt").read_text(encoding="utf-8")
        assert "questions/why-lag/answers/bob" in votes
        author = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ae", "--", "content/votes/dave.txt"],
                                capture_output=True, text=True, check=True).stdout.strip()
        assert author.startswith("dave@")  # one commit by dave, through the editor
        page.locator(".wol-edit-bar a", has_text="Answer this question").click()
        page.wait_for_url(server.url + "edit/answer/why-lag")
        page.locator(".wol-md .cm-content").click()  # the editor's Markdown component (its textarea is hidden)
        page.keyboard.type("Static membership fixed it for us, from the static site.")
        page.click("button[type=submit]")
        page.wait_for_url("**/questions/why-lag/#dave")
        assert page.url.startswith(server.url)

        build(root, site, editor_url=server.url, cache_dir=str(root.parent / "cache"))  # CI publishes again
        opened(page, static + "questions/why-lag/")
        assert "from the static site" in page.locator("article#dave").inner_text()
        after = page.locator('.wol-useful[data-id="questions/why-lag/answers/bob"]').get_attribute("data-count")
        assert int(after) == before + 1  # the vote shows on the static page after the next publish

        opened(page, static + "topics/kafka/")
        page.get_by_role("link", name="Ask about kafka").click()
        page.wait_for_url(server.url + "edit/question?tags=kafka")
        assert page.input_value("input[name=tags]") == "kafka"

        page.goto(server.url + "topics/kafka/")  # wol serve's own pages: the same server, same-origin
        ask = page.get_by_role("link", name="Ask about kafka")
        ask.wait_for()
        assert ask.get_attribute("href") == server.url + "edit/question?tags=kafka"
    finally:
        context.close()
