"""Writes when the repository has an `origin`: pull before, push after, and someone pushing in between.

"In between" is made real with a post-commit hook in the server's clone: right
after the server commits, and before it pushes, the hook pushes a commit from a
second clone to origin (once).
The app runs in process; the two tests of what `wol serve` decides at start-up run it for real.
"""

from __future__ import annotations

import pytest

from editor_server import make_kb, tree_is_clean
from knowledge_base import git

pytestmark = pytest.mark.slow


@pytest.fixture
def clones(tmp_path):
    """(origin, the server's clone, another person's clone), all real repositories."""
    seed = make_kb(tmp_path / "seed")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(seed, "push", "-q", str(origin), "main")
    clones = []
    for name, email in (("server", "alice@example.com"), ("other", "bob@example.com")):
        git(tmp_path, "clone", "-q", str(origin), name)
        git(tmp_path / name, "config", "user.email", email)
        git(tmp_path / name, "config", "user.name", name)
        clones.append(tmp_path / name)
    return origin, clones[0], clones[1]


def push_meanwhile(server, other, script: str) -> None:
    """After the server's next commit, before its push: run script in the other clone, commit, push to origin."""
    guard = server.parent / "pushed-meanwhile"
    hook = server / ".git" / "hooks" / "post-commit"
    hook.write_text(f"""#!/bin/sh
[ -e "{guard}" ] && exit 0
touch "{guard}"
unset $(git rev-parse --local-env-vars)
cd "{other}" || exit 1
{script}
git add -A
git commit -q -m "Meanwhile, elsewhere" --no-verify
git push -q origin main
""", encoding="utf-8")
    hook.chmod(0o755)


def origin_file(origin, path: str) -> str:
    return git(origin, "show", f"main:{path}")


def test_without_push_a_write_stays_here_and_the_editor_says_so(clones, serve):
    """End to end: a laptop's clone never pushes a click to origin unless asked."""
    origin, server, _ = clones
    before = git(origin, "rev-parse", "main")
    running = serve(server)
    assert "not pushed" in running.output()
    client = running.client.as_("alice")
    answer = client.post("api/documents", {"kind": "post", "title": "Local", "body": "Stays here."})
    assert answer.status == 201, answer.text
    assert git(origin, "rev-parse", "main") == before
    assert "Saved here only" in client.get("edit/post").text


def test_a_write_is_pushed_to_origin(clones, serve):
    """End to end: `wol serve --push` decides at start-up that it may push to this origin."""
    origin, server, _ = clones
    client = serve(server, push=True).client.as_("alice")
    answer = client.post("api/documents", {"kind": "post", "title": "Pushed", "body": "To origin."})
    assert answer.status == 201, answer.text
    assert "To origin." in origin_file(origin, "content/posts/2026/pushed.md")
    assert git(origin, "rev-parse", "main") == git(server, "rev-parse", "HEAD")


def test_a_write_before_which_origin_moved_is_pulled_first(clones, editor):
    origin, server, other = clones
    client = editor(server).client.as_("alice")
    (other / "content/posts/2026/kafka-retention.md").write_text(
        (other / "content/posts/2026/kafka-retention.md").read_text() + "\nAn update from Bob.\n")
    git(other, "commit", "-qam", "Bob's update", "--no-verify")
    git(other, "push", "-q", "origin", "main")
    answer = client.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert answer.status == 200, answer.text
    assert "An update from Bob." in (server / "content/posts/2026/kafka-retention.md").read_text()
    assert git(origin, "log", "-1", "--format=%s", "main").strip() == "Vote: posts/2026/kafka-retention was useful"


def test_a_push_rejected_by_an_unrelated_change_is_rebased_and_pushed(clones, editor):
    origin, server, other = clones
    client = editor(server).client.as_("alice")
    push_meanwhile(server, other, 'echo "Edited elsewhere." >> content/posts/2026/note-1.md')
    answer = client.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert answer.status == 200, answer.text
    subjects = git(origin, "log", "--format=%s", "main").splitlines()
    assert subjects[:2] == ["Vote: posts/2026/kafka-retention was useful", "Meanwhile, elsewhere"]
    assert "Edited elsewhere." in origin_file(origin, "content/posts/2026/note-1.md")
    assert tree_is_clean(server)


def test_a_vote_conflicting_with_one_pushed_meanwhile_is_made_again_on_top(clones, editor):
    origin, server, other = clones
    client = editor(server).client.as_("alice")
    # The same person voted from their laptop at the same moment: the same votes file, both created.
    push_meanwhile(server, other, 'mkdir -p content/votes && echo "posts/2026/note-2" > content/votes/alice.txt')
    answer = client.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert answer.status == 200, answer.text
    votes = origin_file(origin, "content/votes/alice.txt")
    assert "posts/2026/note-2" in votes and "posts/2026/kafka-retention" in votes
    subjects = git(origin, "log", "--format=%s", "main").splitlines()
    assert subjects.count("Vote: posts/2026/kafka-retention was useful") == 1
    assert tree_is_clean(server)
    git(server, "fsck", "--strict")


def test_an_edit_conflicting_with_one_pushed_meanwhile_returns_409_with_the_text(clones, editor):
    origin, server, other = clones
    client = editor(server).client.as_("bob")
    push_meanwhile(server, other, "sed -i 's/How long/For how long/' content/posts/2026/kafka-retention.md")
    answer = client.put("api/documents/posts/2026/kafka-retention", {"title": "Kafka retention",
                                                                     "body": "My rewrite of the post."})
    assert answer.status == 409, answer.text
    assert answer.json()["text"] == "My rewrite of the post."
    assert "changed by someone else" in answer.json()["error"]
    assert "For how long" in origin_file(origin, "content/posts/2026/kafka-retention.md")
    assert "For how long" in (server / "content/posts/2026/kafka-retention.md").read_text()
    assert tree_is_clean(server)
    assert git(origin, "rev-parse", "main") == git(server, "rev-parse", "HEAD")


def test_with_an_origin_it_may_not_push_to_writes_are_committed_here(repo, serve):
    """End to end: what `wol serve` says at start-up, then a write that is committed only here."""
    git(repo, "remote", "add", "origin", str(repo.parent / "no-such-origin.git"))
    server = serve(repo, push=True)
    assert "cannot push to origin" in server.output()
    answer = server.client.as_("alice").post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert answer.status == 200, answer.text
    assert git(repo, "log", "-1", "--format=%s").strip() == "Vote: posts/2026/kafka-retention was useful"
    assert tree_is_clean(repo)
