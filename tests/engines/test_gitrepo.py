"""Git access: what the live server learns about origin before it writes."""

from knowledge_base import doc, git, write_kb

from wol.engines.gitrepo import push_problem


def test_an_origin_working_copy_with_the_branch_checked_out_cannot_be_pushed_to(kb, tmp_path):
    origin = kb({})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert "working copy with main checked out" in push_problem(clone)
    git(origin, "checkout", "-q", "-b", "elsewhere")
    assert push_problem(clone) is None


def test_a_bare_origin_can_be_pushed_to(kb, tmp_path):
    origin = kb({})
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(origin), str(bare))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    assert push_problem(clone) is None


def test_a_checked_out_origin_that_moved_ahead_is_still_known_unpushable(kb, tmp_path):
    origin = kb({})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(origin, "commit", "-q", "--allow-empty", "-m", "ahead", "--no-verify")
    assert "working copy with main checked out" in push_problem(clone)


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
    _repair(root, said.append)
    assert said == ["wol: aborted a rebase left unfinished; the branch is as it was before it"]
    assert write_problem(root) is None and git(root, "rev-parse", "HEAD") == main_head
