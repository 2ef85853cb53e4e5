"""The /health/ page, its charts, the privacy page, and `wol stats` as a user runs it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from health.kb import network, utc
from wol.cli import main
from wol.health.charts import render_bar_chart, render_pair_chart
from wol.health.page import stage_health
from wol.settings import load_settings
from wol.commands.stats import load_health

SVG = "{http://www.w3.org/2000/svg}"
PEOPLE = {"alice": "platform", "bob": "data", "carol": "support"}
POSTS = [("alice", "2026-01-05", ["kafka"]), ("bob", "2026-02-12", ["kafka"])]
QUESTIONS = [("carol", "2026-02-01", ["kafka"], [("alice", "2026-02-01T05:00:00Z")], "alice"),
             ("carol", "2026-02-20", [], [], None)]
VOTES = {"carol": ["2026-02-02 questions/q1/answers/alice"], "bob": ["posts/2026/p1"]}


def test_a_bar_chart_is_well_formed_svg_with_words_for_every_value():
    svg = ET.fromstring(render_bar_chart("Answers", "Answers per month: Jan 3, Feb 5", ["Jan", "Feb"], [3, 5]))
    assert svg.get("role") == "img" and svg.get("viewBox")
    assert svg.find(f"{SVG}title").text == "Answers"
    assert svg.find(f"{SVG}desc").text == "Answers per month: Jan 3, Feb 5"
    assert len(svg.findall(f"{SVG}rect")) == 2
    assert [t.text for t in svg.findall(f"{SVG}text")] == ["3", "Jan", "5", "Feb"]
    assert not svg.findall(f".//{SVG}script") and "href" not in ET.tostring(svg, encoding="unicode")


def test_chart_labels_are_escaped_as_text_not_markup():
    svg = render_pair_chart("Teams", "d", [("<script>alert(1)</script>", 1, 2)], ("given", "received"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")][2] == "<script>alert(1)</script>"


def test_health_page_shows_verdict_reasons_suggestion_and_charts(write):
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES, topics={"kafka": ["alice"]}))
    settings = load_settings(root)
    health = load_health(settings, now=utc("2026-03-20T00:00:00"))
    page = stage_health(health.graph, settings, health.figures, health.verdict).pages["health/index.md"]
    assert page.meta["wol_kind"] == "health"
    page = page.markdown
    assert f"## Verdict: {health.verdict.title}" in page
    for reason in health.verdict.reasons:
        assert reason.text in page
    assert "## Suggestion for the facilitators" in page
    assert "[Question 2?](../questions/q2.md) (2026-02-20)" in page  # routed, with a relative link
    assert page.count("<svg") == 5  # activity, documents, concentration, answer times, teams
    assert "../about/privacy.md" in page


def test_health_page_ranks_nobody(write):
    """Only people named for earned expertise or as facilitators appear; writers are never listed by volume."""
    team = {h: "platform" for h in ("zora", "yann", "xeno", "wilf", "vera", "ugo")}
    posts = [("zora", f"2026-01-{d:02d}", []) for d in range(1, 20)] + [("yann", "2026-01-20", [])]
    root = write(network(team, posts))
    settings = load_settings(root)
    health = load_health(settings, now=utc("2026-02-01T00:00:00"))
    page = stage_health(health.graph, settings, health.figures, health.verdict).pages["health/index.md"].markdown
    for handle in team:
        assert not re.search(rf"(?i)\b{handle}\b", page)


def test_privacy_page_says_what_is_published_and_how_to_leave(write):
    root = write(network(PEOPLE))
    settings = load_settings(root)
    health = load_health(settings)
    page = stage_health(health.graph, settings, health.figures, health.verdict).pages["about/privacy.md"]
    assert page.meta["title"] == "What wol publishes about you"
    page = page.markdown
    for words in ("never who voted", "Earned expertise", "wol export", "wol forget", "former colleague",
                  "never rewrites history"):
        assert words in page


def test_wol_stats_on_the_demo_content_shows_its_quadrant_and_reasons(demo_root):
    result = CliRunner().invoke(main, ["-C", str(demo_root), "stats"])
    assert result.exit_code == 0, result.output
    assert any(f"Verdict: {t}." in result.output
               for t in ("Desert", "Flood room", "Theatre of one actor", "Honey apiary"))
    assert result.output.count("  ✓ ") + result.output.count("  ✗ ") == 5
    assert "Suggestion for the facilitators:" in result.output
    assert "Activity by month" in result.output


def test_wol_stats_json_has_the_verdict_and_every_figure(write):
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES))
    result = CliRunner().invoke(main, ["-C", str(root), "stats", "--json", "--since", "2026-02-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"]["quadrant"] in ("desert", "flood-room", "theatre", "honey-apiary")
    assert data["figures"]["since"].startswith("2026-02-01")
    assert data["figures"]["documents"] == 4  # p2, q1, its answer, q2
    assert data["figures"]["first_answer_hours"] == 5.0


def test_wol_stats_warns_about_unreadable_log_lines(write, tmp_path):
    root = write(network(PEOPLE, POSTS))
    log = tmp_path / "access.log"
    log.write_text('1.2.3.4 - - [10/Mar/2026:10:00:00 +0000] "GET /posts/2026/p1/ HTTP/1.1" 200 5\nnonsense\n')
    result = CliRunner().invoke(main, ["-C", str(root), "stats", "--access-log", str(log)])
    assert result.exit_code == 0
    assert re.search(r"reads \(from the access log\) +1\n", result.output)
    assert "1 line(s) not in common or combined log format (first: line 2)" in result.output


@pytest.mark.slow
def test_built_site_has_the_health_page_with_inline_svg_and_the_privacy_page(write):
    from wol.pipeline import build_site
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES, topics={"kafka": ["alice"]}))
    build_site(load_settings(root))
    html = (root / "site/health/index.html").read_text()
    assert "Health of the network" in html and "Verdict:" in html
    assert html.count('role="img"') == 5 and "<rect" in html and "viewBox" in html
    assert "<script" not in html.split('<article', 1)[1].split("</article>", 1)[0]
    assert "What wol publishes about you" in (root / "site/about/privacy/index.html").read_text()


@pytest.mark.slow
@pytest.mark.browser
def test_health_charts_are_drawn_without_script_or_network(write):
    from playwright.sync_api import sync_playwright
    from wol.pipeline import build_site
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES, topics={"kafka": ["alice"]}))
    build_site(load_settings(root))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync"])
        try:
            context = browser.new_context(java_script_enabled=False, offline=True)
            page = context.new_page()
            page.goto((root / "site/health/index.html").as_uri())
            charts = page.locator("article svg[role=img]")
            assert charts.count() == 5
            for i in range(5):
                box = charts.nth(i).bounding_box()
                assert box and box["width"] > 100 and box["height"] > 50
            bar = page.locator("article svg[role=img] rect").first.bounding_box()
            assert bar and bar["height"] > 0
            assert page.get_by_text("2026-02", exact=True).first.is_visible()
        finally:
            browser.close()
