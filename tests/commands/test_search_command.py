"""`wol search` as a process: a current index answers without reading content/, and a long indexing
reports its progress on stderr."""

from __future__ import annotations

from click.testing import CliRunner

from knowledge_base import doc, write_kb
from wol.cli import main
from wol.commands.search import progress_printer


def search(root, *words):
    return CliRunner().invoke(main, ["-C", str(root), "search", *words])


def test_a_current_index_answers_without_reading_content(tmp_path, monkeypatch):
    import wol.knowledge
    root = write_kb(tmp_path / "kb", {"posts/f.md": doc("Forklift licence", "alice", "2026-01-01", "renew it")})
    assert "Forklift licence" in search(root, "forklift").output  # indexes, once

    def unread(settings):
        raise AssertionError("content/ was read although the index is current")
    monkeypatch.setattr(wol.knowledge, "load_graph", unread)
    result = search(root, "forklift")
    assert result.exit_code == 0, result.output
    assert "Forklift licence" in result.output


def test_an_edit_on_disk_is_found_by_the_next_search(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/f.md": doc("Forklift licence", "alice", "2026-01-01", "renew it")})
    assert "Forklift licence" in search(root, "forklift").output
    (root / "content/posts/f.md").write_text(doc("Pallet jack licence", "alice", "2026-01-01", "renew it"))
    assert "Pallet jack licence" in search(root, "pallet").output
    assert "Nothing published matches" in search(root, "forklift").output
    (root / "content/posts/f.md").unlink()
    assert "Nothing published matches" in search(root, "pallet").output


def test_a_topic_filter_uses_the_aliases_the_index_kept(tmp_path):
    root = write_kb(tmp_path / "kb", {"topics/kubernetes.md": "---\naliases: [k8s]\n---\n\nClusters.\n",
                                      "posts/c.md": doc("Cluster upgrade", "alice", "2026-01-01", "#k8s upgrade")})
    assert "Cluster upgrade" in search(root, "upgrade", "--topic", "k8s").output
    assert "Cluster upgrade" in search(root, "upgrade", "--topic", "k8s").output  # from the current index


def test_a_long_indexing_announces_itself_reports_progress_and_its_time(tmp_path, monkeypatch):
    import wol.engines.search.index as index
    monkeypatch.setattr(index, "NOTIFY_FROM", 5)
    monkeypatch.setattr(index, "PROGRESS_EVERY", 4)
    posts = {f"posts/p{i}.md": doc(f"Post {i}", "alice", "2026-01-01", "forklift") for i in range(12)}
    root = write_kb(tmp_path / "kb", posts)
    said = []
    from wol.commands.search import search_repository
    from wol.settings import load_settings
    search_repository(load_settings(root), "forklift", notify=lambda message, final: said.append((message, final)))
    messages = [m for m, _ in said]
    assert messages[0].startswith("wol: indexing 15 documents for search (once")  # 12 posts and 3 people
    assert any("indexed 4 of 15 documents (26%), about" in m and m.endswith(" s left") for m in messages)
    assert said[-1][1] and said[-1][0].startswith("wol: search index ready in ")
    assert [final for _, final in said].count(True) == 1
    result = search(root, "forklift")  # current now: nothing to say
    assert "wol: indexing" not in result.output


def test_progress_replaces_itself_on_a_terminal_and_prints_only_start_and_end_elsewhere():
    lines, text = [], []
    log = progress_printer(lines.append, is_terminal=False)
    term = progress_printer(text.append, is_terminal=True)
    start, step, end = ("wol: indexing 9000 documents", "wol: indexed 500 of 9000 documents (5%), about 12 s left",
                        "wol: search index ready in 14.0 s")
    for notify in (log, term):
        notify(start, False)
        notify(step, False)
        notify(end, True)
    assert lines == [start + "\n", end + "\n"]
    assert "".join(text) == "\r" + start + "\r" + step + "\r" + end + " " * (len(step) - len(end)) + "\n"
