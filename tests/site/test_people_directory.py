"""The demo's people directory in Chromium: "Who knows about kafka?" ranks by earned expertise, never by
volume; the topic and team filters; team names from `wol.teams`; an avatar from the profile."""

from __future__ import annotations

import dataclasses

import pytest

from site_kb import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(demo_root, tmp_path_factory):
    """(the demo's graph and settings, its built site's URL)."""
    from wol.knowledge import load_graph
    from wol.pipeline import build_site
    from wol.settings import load_settings
    scratch = tmp_path_factory.mktemp("people")
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(scratch / "cache"))
    build_site(settings, scratch / "site", echo=lambda message: None)
    with serving(scratch / "site") as url:
        yield load_graph(settings), settings, url


def directory(page, url: str):
    page.goto(url + "people/")
    page.locator("[data-wol-people]").wait_for(state="visible")


def visible_names(page) -> list[str]:
    return page.locator(".wol-page--people > ul > li:visible > a:first-child").all_inner_texts()


def test_who_knows_about_kafka_ranks_people_by_earned_expertise_not_by_volume(page, demo):
    graph, settings, url = demo
    directory(page, url)
    page.fill("#wol-who", "kafka")
    results = page.locator(".wol-people-find__results .wol-who__name")
    results.first.wait_for()
    names = results.all_inner_texts()
    experts = [graph.people[h].name for h, _ in graph.topics["kafka"].experts if not graph.people[h].has_left]
    assert names[:len(experts)][0] == experts[0] and set(names[:len(experts)]) == set(experts)
    # the most prolific writer on #kafka earned less than the most useful one: volume counts for nothing
    counts = {}
    for doc_id in graph.topics["kafka"].documents:
        author = graph.documents[doc_id].author
        counts[author] = counts.get(author, 0) + 1
    prolific = max(counts, key=counts.get)
    best = graph.topics["kafka"].experts[0][0]
    assert prolific != best and counts[prolific] > counts.get(best, 0)
    assert names.index(graph.people[best].name) < names.index(graph.people[prolific].name)
    assert "most useful first" in page.locator(".wol-people-find__status").inner_text()
    first = page.locator(".wol-people-find__results li").first
    assert f"Kafka · {graph.topics['kafka'].experts[0][1]}" in first.inner_text()
    first.locator("a").click()
    page.wait_for_url(f"**/people/{best}/")


def test_an_alias_finds_the_same_people(page, demo):
    graph, settings, url = demo
    alias = graph.topics["kafka"].aliases[0]
    page.goto(url + f"people/?who=%23{alias}")
    page.locator(".wol-people-find__results .wol-who__name").first.wait_for()
    assert page.locator(".wol-people-find__results .wol-who__name").first.inner_text() == (
        graph.people[graph.topics["kafka"].experts[0][0]].name)


def test_the_team_and_topic_filters_hide_the_other_rows(page, demo):
    graph, settings, url = demo
    directory(page, url)
    assert page.locator(".wol-page--people h2", has_text="People Operations").count() == 1  # wol.teams
    page.select_option("#wol-people-team", label="Data & Analytics")
    data = sorted(p.name for p in graph.people.values() if p.team == "data")
    assert sorted(visible_names(page)) == data
    headings = [h.rstrip("¶") for h in page.locator(".wol-page--people > h2:visible").all_inner_texts()]
    assert headings == ["Data & Analytics"]
    page.select_option("#wol-people-team", value="")
    page.select_option("#wol-people-topic", label="Kafka")
    knows = sorted(p.name for h, p in graph.people.items()
                   if "kafka" in dict(graph.earned(h)) or "kafka" in p.expertise)
    assert sorted(visible_names(page)) == knows
    assert page.locator(".wol-people-find__status").inner_text() == f"{len(knows)} people shown."


def test_a_person_page_shows_the_avatar_from_the_profile_and_initials_otherwise(page, demo):
    graph, settings, url = demo
    page.goto(url + "people/priya/")
    avatar = page.locator(".wol-profile img.wol-avatar")
    avatar.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", avatar.element_handle()) > 0
    page.goto(url + "people/alice/")
    assert page.locator(".wol-profile .wol-avatar").inner_text() == "AM"
    assert page.locator(".wol-profile img").count() == 0
