"""`wol vote` records one commit by the Git user; `wol new` writes valid files, never overwriting."""

from click.testing import CliRunner
from knowledge_base import doc, git

from wol.cli import main
from wol.knowledge import load_graph
from wol.settings import load_settings


def run(root, *args):
    return CliRunner().invoke(main, ["-C", str(root), *args])


def test_vote_is_one_commit_by_the_git_user(kb):
    root = kb({"posts/b.md": doc("B", "bob", "2026-01-01", "useful stuff")})
    result = run(root, "vote", "posts/b")
    assert result.exit_code == 0, result.output
    assert "Recorded your vote for posts/b" in result.output
    assert git(root, "log", "-1", "--format=%an <%ae>|%s").strip() == "Alice Martin <alice@example.com>|Vote: posts/b was useful"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["content/votes/alice.txt"]
    assert load_graph(load_settings(root)).useful["posts/b"] == 1
    assert git(root, "status", "--porcelain") == ""


def test_vote_undo_withdraws_it(kb):
    root = kb({"posts/b.md": doc("B", "bob", "2026-01-01", "x"), "votes/alice.txt": "# mine\n2026-01-02 posts/b\n"})
    result = run(root, "vote", "posts/b", "--undo")
    assert result.exit_code == 0, result.output
    assert (root / "content/votes/alice.txt").read_text() == "# mine\n"
    assert load_graph(load_settings(root)).useful["posts/b"] == 0


def test_vote_refusals_exit_one_with_a_clear_message(kb):
    root = kb({"posts/own.md": doc("Own", "alice", "2026-01-01", "x"), "posts/b.md": doc("B", "bob", "2026-01-01", "x")})
    head = git(root, "rev-parse", "HEAD")
    for target, message in [("posts/nope", "is not a published document"), ("posts/own", "is your own post")]:
        result = run(root, "vote", target)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert run(root, "vote", "posts/b").exit_code == 0
    again = run(root, "vote", "posts/b")
    assert again.exit_code == 1 and "your vote counts once" in again.output
    git(root, "config", "user.email", "stranger@example.com")
    result = run(root, "vote", "posts/b")
    assert result.exit_code == 1 and "no profile has the email stranger@example.com" in result.output
    assert git(root, "rev-list", "--count", f"{head.strip()}..HEAD").strip() == "1"


def test_new_post_is_valid_and_never_overwrites(kb):
    root = kb({})
    first = run(root, "new", "post", "--title", "Deploying on Fridays!", "--no-edit")
    second = run(root, "new", "post", "--title", "Deploying on Fridays!", "--no-edit")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    paths = sorted(p.name for p in (root / "content/posts").rglob("*.md"))
    assert paths == ["deploying-on-fridays-2.md", "deploying-on-fridays.md"]
    assert run(root, "check").exit_code == 0
    docs = load_graph(load_settings(root)).documents
    assert {d.author for d in docs.values()} == {"alice"}


def test_new_question_answer_and_profile(kb):
    root = kb({}, people={"alice": ("Alice Martin", "platform")})
    assert run(root, "new", "question", "--title", "How do I reset my VPN token?", "--no-edit").exit_code == 0
    assert (root / "content/questions/how-do-i-reset-my-vpn-token/index.md").exists()
    result = run(root, "new", "answer", "how-do-i-reset-my-vpn-token", "--no-edit")
    assert result.exit_code == 0, result.output
    assert (root / "content/questions/how-do-i-reset-my-vpn-token/answers/alice.md").exists()
    missing = run(root, "new", "answer", "no-such-question", "--no-edit")
    assert missing.exit_code == 1 and "no published question" in missing.output
    git(root, "config", "user.email", "dana.lee@example.com")
    git(root, "config", "user.name", "Dana Lee")
    assert run(root, "new", "profile", "--no-edit").exit_code == 0
    assert "name: Dana Lee" in (root / "content/people/dana.lee.md").read_text()
    again = run(root, "new", "profile", "--no-edit")
    assert again.exit_code == 1 and "already exists" in again.output
    assert run(root, "check").exit_code == 0


def test_new_templates_add_no_topic_and_no_warning(kb):
    root = kb({})
    assert run(root, "new", "post", "--title", "Plain", "--no-edit").exit_code == 0
    assert run(root, "new", "question", "--title", "Plain?", "--no-edit").exit_code == 0
    result = run(root, "check")
    assert "0 error(s), 0 warning(s)" in result.output
    assert load_graph(load_settings(root)).topics == {}


def test_new_in_a_terminal_without_editor_prints_the_path_instead_of_starting_vi(kb):
    import os
    import subprocess
    import sys
    root = kb({})
    leader, follower = os.openpty()  # a real terminal, as a newcomer has
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    process = subprocess.run([sys.executable, "-m", "wol", "-C", str(root), "new", "post", "--title", "Hello"],
                             stdin=follower, stdout=follower, stderr=follower, env=env, timeout=60)
    os.close(follower)
    output = os.read(leader, 65536).decode()
    os.close(leader)
    assert process.returncode == 0 and "Created content/posts/" in output and "set EDITOR" in output


def test_new_reply_is_written_beside_what_it_answers(kb):
    root = kb({"posts/2026/a.md": doc("A", "bob", "2026-01-01", "hi"),
               "questions/q/index.md": doc("Q?", "bob", "2026-01-01", "why"),
               "questions/q/answers/bob.md": doc(None, "bob", "2026-01-02", "because")})
    made = []
    for target in ("posts/2026/a", "/questions/q/", "questions/q/#bob", "questions/q/answers/bob"):
        result = run(root, "new", "reply", target, "--no-edit")
        assert result.exit_code == 0, result.output
        made.append(result.output.split("Created ", 1)[1].strip())
    folders = [m.rsplit("/", 1)[0] for m in made]
    assert folders == ["content/posts/2026/a.replies", "content/questions/q/replies",
                       "content/questions/q/answers/bob.replies", "content/questions/q/answers/bob.replies"]
    assert made[3].endswith("-alice-2.md")  # a second reply the same day never overwrites the first
    assert "author: alice" in (root / made[0]).read_text()
    assert "0 error(s), 0 warning(s)" in run(root, "check").output
    missing = run(root, "new", "reply", "posts/2026/nothing", "--no-edit")
    assert missing.exit_code == 1 and "no published post, question or answer" in missing.output
    assert "say what to reply to" in run(root, "new", "reply", "--no-edit").output
