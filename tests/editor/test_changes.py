"""What each editor action writes, without a server: fast checks of wol.changes and wol.commit's check."""

from __future__ import annotations

import pytest

from editor_server import make_kb
from wol.changes import (build_accept, build_edit, build_new_document, parse_question_slug, parse_tags,
                         text_version)
from wol.commit import check_change
from wol.knowledge import Knowledge
from wol.problems import Refused
from wol.settings import load_settings


@pytest.fixture
def state(tmp_path):
    settings = load_settings(make_kb(tmp_path / "kb"))
    content, graph = Knowledge(settings).current()
    return settings, content, graph


def test_tags_are_read_from_a_list_or_a_line_with_or_without_hashes():
    assert parse_tags("#Kafka, ops  k8s") == ["kafka", "ops", "k8s"]
    assert parse_tags(["Café", "café"]) == ["café"]
    with pytest.raises(Refused) as refused:
        parse_tags("c++")
    assert refused.value.status == 422


@pytest.mark.parametrize("value", ["..", "../x", "a/b", ".hidden", "", None, 3])
def test_a_question_slug_is_one_plain_name(value):
    with pytest.raises(Refused):
        parse_question_slug(value)


def test_a_new_question_gets_a_folder_of_its_own_with_a_valid_file(state):
    settings, content, graph = state
    change = build_new_document(settings, graph, "dave", {"kind": "question", "title": "Why does the consumer lag?",
                                                          "body": "Still.", "tags": "kafka"})
    assert change.relpath == "questions/why-does-the-consumer-lag/index.md"  # not why-lag, which exists
    checked = check_change(settings, content, graph, change)
    errors, new_graph = checked.errors, checked.graph
    assert errors == [] and change.id in new_graph.documents
    assert new_graph.documents[change.id].author == "dave"


def test_an_answer_is_named_after_its_author_without_overwriting(state):
    settings, content, graph = state
    change = build_new_document(settings, graph, "bob", {"kind": "answer", "question": "/questions/why-lag/",
                                                         "body": "More."})
    assert change.relpath == "questions/why-lag/answers/bob-2.md" and change.create


def test_an_edit_keeps_the_fields_it_does_not_change(state):
    settings, content, graph = state
    change = build_edit(settings, content, "alice", "questions/why-lag", {"body": "New words."})
    assert "title: Why does the consumer lag?" in change.files[change.relpath] and "author: alice" in change.files[change.relpath]
    assert change.files[change.relpath].endswith("New words.\n")
    with pytest.raises(Refused) as refused:
        build_edit(settings, content, "bob", "questions/why-lag", {"body": "x"})
    assert refused.value.status == 403


def test_an_edit_from_an_old_version_is_a_conflict(state):
    settings, content, graph = state
    text = (settings.content_path / "questions/why-lag/index.md").read_text()
    build_edit(settings, content, "alice", "questions/why-lag", {"body": "x", "base": text_version(text)})
    with pytest.raises(Refused) as refused:
        build_edit(settings, content, "alice", "questions/why-lag", {"body": "x", "base": "0" * 16})
    assert refused.value.status == 409


def test_only_the_asker_accepts_and_only_an_answer_of_the_question(state):
    settings, content, graph = state
    change = build_accept(settings, content, graph, "alice", "why-lag", "questions/why-lag/answers/carol")
    assert "accepted: carol" in change.files[change.relpath]
    with pytest.raises(Refused) as refused:
        build_accept(settings, content, graph, "bob", "why-lag", "carol")
    assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        build_accept(settings, content, graph, "alice", "why-lag", "dave")
    assert refused.value.status == 404


def test_knowledge_rereads_only_the_files_it_is_told_about(state, tmp_path):
    settings, _, _ = state
    knowledge = Knowledge(settings)
    knowledge.current()
    post = settings.content_path / "posts/2026/kafka-retention.md"
    post.write_text(post.read_text().replace("Kafka retention explained", "Retention, revisited"))
    assert knowledge.current()[1].documents["posts/2026/kafka-retention"].title == "Kafka retention explained"
    knowledge.touch([post])
    assert knowledge.current()[1].documents["posts/2026/kafka-retention"].title == "Retention, revisited"
    folder = settings.content_path / "questions/why-lag"
    for f in sorted(folder.rglob("*.md"), reverse=True):
        f.unlink()
    (folder / "answers").rmdir()
    folder.rmdir()
    knowledge.touch([folder])
    assert not [d for d in knowledge.current()[1].documents if d.startswith("questions/why-lag")]


def test_an_edit_leaves_the_lines_it_does_not_change_as_written(state):
    settings, content, graph = state
    path = settings.content_path / "posts/2026/kafka-retention.md"
    path.write_text("---\ntitle: Kafka retention explained\nauthor: bob  # wrote it\ndate: 2026-01-10T09:30:00Z\n"
                    "---\n\nOld body.\n")
    content = Knowledge(settings).current()[0]
    change = build_edit(settings, content, "bob", "posts/2026/kafka-retention",
                        {"title": "Kafka retention", "tags": "kafka", "body": "New body."})
    assert change.files[change.relpath] == ("---\ntitle: Kafka retention\nauthor: bob  # wrote it\ndate: 2026-01-10T09:30:00Z\n"
                           "tags: [kafka]\n---\n\nNew body.\n")


@pytest.mark.parametrize("title, folder", [
    ("Как сбросить токен VPN?", "questions/kak-sbrosit-token-vpn"),
    ("Straße & Größe", "questions/strasse-grosse"),
    ("???", "questions/untitled"),
])
def test_a_new_question_in_any_script_gets_a_readable_folder(state, title, folder):
    settings, content, graph = state
    change = build_new_document(settings, graph, "dave", {"kind": "question", "title": title, "body": "?"})
    assert change.relpath == f"{folder}/index.md"
