"""Replies in the graph: beside their target, oldest first, votable, earning nothing alone; `wol check`'s errors."""

from knowledge_base import doc

from wol.health.figures import build_figures
from wol.knowledge import load_graph
from wol.settings import load_settings


def graph_of(root):
    return load_graph(load_settings(root))


def reply(author: str, date: str, body: str, extra: str = "") -> str:
    return doc(None, author, date, body, extra)


THREAD = {
    "posts/2026/lag.md": doc("Lag alerts", "alice", "2026-03-01", "How we alert on #kafka lag."),
    "posts/2026/lag.replies/2026-03-03-carol.md": reply("carol", "2026-03-03", "And for staging, @bob?"),
    "posts/2026/lag.replies/2026-03-02-bob.md": reply("bob", "2026-03-02", "Does it page at night? #oncall"),
    "questions/q/index.md": doc("Why lag?", "carol", "2026-03-04", "It lags after deploys #kafka"),
    "questions/q/replies/2026-03-04-alice.md": reply("alice", "2026-03-04T10:00:00Z", "Which client version?"),
    "questions/q/answers/bob.md": doc(None, "bob", "2026-03-05", "Use static membership."),
    "questions/q/answers/bob.replies/2026-03-06-carol.md": reply("carol", "2026-03-06", "That fixed it, thanks."),
}


def test_replies_are_listed_under_what_they_answer_oldest_first(kb):
    g = graph_of(kb(THREAD))
    assert g.replies_of == {
        "posts/2026/lag": ["posts/2026/lag.replies/2026-03-02-bob", "posts/2026/lag.replies/2026-03-03-carol"],
        "questions/q": ["questions/q/replies/2026-03-04-alice"],
        "questions/q/answers/bob": ["questions/q/answers/bob.replies/2026-03-06-carol"]}
    assert g.replies["questions/q/answers/bob.replies/2026-03-06-carol"].target_id == "questions/q/answers/bob"
    assert g.url_of("questions/q/answers/bob.replies/2026-03-06-carol") == "questions/q/#reply-bob-2026-03-06-carol"
    assert g.url_of("posts/2026/lag.replies/2026-03-02-bob") == "posts/2026/lag/#reply-2026-03-02-bob"
    assert g.problems == []


def test_replies_are_not_documents_but_carry_topics_and_mentions(kb):
    g = graph_of(kb(THREAD))
    assert not any(".replies/" in d or "/replies/" in d for d in g.documents)
    assert g.by_author["bob"] == ["questions/q/answers/bob"]
    assert g.replies_by["carol"] == ["questions/q/answers/bob.replies/2026-03-06-carol",
                                     "posts/2026/lag.replies/2026-03-03-carol"]
    assert g.topics_of["posts/2026/lag.replies/2026-03-02-bob"] == ["oncall", "kafka"]  # its own, then its target's
    assert g.topics["kafka"].documents == ["questions/q/answers/bob", "questions/q", "posts/2026/lag"]
    assert "posts/2026/lag.replies/2026-03-02-bob" in g.topics["kafka"].replies
    assert g.mentioned_in["bob"] == ["posts/2026/lag.replies/2026-03-03-carol"]


def test_a_reply_alone_earns_nothing_a_vote_on_it_counts_like_any_contribution(kb):
    files = dict(THREAD)
    assert "bob" not in graph_of(kb(files)).expertise
    files["votes/alice.txt"] = "posts/2026/lag.replies/2026-03-02-bob\n"
    files["votes/bob.txt"] = "posts/2026/lag.replies/2026-03-02-bob\n"  # his own: does not count
    g = graph_of(kb(files))
    assert g.useful["posts/2026/lag.replies/2026-03-02-bob"] == 1
    assert g.expertise["bob"] == {"oncall": 1, "kafka": 1}
    assert [p.code for p in g.problems] == ["vote-self"]


def test_a_reply_to_something_missing_is_an_error_with_its_file(kb):
    g = graph_of(kb({"posts/2026/gone.replies/2026-03-02-bob.md": reply("bob", "2026-03-02", "Hello?")}))
    assert [(p.path, p.line, p.severity, p.code) for p in g.problems] == [
        ("content/posts/2026/gone.replies/2026-03-02-bob.md", 1, "error", "reply-target-missing")]
    assert "posts/2026/gone" in g.problems[0].message and g.replies == {}


def test_a_reply_by_someone_without_a_profile_is_an_error(kb):
    files = dict(THREAD, **{"posts/2026/lag.replies/2026-03-09-zed.md": reply("zed", "2026-03-09", "Hi")})
    g = graph_of(kb(files))
    assert [(p.path, p.line, p.code) for p in g.problems] == [
        ("content/posts/2026/lag.replies/2026-03-09-zed.md", 2, "author-unknown")]
    assert "posts/2026/lag.replies/2026-03-09-zed" not in g.replies


def test_a_reply_to_a_reply_is_an_error_replies_are_one_level_deep(kb):
    files = dict(THREAD, **{"posts/2026/lag.replies/2026-03-02-bob.replies/x.md": reply("alice", "2026-03-09", "Hi")})
    assert [p.code for p in graph_of(kb(files)).problems] == ["reply-to-reply"]


def test_replies_to_a_draft_wait_with_it_and_draft_replies_are_not_published(kb):
    files = dict(THREAD)
    files["posts/2026/lag.md"] = doc("Lag alerts", "alice", "2026-03-01", "Not yet.", extra="draft: true\n")
    files["questions/q/replies/2026-03-04-alice.md"] = reply("alice", "2026-03-04", "Later", extra="draft: true\n")
    g = graph_of(kb(files))
    assert set(g.replies) == {"questions/q/answers/bob.replies/2026-03-06-carol"}
    assert g.problems == []


def test_health_counts_replies_as_participation_not_documents(kb):
    g = graph_of(kb(THREAD))
    figures = build_figures(g)
    assert (figures.documents, figures.replies) == (3, 4)
    march = next(m for m in figures.months if m.month == "2026-03")
    assert march.documents == 3 and march.contributors == 3  # carol and bob replied, alice too


def test_an_empty_reply_is_an_error_with_its_line(kb):
    files = dict(THREAD, **{"posts/2026/lag.replies/2026-03-09-bob.md": "---\nauthor: bob\ndate: 2026-03-09\n---\n\n"})
    g = graph_of(kb(files))
    assert [(p.path, p.line, p.code) for p in g.problems] == [
        ("content/posts/2026/lag.replies/2026-03-09-bob.md", 5, "reply-empty")]
    assert "posts/2026/lag.replies/2026-03-09-bob" not in g.replies
