"""Git access: what the live server learns about origin before it writes."""

from knowledge_base import git

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

