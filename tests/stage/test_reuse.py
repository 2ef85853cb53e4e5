"""Staging with the steps of an earlier staging reused equals staging from nothing, edit after edit."""

from __future__ import annotations

import os

import pytest

from knowledge_base import doc, person, write_kb
from wol.knowledge import Knowledge
from wol.notify.events import find_changes, find_standing_events
from wol.settings import load_settings
from wol.stage import Reuse, Steps, snapshot, stage_site
from wol.stage.memo import MEMOS
from wol.stage.reuse import ALL, GraphView, changes

FILES = {
    "people/dana.md": person("Dana Kowalczyk", "support", "dana"),
    "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\nfacilitators: [alice]\n---\n\nOur clusters.\n",
    "posts/2026/kafka-upgrade.md": doc("Kafka upgrade", "alice", "2026-03-01", "We upgraded #kafka. See @bob."),
    "posts/2026/vpn-outage.md": doc("VPN outage", "bob", "2026-03-02", "The #vpn broke on #k8s, @dana says."),
    "posts/2026/laptops.md": doc("Laptops", "carol", "2026-03-03", "New laptops for the #support team."),
    "posts/2026/laptops.replies/bob-1.md": doc(None, "bob", "2026-03-04", "Mine is great, @carol. #support"),
    "questions/reset-token/index.md": doc("How do I reset a token?", "carol", "2026-03-04", "It expired. #vpn #kafka"),
    "questions/reset-token/answers/alice.md": doc(None, "alice", "2026-03-05", "Run `vpn reset`, @dana."),
    "questions/cluster-size/index.md": doc("How big is the cluster?", "dana", "2026-03-06", "Asking for #k8s."),
    "votes/bob.txt": "2026-03-06 posts/2026/kafka-upgrade\n2026-03-06 questions/reset-token/answers/alice\n",
}

# (what a user does, {path under content/: new text, or None to delete it})
EDITS = [
    ("edit a post's body", {"posts/2026/laptops.md": doc("Laptops", "carol", "2026-03-03", "Laptops for #support.")}),
    ("retitle a question its answer is named after",
     {"questions/reset-token/index.md": doc("How do I renew a token?", "carol", "2026-03-04", "It expired. #vpn #kafka")}),
    ("add a hashtag that makes a new topic",
     {"posts/2026/kafka-upgrade.md": doc("Kafka upgrade", "alice", "2026-03-01", "We upgraded #kafka #brokers.")}),
    ("mention someone new", {"posts/2026/laptops.md": doc("Laptops", "carol", "2026-03-03", "Ask @alice. #support")}),
    ("vote", {"votes/carol.txt": "2026-03-07 posts/2026/vpn-outage\n2026-03-07 questions/reset-token/answers/alice\n"}),
    ("accept an answer", {"questions/reset-token/index.md": doc("How do I renew a token?", "carol", "2026-03-04",
                                                          "It expired. #vpn #kafka", extra="accepted: alice\n")}),
    ("answer the unanswered question",
     {"questions/cluster-size/answers/bob.md": doc(None, "bob", "2026-03-08", "Forty nodes. #k8s")}),
    ("reply to an answer", {"questions/reset-token/answers/alice.replies/carol-1.md":
                            doc(None, "carol", "2026-03-09", "Thanks, @alice!")}),
    ("rename a person", {"people/bob.md": person("Robert Okafor", "data", "bob")}),
    ("a person leaves", {"people/dana.md": person("Dana Kowalczyk", "support", "dana", extra="left: 2026-03-10\n")}),
    ("add an alias", {"topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s, kube]\n---\n\nClusters.\n"}),
    ("delete a post", {"posts/2026/vpn-outage.md": None}),
    ("a new post becomes the newest", {"posts/2026/new.md": doc("Brand new", "carol", "2026-03-11", "#kafka @bob")}),
    ("delete a person", {"people/carol.md": None}),
    ("forget a person", {"forgotten.txt": None}),  # replaced below: the hash of a handle
]


def _write(root, changes_by_path) -> list[str]:
    """Write the edit, each file a second newer than before (an edit of the same size within one tick of the
    clock would look unchanged to the stamp)."""
    paths = []
    for rel, text in changes_by_path.items():
        path = root / "content" / rel
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.stat().st_mtime_ns if path.exists() else 0
            path.write_text(text, encoding="utf-8")
            later = max(path.stat().st_mtime_ns, old + 1_000_000_000)
            os.utime(path, ns=(later, later))
        paths.append(str(path))
    return paths


def _forget(handle: str) -> str:
    from wol.content.forgotten import hash_handle
    return hash_handle(handle) + "\n"


def _cold(graph, settings):
    for memo in MEMOS.values():
        memo.clear()  # nothing left over from the incremental staging either
    return stage_site(graph, settings)


@pytest.mark.parametrize("digests", [False, True], ids=["in-memory", "saved"])
def test_each_edit_staged_with_reuse_equals_staging_from_nothing(tmp_path, digests):
    root = write_kb(tmp_path / "kb", FILES, use_git=False)
    settings = load_settings(root)
    knowledge = Knowledge(settings)
    graph = knowledge.graph
    reuse = Reuse(graph, None, snapshot(graph, digests))
    stage_site(graph, settings, reuse=reuse)
    steps = reuse.steps
    for what, edit in EDITS:
        if what == "forget a person":
            edit = {"forgotten.txt": _forget("bob")}
        knowledge.touch(_write(root, edit))
        graph = knowledge.graph
        reuse = Reuse(graph, steps, snapshot(graph, digests))
        staged = stage_site(graph, settings, reuse=reuse)
        steps = reuse.steps
        if what == "forget a person":  # documents are rewritten where they are read: everything again
            assert reuse.ran == len(steps), what
        else:
            assert 0 < reuse.ran < len(steps), f"{what}: some steps ran again, not all"
        cold = _cold(graph, settings)
        assert sorted(staged.pages) == sorted(cold.pages), what
        assert sorted(staged.files) == sorted(cold.files), what
        pages = [p for p in cold.pages if staged.pages[p] != cold.pages[p]]
        files = [f for f in cold.files if staged.files[f] != cold.files[f]]
        assert (pages, files) == ([], []), f"after '{what}', staged with reuse differs from staging from nothing"


def test_nothing_changed_reuses_every_step(tmp_path):
    root = write_kb(tmp_path / "kb", FILES, use_git=False)
    settings = load_settings(root)
    graph = Knowledge(settings).graph
    first = Reuse(graph, None, snapshot(graph))
    stage_site(graph, settings, reuse=first)
    again = Reuse(graph, first.steps, snapshot(graph))
    stage_site(graph, settings, reuse=again)
    assert again.ran == 0 and len(again.steps) == len(first.steps) > 20


def test_a_view_records_what_a_step_reads():
    from wol.derive.graph import Graph
    graph = Graph(documents={}, people={"alice": "A"}, topics={}, threads={}, topics_of={"p": ["x"]},
                  mentions_of={}, useful={"p": 2}, voters={}, votes_by={}, vote_dates={}, by_author={},
                  mentioned_in={}, expertise={"alice": {"x": 3}}, aliases={}, problems=[])
    view = GraphView(graph)
    assert view.useful.get("p") == 2 and "bob" not in view.people and view.earned("alice") == [("x", 3)]
    list(view.topics_of)
    assert view.reads == {"useful": {"p"}, "people": {"bob"}, "expertise": {"alice"}, "topics_of": {ALL}}
    with pytest.raises(AttributeError):
        view.no_such_field


def test_changes_name_each_entry_that_differs_and_the_whole_field():
    before = {"useful": {"p": 1, "q": 2}, "people": {"alice": "A"}}
    after = {"useful": {"p": 1, "q": 3}, "people": {"alice": "A", "bob": "B"}}
    assert changes(before, after) == {"useful": {ALL, "q"}, "people": {ALL, "bob"}}
    assert changes(after, after) == {}


def test_standing_events_item_by_item_are_the_events_of_the_whole_graph(tmp_path):
    root = write_kb(tmp_path / "kb", {**FILES, "questions/reset-token/index.md": doc(
        "How do I reset a token?", "carol", "2026-03-04", "It expired. #vpn", extra="accepted: alice\n")},
        use_git=False)
    graph = Knowledge(load_settings(root)).graph
    from datetime import datetime, timezone
    whole = find_changes(None, graph, datetime.fromtimestamp(0, timezone.utc), votes=False)
    by_item = find_standing_events(graph)
    assert sorted(by_item, key=lambda e: e.id) == sorted(whole, key=lambda e: e.id)
    assert {e.kind for e in whole} >= {"mention", "question", "answer", "accepted", "reply"}
    for item in {e.doc_id for e in whole}:  # each item's events in the same order: who hears first
        assert [e for e in by_item if e.doc_id == item] == [e for e in whole if e.doc_id == item]
