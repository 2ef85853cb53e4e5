"""One hostile document never stalls the build: a body that takes longer than the render budget to render
is skipped with a warning naming its file (an error under --strict); the rest of the site is built."""

from __future__ import annotations

import pytest

from knowledge_base import doc, write_kb
from wol.engines import renderpool
from wol.pipeline import build_site
from wol.problems import WolError
from wol.settings import load_settings

SLOW = "[a" * 10_000  # no run the parser refuses, yet about 40 s in Python-Markdown's link patterns

pytestmark = pytest.mark.slow


@pytest.fixture
def budget(monkeypatch):
    monkeypatch.setattr(renderpool, "RENDER_SECONDS", 1.0)


def _kb(tmp_path):
    return write_kb(tmp_path / "kb", {"posts/2026/fine.md": doc("Fine post", "alice", "2026-01-01", "Plain *text*."),
                                      "posts/2026/slow.md": doc("Slow post", "bob", "2026-01-02", SLOW)})


def test_a_body_slower_than_the_budget_is_skipped_and_named_and_the_rest_is_built(tmp_path, budget):
    root = _kb(tmp_path)
    said = []
    report = build_site(load_settings(root), tmp_path / "site", echo=said.append)
    assert (tmp_path / "site/posts/2026/fine/index.html").exists()
    assert not (tmp_path / "site/posts/2026/slow/index.html").exists()
    assert "too long to render" in report.skipped["content/posts/2026/slow.md"]
    assert any(line.startswith("content/posts/2026/slow.md: warning: skipped, not published: this text takes "
                               "too long to render") for line in said)
    assert (root / ".wol-cache" / renderpool.CACHE_NAME).exists()


def test_strict_build_fails_naming_the_slow_file(tmp_path, budget):
    root = _kb(tmp_path)
    said = []
    with pytest.raises(WolError, match="1 error"):
        build_site(load_settings(root), tmp_path / "site", strict=True, echo=said.append)
    assert any("content/posts/2026/slow.md:" in line and "render-too-slow" in line for line in said)


def test_bodies_that_rendered_in_time_are_not_checked_again(tmp_path, budget, monkeypatch):
    root = _kb(tmp_path)
    (root / "content/posts/2026/slow.md").unlink()
    settings = load_settings(root)
    build_site(settings, tmp_path / "site")
    sent = []
    monkeypatch.setattr(renderpool, "_workers", lambda: sent.append(1) or pytest.fail("rendered again"))
    build_site(settings, tmp_path / "site")
    assert sent == []


def test_only_long_or_markup_dense_bodies_are_sent_to_the_render_workers():
    from wol.engines.renderpool import could_be_slow
    ordinary = ("Raise `session.timeout.ms` when the *consumer* lags after a deploy; see [the runbook](x.md).\n\n"
                * 40)  # 40 paragraphs, 200 marks
    assert not could_be_slow(ordinary)
    assert could_be_slow("[a" * 10000) and could_be_slow("word " * 30_000)
    assert could_be_slow("é[" * 401) and not could_be_slow("日本[" * 399), "marks are counted, not bytes"


def test_wol_check_refuses_a_body_too_slow_to_render_naming_its_file(tmp_path, budget):
    from click.testing import CliRunner
    from wol.cli import main
    root = _kb(tmp_path)
    result = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert result.exit_code == 1, result.output
    assert "content/posts/2026/slow.md:6: error: this text takes too long to render (more than 1 s)" in result.output
    assert "fine.md" not in result.output


def test_the_pre_commit_check_refuses_a_staged_body_too_slow_to_render(tmp_path, budget):
    from click.testing import CliRunner
    from knowledge_base import git
    from wol.cli import main
    root = _kb(tmp_path)
    (root / "content/posts/2026/slow.md").unlink()
    git(root, "add", "-A")
    git(root, "commit", "-qm", "without the slow post")
    (root / "content/posts/2026/slow.md").write_text(doc("Slow post", "bob", "2026-01-02", SLOW))
    (root / "content/posts/2026/other.md").write_text(doc("Other post", "bob", "2026-01-03", "Fine."))
    git(root, "add", "-A")
    result = CliRunner().invoke(main, ["-C", str(root), "check", "--staged"])
    assert result.exit_code == 1, result.output
    assert "content/posts/2026/slow.md:6: error: this text takes too long to render" in result.output
    assert "other.md" not in result.output


def test_a_slow_body_that_appears_later_is_skipped_by_the_live_reader_and_the_rest_goes_on(tmp_path, budget):
    from wol.knowledge import Knowledge
    root = _kb(tmp_path)
    slow = root / "content/posts/2026/slow.md"
    slow.write_text(doc("Slow post", "bob", "2026-01-02", "Fine for now."))
    knowledge = Knowledge(load_settings(root))
    assert "posts/2026/slow" in knowledge.graph.documents
    slow.write_text(doc("Slow post", "bob", "2026-01-02", SLOW))  # a `git pull`, or an edit on disk
    (root / "content/posts/2026/fine.md").write_text(doc("Fine post", "alice", "2026-01-01", "Edited *text*."))
    knowledge.touch([slow, root / "content/posts/2026/fine.md"])
    graph = knowledge.graph
    assert "posts/2026/slow" not in graph.documents
    assert "too long to render" in graph.skipped["content/posts/2026/slow.md"]
    assert "Edited" in graph.documents["posts/2026/fine"].body
