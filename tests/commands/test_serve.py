"""`wol serve` starts only where it can work: a Git repository fit for writes, on a free port."""

from knowledge_base import doc, git, write_kb
from wol.settings import load_settings


def test_serve_start_aborts_a_rebase_left_unfinished_and_says_so(tmp_path):
    import subprocess
    from wol.commands.serve import _repair
    from wol.engines.gitrepo import write_problem
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    git(root, "switch", "-q", "-c", "other")
    (root / "content/posts/a.md").write_text(doc("A", "alice", "2026-01-01", "two"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "two", "--no-verify")
    git(root, "switch", "-q", "main")
    (root / "content/posts/a.md").write_text(doc("A", "alice", "2026-01-01", "three"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "three", "--no-verify")
    main_head = git(root, "rev-parse", "HEAD")
    assert subprocess.run(["git", "rebase", "other"], cwd=root, capture_output=True).returncode != 0  # a conflict
    assert "rebase is unfinished" in write_problem(root)
    said = []
    _repair(load_settings(root), said.append)
    assert said == ["wol: aborted a rebase left unfinished; the branch is as it was before it"]
    assert write_problem(root) is None and git(root, "rev-parse", "HEAD") == main_head


def test_serve_on_a_port_in_use_says_so_in_one_line_before_building(tmp_path):
    import socket
    from click.testing import CliRunner
    from wol.cli import main
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    taken = socket.create_server(("127.0.0.1", 0))
    try:
        result = CliRunner().invoke(main, ["-C", str(root), "serve", "--port", str(taken.getsockname()[1])])
    finally:
        taken.close()
    assert result.exit_code == 1 and "is in use" in result.output and "Traceback" not in result.output
    assert not (root / ".wol-cache/serve-site").exists()  # nothing was built


def test_serve_start_says_which_files_a_crash_left_uncommitted_and_keeps_them(tmp_path):
    from wol.commands.serve import _repair
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    left = root / "content/posts/half.md"
    left.write_text(doc("Half", "alice", "2026-01-02", "written, never committed"), encoding="utf-8")
    git(root, "add", "content/posts/half.md")  # killed between `git add` and `git commit`
    (root / "content/posts/.b.md.wol-tmp").write_text("half of an atomic write")
    said = []
    _repair(load_settings(root), said.append)
    assert len(said) == 1 and "content/posts/half.md" in said[0] and "not committed" in said[0]
    assert left.exists() and not (root / "content/posts/.b.md.wol-tmp").exists()
    assert git(root, "diff", "--cached", "--name-only").strip() == ""  # unstaged: no later commit takes it along


KILLED_BEFORE_COMMIT = r"""
import os, sys
from wol.commit import apply_change, one_file, Change
from wol.engines import gitrepo
from wol.knowledge import Knowledge
from wol.settings import load_settings
settings = load_settings(sys.argv[1])
content, graph = Knowledge(settings).current()
gitrepo.commit_paths = lambda *a, **k: os._exit(9)  # killed after the files are written, before the commit
change = Change({"posts/a.md": sys.argv[2], "posts/new.md": sys.argv[3]}, "two files")
apply_change(settings, content, graph, change, gitrepo.Identity("Alice", "alice@example.com"))
"""


def test_serve_start_undoes_a_write_killed_before_its_commit_and_keeps_its_text(tmp_path):
    import subprocess
    import sys
    from wol.commands.serve import _repair
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    before = (root / "content/posts/a.md").read_bytes()
    edited, new = doc("A", "alice", "2026-01-01", "two, never acknowledged"), doc("New", "alice", "2026-01-02", "new")
    run = subprocess.run([sys.executable, "-c", KILLED_BEFORE_COMMIT, str(root), edited, new], capture_output=True)
    assert run.returncode == 9, run.stderr
    assert "never acknowledged" in (root / "content/posts/a.md").read_text()  # what the crash left
    said = []
    _repair(load_settings(root), said.append)
    assert (root / "content/posts/a.md").read_bytes() == before and not (root / "content/posts/new.md").exists()
    assert git(root, "status", "--porcelain") == ""  # nothing uncommitted is left to be published
    assert len(said) == 2 and all("interrupted before its commit was undone" in line for line in said), said
    kept = sorted((root / ".wol-cache/recovered").rglob("*.md"))
    assert [p.name for p in kept] == ["a.md", "new.md"]  # nothing the person wrote is lost
    assert "never acknowledged" in next(p for p in kept if p.name == "a.md").read_text()
    assert "content/posts/a.md" in " ".join(said) and ".wol-cache/recovered/" in " ".join(said)


def test_a_committed_write_leaves_no_journal_and_start_repairs_nothing(tmp_path):
    from wol.commands.serve import _repair
    from wol.commit import apply_change, one_file
    from wol.engines import gitrepo
    from wol.knowledge import Knowledge
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    settings = load_settings(root)
    content, graph = Knowledge(settings).current()
    apply_change(settings, content, graph, one_file("posts/a.md", doc("A", "alice", "2026-01-01", "two"), "edit"),
                 gitrepo.Identity("Alice", "alice@example.com"))
    assert list((root / ".wol-cache/writes").glob("*")) == []
    said = []
    _repair(settings, said.append)
    assert said == [] and "two" in (root / "content/posts/a.md").read_text()
