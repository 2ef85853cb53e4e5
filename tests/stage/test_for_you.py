"""Each person's "for you" feed: the events `wol notify` would send them, routed by its own rule, as static feeds."""

from __future__ import annotations

import json
from dataclasses import replace

import feedparser
import pytest

from knowledge_base import doc, write_kb
from notify.notify_kb import NOW, PEOPLE, base_files, notify_yml, question
from wol.content.forgotten import hash_handle
from wol.knowledge import load_graph
from wol.notify.events import USEFUL, find_events
from wol.notify.routing import Channels, route
from wol.notify.wording import say_why
from wol.settings import load_settings
from wol.stage import stage_site

ASKED = "Can you answer? “Question lag” (asked by @alice)"
FILES = {
    **question("lag", author="alice", body="Why does my consumer lag? cc @erin"),
    "questions/lag/answers/dan.md": doc(None, "dan", "2026-04-01T10:00:00Z", "Check the partitions."),
    "questions/python/index.md": doc("Which packaging tool?", "dan", "2026-04-02", "uv or pip? #python",
                                     extra="accepted: carol\n"),
    "questions/python/answers/carol.md": doc(None, "carol", "2026-04-02T09:00:00Z", "uv."),
}


def stage(root):
    settings = load_settings(root)
    graph = load_graph(settings)
    return graph, settings, stage_site(graph, settings)


def make_kb(root, files=None, people_extra=None, drop=()):
    """notify_kb's people and #kafka expertise (carol earned most; vera wrote ten posts, no votes), experts: 2."""
    content = {**base_files(people_extra), **FILES, **(files or {})}
    for path in drop:
        content.pop(path)
    write_kb(root, content, people={}, use_git=False)
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as f:
        f.write(notify_yml(None))
    return root


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return make_kb(tmp_path_factory.mktemp("for-you") / "kb")


@pytest.fixture(scope="module")
def site(kb):
    return stage(kb)


def atom(staged, handle):
    feed = feedparser.parse(staged.files[f"people/{handle}/for-you.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def items(staged, handle):
    return json.loads(staged.files[f"people/{handle}/for-you.json"])["items"]


def titles(staged, handle):
    return [e.title for e in atom(staged, handle).entries]


def test_a_question_reaches_its_top_earned_expert_with_the_reason(site):
    _, _, staged = site
    entry = next(e for e in atom(staged, "carol").entries if e.title == ASKED)
    assert "Why it is here: you earned expertise in #kafka." in entry.summary
    assert entry.link == "https://wiki.test.example/questions/lag/"
    assert entry.author == "Alice Martin"
    item = next(i for i in items(staged, "carol") if i["title"] == ASKED)
    assert item["_wol"] == {"event": "question:questions/lag", "kind": "question",
                            "reason": "you earned expertise in #kafka"}
    assert item["summary"].startswith("Why it is here: you earned expertise in #kafka.")


def test_a_question_reaches_the_facilitator_but_not_the_prolific_writer_nor_its_author(site):
    _, _, staged = site
    bob = next(i for i in items(staged, "bob") if i["title"] == ASKED)
    assert bob["_wol"]["reason"] == "you facilitate #kafka"
    assert ASKED not in titles(staged, "vera")  # ten #kafka posts, no votes: volume routes nothing
    assert ASKED not in titles(staged, "alice")  # nobody hears of what they did


def test_a_person_who_left_has_no_feed_and_no_link(site):
    graph, _, staged = site
    assert graph.people["quinn"].has_left
    assert not any(path.startswith("people/quinn/for-you") for path in staged.files)
    assert not any(f.get("for_you") for f in staged.pages["people/quinn.md"].meta["wol_feeds"])


def test_a_mention_reaches_the_mentioned_person(site):
    _, _, staged = site
    item = next(i for i in items(staged, "erin") if i["_wol"]["kind"] == "mention")
    assert item["title"] == "@alice mentioned you in “Question lag”"
    assert item["_wol"]["reason"] == "@alice mentioned you"
    assert item["url"] == "https://wiki.test.example/questions/lag/"


def test_an_answer_reaches_the_asker_and_an_acceptance_the_answerer(site):
    _, _, staged = site
    answered = next(i for i in items(staged, "alice") if i["_wol"]["kind"] == "answer")
    assert answered["title"] == "@dan answered your question “Question lag”"
    assert answered["url"] == "https://wiki.test.example/questions/lag/#dan"
    assert answered["authors"] == [{"name": "Dan Brook", "url": "https://wiki.test.example/people/dan/"}]
    accepted = next(i for i in items(staged, "carol") if i["_wol"]["kind"] == "accepted")
    assert accepted["title"] == "@dan accepted your answer to “Which packaging tool?”"


def test_the_feeds_validate_newest_first(site):
    graph, _, staged = site
    for handle, person in graph.people.items():
        if person.has_left:
            continue
        feed = atom(staged, handle)
        assert feed.version == "atom10"
        assert feed.feed.title == f"For {person.name} · Test Wiki"
        data = json.loads(staged.files[f"people/{handle}/for-you.json"])
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["feed_url"] == f"https://wiki.test.example/people/{handle}/for-you.json"
        assert [i["title"] for i in data["items"]] == [e.title for e in feed.entries]
        dates = [i["date_published"] for i in data["items"]]
        assert dates == sorted(dates, reverse=True)
        assert len({i["id"] for i in data["items"]}) == len(data["items"])
    assert titles(staged, "carol")[0] == "@dan accepted your answer to “Which packaging tool?”"


def test_the_feed_holds_the_newest_feed_length_entries(site):
    graph, settings, staged = site
    assert len(items(staged, "carol")) == 3  # her accepted answer, the #python question, the #kafka one
    fewer = stage_site(graph, replace(settings, feed_length=1))
    assert [i["title"] for i in items(fewer, "carol")] == [items(staged, "carol")[0]["title"]]


def test_a_rebuild_writes_the_same_feeds(kb, site):
    _, _, staged = site
    _, _, again = stage(kb)
    mine = {p: t for p, t in staged.files.items() if "/for-you." in p}
    assert mine and {p: t for p, t in again.files.items() if "/for-you." in p} == mine


def test_the_feed_lists_what_wol_notify_would_send_ignoring_opt_outs(tmp_path):
    quiet = {h: extra + "notify: off\n" for h, (_, _, extra) in PEOPLE.items()}
    graph, settings, staged = stage(make_kb(tmp_path / "kb", people_extra=quiet))
    cfg = settings.notify
    events = [e for e in find_events(None, graph, NOW, cfg.escalate_after_hours) if e.kind != USEFUL
              and not e.escalated]
    assert route(events, graph, cfg.experts, cfg.escalate_experts, Channels(email=True), {}) == []  # all opted out
    loud = load_graph(load_settings(make_kb(tmp_path / "loud")))
    sent = {(d.recipient, d.event.id, say_why(d.reason))
            for d in route(events, loud, cfg.experts, cfg.escalate_experts, Channels(email=True), {})}
    listed = {(path.split("/")[1], i["_wol"]["event"], i["_wol"]["reason"])
              for path, text in staged.files.items() if path.endswith("/for-you.json")
              for i in json.loads(text)["items"]}
    assert listed == sent and sent


def test_forgotten_people_never_appear(tmp_path):
    files = {"forgotten.txt": hash_handle("quinn") + "\n",
             "questions/lag/answers/later.md": doc(None, "quinn", "2026-04-01T11:00:00Z", "Ask @vera.")}
    graph, _, staged = stage(make_kb(tmp_path / "kb", files, drop=["people/quinn.md"]))
    assert "quinn" not in graph.people
    mine = {p: t for p, t in staged.files.items() if "/for-you." in p}
    assert mine and not any(p.startswith("people/quinn/") for p in mine)
    assert not any("quinn" in text.lower() for text in mine.values())
    assert "a former colleague answered your question “Question lag”" in titles(staged, "alice")
    assert "a former colleague mentioned you in “Question lag”" in titles(staged, "vera")


def test_without_site_url_ids_are_tag_uris(site):
    graph, settings, _ = site
    staged = stage_site(graph, replace(settings, site_url=""))
    item = next(i for i in items(staged, "carol") if i["title"] == ASKED)
    assert item["id"] == "tag:wol.invalid,2026:people/carol/for-you#question%3Aquestions%2Flag"
    assert item["url"] == "/questions/lag/"


def test_the_person_page_links_to_the_feeds(site):
    _, _, staged = site
    feeds = staged.pages["people/carol.md"].meta["wol_feeds"]
    assert feeds[0]["href"] == "people/carol/feed.xml"  # the person's own feed still comes first
    assert [f["href"] for f in feeds if f.get("for_you")] == ["people/carol/for-you.xml",
                                                              "people/carol/for-you.json"]


def test_the_fast_expert_ranking_gives_rank_experts_first_places():
    """ExpertRanking (what routing uses, so that staging every person's feed stays cheap) against rank_experts."""
    import random
    from types import SimpleNamespace
    from wol.notify.routing import ExpertRanking, rank_experts
    rng = random.Random(5)
    for _ in range(30):
        handles = [f"p{i}" for i in range(rng.randint(1, 60))]
        people = {h: SimpleNamespace(has_left=rng.random() < 0.1) for h in handles}
        topics = {}
        for tag in "abcdef":
            scores = {h: rng.choice([1, 1, 1, 2, 3, 4, 7]) for h in rng.sample(handles, rng.randint(0, len(handles)))}
            topics[tag] = SimpleNamespace(experts=sorted(scores.items(), key=lambda hs: (-hs[1], hs[0])))
        graph = SimpleNamespace(people={h: p for h, p in people.items() if h != "p0"}, topics=topics)  # p0: unknown
        ranking = ExpertRanking(graph)
        for _ in range(10):
            asked = rng.sample("abcdefg", rng.randint(1, 4))  # g: no such topic
            for count in (1, 3, 7):
                assert ranking.top(asked, count) == rank_experts(graph, asked)[:count], (asked, count)
