"""The one road for a change (wol/commit.py): checked as `wol check` would, committed as the person, or undone."""

from __future__ import annotations

import pytest

from knowledge_base import doc, git, write_kb
from wol.commit import Change, Invalid, apply_change, identity_of
from wol.knowledge import Knowledge
from wol.problems import Refused, WolError
from wol.settings import load_settings

PROFILE_TEXT = "---\nname: Bob Okafor\nemail: bob@example.com\nteam: data\n---\n\nHello, I am Bob Okafor.\n"


@pytest.fixture
def kb(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "bob", "2026-01-01", "About #kafka."),
                                      "votes/alice.txt": "posts/a\n"})
    settings = load_settings(root)
    content, graph = Knowledge(settings).current()
    return root, settings, content, graph


def test_a_change_is_one_commit_by_the_person_with_exactly_its_files(kb):
    root, settings, content, graph = kb
    change = Change({"posts/b.md": doc("B", "alice", "2026-01-02", "New."), "votes/alice.txt": None}, "Post B")
    written = apply_change(settings, content, graph, change, identity_of(graph, "alice"))
    assert git(root, "log", "-1", "--format=%an <%ae>|%s").strip() == "Alice Martin <alice@example.com>|Post B"
    assert sorted(git(root, "show", "--name-status", "--format=", "HEAD").split()) == sorted(
        ["A", "content/posts/b.md", "D", "content/votes/alice.txt"])
    assert written.commit == git(root, "rev-parse", "HEAD").strip() and git(root, "status", "--porcelain") == ""
    assert not (root / "content/votes").exists()  # a folder emptied by the change goes too


def test_a_change_bringing_an_error_elsewhere_is_refused_and_nothing_is_written(kb):
    root, settings, content, graph = kb
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(Invalid) as refused:  # bob's post would have no author
        apply_change(settings, content, graph, Change({"people/bob.md": None}, "Remove Bob"), None)
    assert [(p.path, p.code) for p in refused.value.problems] == [("content/posts/a.md", "author-unknown")]
    assert (root / "content/people/bob.md").read_text(encoding="utf-8") == PROFILE_TEXT
    assert git(root, "rev-parse", "HEAD") == head


def test_an_error_in_the_changed_file_is_refused_with_its_line(kb):
    root, settings, content, graph = kb
    broken = "---\ntitle: C\nauthor: alice\ndate: not a date\n---\n\nText.\n"
    with pytest.raises(Invalid) as refused:
        apply_change(settings, content, graph, Change({"posts/c.md": broken}, "Post C"), None)
    assert refused.value.status == 422 and refused.value.problems[0].line == 4
    assert not (root / "content/posts/c.md").exists()


def test_a_failed_commit_puts_every_file_back_as_it_was(kb):
    root, settings, content, graph = kb
    (root / ".git/index.lock").write_text("")  # another Git process holds the index: the commit fails
    change = Change({"posts/a.md": doc("A2", "bob", "2026-01-01", "Changed."), "votes/alice.txt": None,
                     "posts/2027/new/deep.md": doc("New", "bob", "2027-01-01", "x")}, "Three files")
    before = (root / "content/posts/a.md").read_bytes()
    with pytest.raises(WolError):
        apply_change(settings, content, graph, change, identity_of(graph, "bob"))
    assert (root / "content/posts/a.md").read_bytes() == before
    assert (root / "content/votes/alice.txt").read_text(encoding="utf-8") == "posts/a\n"
    assert not (root / "content/posts/2027").exists()
    (root / ".git/index.lock").unlink()
    assert git(root, "status", "--porcelain") == ""


def test_a_new_file_never_overwrites_and_no_path_leaves_content(kb):
    root, settings, content, graph = kb
    with pytest.raises(Refused) as taken:
        apply_change(settings, content, graph, Change({"posts/a.md": doc("X", "bob", "2026-01-01", "x")},
                                                      "Again", create=True), None)
    assert taken.value.status == 409 and "A" in (root / "content/posts/a.md").read_text(encoding="utf-8")
    with pytest.raises(Refused) as outside:
        apply_change(settings, content, graph, Change({"../mkdocs.yml": "site_name: X\n"}, "Escape"), None)
    assert outside.value.status == 400 and "Test Wiki" in (root / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("bad, where", [("Café \ud800 au lait", "a lone surrogate"), ("red \x1b[31m text", "ESC"),
                                        ("nul \x00 byte", "NUL")])
def test_text_no_page_can_show_is_refused_and_the_file_kept(kb, bad, where):
    root, settings, content, graph = kb
    before = (root / "content/posts/a.md").read_bytes()
    with pytest.raises(Invalid) as refused:
        apply_change(settings, content, graph, Change({"posts/a.md": doc("A", "bob", "2026-01-01", bad)}, "Edit"),
                     identity_of(graph, "bob"))
    assert refused.value.problems[0].code == "character-unpublishable" and refused.value.problems[0].line == 7
    assert (root / "content/posts/a.md").read_bytes() == before, where


def test_a_tag_too_long_for_a_file_name_is_refused(kb):
    root, settings, content, graph = kb
    with pytest.raises(Invalid) as refused:
        apply_change(settings, content, graph, Change({"posts/b.md": doc("B", "bob", "2026-01-01", "#" + "a" * 300)},
                                                      "Post"), identity_of(graph, "bob"))
    assert refused.value.problems[0].code == "tag-too-long"
    assert not (root / "content/posts/b.md").exists()


def test_a_change_to_what_is_already_there_commits_nothing_and_fails_nothing(kb):
    root, settings, content, graph = kb
    same = (root / "content/posts/a.md").read_text(encoding="utf-8")
    head = git(root, "rev-parse", "HEAD")
    written = apply_change(settings, content, graph, Change({"posts/a.md": same}, "Save as it was"),
                           identity_of(graph, "bob"))
    assert written.commit is None and git(root, "rev-parse", "HEAD") == head
