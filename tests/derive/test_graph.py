"""The graph: topics with aliases, inherited topics, votes, Q&A order and earned expertise."""

from knowledge_base import doc

from wol.knowledge import load_graph
from wol.settings import load_settings


def graph_of(root):
    return load_graph(load_settings(root))


def codes(graph):
    return sorted((p.code, p.path, p.line) for p in graph.problems)


def test_aliases_and_case_map_to_one_topic(kb):
    root = kb({
        "topics/kubernetes.md": "---\naliases: [k8s]\nfacilitators: [alice]\n---\nContainers.\n",
        "posts/a.md": doc("A", "alice", "2026-01-01", "#K8s rocks"),
        "posts/b.md": doc("B", "bob", "2026-01-02", "#KUBERNETES too", extra="tags: [Kubernetes]\n"),
    })
    g = graph_of(root)
    assert g.topics_of == {"posts/b": ["kubernetes"], "posts/a": ["kubernetes"]}
    assert g.topics["kubernetes"].documents == ["posts/b", "posts/a"]
    assert "k8s" not in g.topics


def test_answer_inherits_its_questions_topics(kb):
    root = kb({
        "questions/q/index.md": doc("Q?", "bob", "2026-01-01", "about #vpn"),
        "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "try #wireguard"),
    })
    assert graph_of(root).topics_of["questions/q/answers/alice"] == ["wireguard", "vpn"]


def test_drafts_are_not_published_nor_their_answers(kb):
    root = kb({
        "posts/d.md": doc("D", "alice", "2026-01-01", "#secret", extra="draft: true\n"),
        "questions/q/index.md": doc("Q?", "bob", "2026-01-01", "x", extra="draft: true\n"),
        "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "y"),
    })
    g = graph_of(root)
    assert g.documents == {} and "secret" not in g.topics and g.threads == {}


def test_votes_count_once_per_voter_and_never_for_oneself(kb):
    root = kb({
        "posts/a.md": doc("A", "alice", "2026-01-01", "x"),
        "votes/bob.txt": "posts/a\nposts/a\n2026-02-01 posts/missing\n",
        "votes/carol.txt": "posts/a\n",
        "votes/alice.txt": "posts/a\n",
        "votes/ghost.txt": "posts/a\n",
    })
    g = graph_of(root)
    assert g.useful["posts/a"] == 2
    assert sorted(g.voters["posts/a"]) == ["bob", "carol"]
    assert [c for c in codes(g) if c[0].startswith("vote")] == [
        ("vote-duplicate", "content/votes/bob.txt", 2),
        ("vote-self", "content/votes/alice.txt", 1),
        ("vote-target-missing", "content/votes/bob.txt", 3),
        ("vote-voter-unknown", "content/votes/ghost.txt", 1),
    ]


def test_question_states_and_answer_order(kb):
    root = kb({
        "questions/open/index.md": doc("Open?", "bob", "2026-01-01", "?"),
        "questions/busy/index.md": doc("Busy?", "bob", "2026-01-01", "?"),
        "questions/busy/answers/old.md": doc(None, "alice", "2026-01-02", "old"),
        "questions/busy/answers/new.md": doc(None, "carol", "2026-01-03", "new"),
        "questions/done/index.md": doc("Done?", "bob", "2026-01-01", "?", extra="accepted: late\n"),
        "questions/done/answers/early.md": doc(None, "alice", "2026-01-02", "early"),
        "questions/done/answers/useful.md": doc(None, "carol", "2026-01-03", "useful"),
        "questions/done/answers/late.md": doc(None, "alice", "2026-01-04", "late"),
        "votes/bob.txt": "questions/done/answers/useful\nquestions/busy/answers/new\n",
    })
    g = graph_of(root)
    assert {q: t.state for q, t in g.threads.items()} == {
        "questions/open": "unanswered", "questions/busy": "answered", "questions/done": "solved"}
    assert g.threads["questions/busy"].answers == ["questions/busy/answers/new", "questions/busy/answers/old"]
    assert g.threads["questions/done"].answers == [
        "questions/done/answers/late", "questions/done/answers/useful", "questions/done/answers/early"]


def test_volume_alone_earns_no_expertise(kb):
    files = {f"posts/kafka-{i}.md": doc(f"Kafka {i}", "alice", f"2026-01-{i + 1:02d}", "#kafka notes") for i in range(10)}
    files.update({
        "questions/lag/index.md": doc("Lag?", "bob", "2026-02-01", "#kafka lag"),
        "questions/lag/answers/carol.md": doc(None, "carol", "2026-02-02", "raise partitions"),
        "votes/bob.txt": "questions/lag/answers/carol\n",
    })
    files["questions/lag/index.md"] = doc("Lag?", "bob", "2026-02-01", "#kafka lag", extra="accepted: carol\n")
    g = graph_of(kb(files))
    assert g.topics["kafka"].experts == [("carol", 1 + 3)]
    assert g.expertise.get("alice", {}) == {}
    assert g.earned("carol") == [("kafka", 4)]


def test_accepting_ones_own_answer_earns_nothing(kb):
    root = kb({
        "questions/q/index.md": doc("Q?", "bob", "2026-01-01", "#vpn", extra="accepted: bob\n"),
        "questions/q/answers/bob.md": doc(None, "bob", "2026-01-02", "self"),
    })
    g = graph_of(root)
    assert g.threads["questions/q"].state == "solved"
    assert g.topics["vpn"].experts == []


def test_mentions_of_known_people_link_unknown_warn_with_line(kb):
    root = kb({"posts/a.md": doc("A", "alice", "2026-01-01", "thanks @Bob\nand @nobody")})
    g = graph_of(root)
    assert g.mentions_of["posts/a"] == ["bob"]
    assert g.mentioned_in == {"bob": ["posts/a"]}
    assert ("mention-unknown", "content/posts/a.md", 8) in codes(g)


def test_related_topics_share_documents(kb):
    root = kb({
        "posts/a.md": doc("A", "alice", "2026-01-01", "#kafka #k8s"),
        "posts/b.md": doc("B", "alice", "2026-01-02", "#kafka #k8s #python"),
    })
    g = graph_of(root)
    assert g.topics["kafka"].related == ["k8s", "python"]


def test_demo_content_has_no_errors_and_shows_every_state(demo_root):
    g = graph_of(demo_root)
    assert not [p for p in g.problems if p.severity == "error"]
    assert {t.state for t in g.threads.values()} == {"unanswered", "answered", "solved"}
    assert any(p.has_left for p in g.people.values())
    assert 12 <= len(g.people) <= 20
    assert sum(d.kind == "post" for d in g.documents.values()) >= 30
    assert len(g.threads) >= 15
