"""The quadrant, on four knowledge bases built to be a desert, a flood room, a theatre of one actor and a honey apiary."""

from __future__ import annotations

from health.kb import network, utc
from wol.health.quadrant import DESERT, FLOOD_ROOM, HONEY_APIARY, THEATRE
from wol.settings import load_settings
from wol.commands.stats import load_health

NOW = utc("2026-06-30T00:00:00")
MONTHS = [f"2026-0{m}-10" for m in range(1, 7)]


def verdict_of(write, files):
    return load_health(load_settings(write(files)), now=NOW).verdict


def people(n, teams=("platform", "data")):
    return {f"p{i:02d}": teams[i % len(teams)] for i in range(n)}


def test_one_writer_nobody_reading_or_answering_is_a_desert(write):
    posts = [("p00", day, ["kafka"]) for day in MONTHS]
    questions = [("p01", "2026-02-01", ["kafka"], [], None), ("p02", "2026-04-01", [], [], None)]
    v = verdict_of(write, network(people(20), posts, questions))
    assert v.quadrant == DESERT and v.title == "Desert"
    assert not v.broad and not v.useful
    texts = [r.text for r in v.reasons if not r.ok]
    assert any("of people contributed in a typical recent month" in t for t in texts)
    assert any("found useful by someone" in t for t in texts)
    assert "2 questions have waited more than 14 days for an answer" in v.suggestion and "Question 1?" in v.suggestion


def test_everyone_writing_untagged_unvoted_posts_is_a_flood_room(write):
    team = people(10)
    posts = [(h, day, []) for day in MONTHS for h in team for _ in range(2)]
    v = verdict_of(write, network(team, posts))
    assert v.quadrant == FLOOD_ROOM and v.title == "Flood room"
    assert v.broad and not v.useful
    assert any(not r.ok and "have no topic" in r.text for r in v.reasons)
    assert "documents have no topic" in v.suggestion


def test_one_writer_many_grateful_readers_is_a_theatre_of_one_actor(write):
    team = people(20)
    posts = [("p00", day, ["kafka"]) for day in MONTHS]
    votes = {f"p{i:02d}": [f"{day} posts/2026/p{n}" for n, day in enumerate(MONTHS, start=1)] for i in range(1, 8)}
    v = verdict_of(write, network(team, posts, votes=votes, topics={"kafka": ["p00"]}))
    assert v.quadrant == THEATRE and v.title == "Theatre of one actor"
    assert v.useful and not v.broad
    assert any(not r.ok and "the most active 10% of contributors wrote 100% of documents" in r.text for r in v.reasons)


def test_many_writers_useful_answered_tagged_is_a_honey_apiary(write):
    team = people(10)
    handles = list(team)
    posts = [(h, day, ["kafka"]) for day in MONTHS for h in handles]
    questions = [(handles[i], MONTHS[i % 6], ["kafka"], [(handles[(i + 1) % 10], MONTHS[i % 6])], None) for i in range(10)]
    votes = {}
    n = 0
    for day in MONTHS:
        for h in handles:
            n += 1
            voter = handles[(handles.index(h) + 1) % 10]
            votes.setdefault(voter, []).append(f"{day} posts/2026/p{n}")
    v = verdict_of(write, network(team, posts, questions, votes, topics={"kafka": ["p00"]}))
    assert v.quadrant == HONEY_APIARY and v.title == "Honey apiary"
    assert v.broad and v.useful and all(r.ok for r in v.reasons)


def test_an_empty_wiki_is_a_desert(write):
    v = verdict_of(write, network(people(5)))
    assert v.quadrant == DESERT
    assert any("nobody has written anything yet" in r.text for r in v.reasons)


def test_suggestion_names_the_earned_experts_of_the_oldest_unanswered_topic(write):
    team = {"alice": "platform", "bob": "data", "carol": "support"}
    posts = [("alice", "2026-01-10", ["kafka"])]
    questions = [("carol", "2026-05-01", ["kafka"], [], None), ("bob", "2026-06-01", [], [], None)]
    v = verdict_of(write, network(team, posts, questions, votes={"bob": ["posts/2026/p1"]}))
    assert ("2 questions have waited more than 14 days for an answer. The oldest on #kafka is \"Question 1?\" (2026-05-01, `questions/q1`): "
            "ask @alice, who earned expertise in #kafka.") == v.suggestion
