"""`wol check`, its staged mode, and the pre-commit hook refusing a broken commit."""

import json
import subprocess

import pytest

from click.testing import CliRunner
from knowledge_base import doc, git, write_kb

from wol.cli import main
from wol.settings import load_settings


def run(root, *args):
    return CliRunner().invoke(main, ["-C", str(root), *args])


def test_clean_content_exits_zero(kb):
    root = kb({"posts/a.md": doc("A", "alice", "2026-01-01", "hi @bob #x")})
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_warnings_only_exit_zero_errors_exit_one(kb):
    root = kb({"posts/a.md": doc("A", "alice", "2026-01-01", "hi @nobody")})
    result = run(root, "check")
    assert result.exit_code == 0
    assert "content/posts/a.md:7: warning: @nobody is nobody's handle" in result.output
    (root / "content/posts/b.md").write_text(doc("B", "zed", "2026-01-01", "x"))
    result = run(root, "check")
    assert result.exit_code == 1
    assert "content/posts/b.md:3: error: the author `zed` has no profile" in result.output


def test_every_error_the_issue_lists_is_reported(kb):
    root = kb({
        "posts/yaml.md": "---\ntitle: [oops\nauthor: alice\n---\n",
        "posts/list.md": "---\n- a\n---\n",
        "posts/missing.md": "---\ntitle: T\nauthor: alice\n---\n",
        "posts/date.md": doc("T", "alice", "yesterday"),
        "posts/utf.md": b"---\ntitle: \xff\n---\n",
        "questions/q/index.md": doc("Q", "alice", "2026-01-01", extra="accepted: nobody\n"),
        "answers/stray.md": doc(None, "alice", "2026-01-01"),
        "topics/a.md": "---\naliases: [dup]\nfacilitators: [ghost]\n---\n",
        "topics/b.md": "---\naliases: [dup]\n---\n",
    })
    result = run(root, "check", "--json")
    assert result.exit_code == 1
    found = {(p["path"], p["code"]) for p in json.loads(result.output.split("\n0 error")[0] if False else result.stdout)}
    assert found >= {
        ("content/posts/yaml.md", "yaml-syntax"),
        ("content/posts/list.md", "front-matter-not-mapping"),
        ("content/posts/missing.md", "field-missing"),
        ("content/posts/date.md", "field-invalid"),
        ("content/posts/utf.md", "not-utf8"),
        ("content/questions/q/index.md", "accepted-unknown"),
        ("content/answers/stray.md", "answer-outside-question"),
        ("content/topics/b.md", "alias-duplicate"),
        ("content/topics/a.md", "facilitator-unknown"),
    }
    items = json.loads(result.stdout)
    assert all(set(i) == {"path", "line", "severity", "code", "message"} for i in items)


def test_staged_checks_what_the_commit_would_contain(kb):
    root = kb({"posts/a.md": doc("A", "alice", "2026-01-01", "fine")})
    bad = root / "content/posts/bad.md"
    bad.write_text(doc("Bad", "nobody", "2026-01-01", "x"))
    assert run(root, "check", "--staged").exit_code == 0  # not staged yet
    git(root, "add", str(bad))
    bad.write_text(doc("Bad", "alice", "2026-01-01", "fixed on disk but not staged"))
    result = run(root, "check", "--staged")
    assert result.exit_code == 1
    assert "content/posts/bad.md:3: error: the author `nobody` has no profile" in result.output


def test_staged_answer_uses_the_repository_for_context(kb):
    root = kb({"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?")})
    answer = root / "content/questions/q/answers/alice.md"
    answer.parent.mkdir(parents=True)
    answer.write_text(doc(None, "alice", "2026-01-02", "answer"))
    git(root, "add", str(answer))
    assert run(root, "check", "--staged").exit_code == 0


def test_accept_by_someone_else_warns(kb):
    root = kb({"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?"),
               "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "a")})
    q = root / "content/questions/q/index.md"
    q.write_text(doc("Q?", "bob", "2026-01-01", "?", extra="accepted: alice\n"))
    git(root, "commit", "-qam", "accept", "--no-verify")  # committed as alice@example.com
    result = run(root, "check")
    assert "warning: only the asker (@bob) may accept an answer" in result.output
    assert result.exit_code == 0


def test_pre_commit_hook_refuses_a_broken_post(kb):
    root = kb({})
    assert run(root, "hooks", "install").exit_code == 0
    post = root / "content/posts/broken.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text("---\ntitle: Broken\nauthor: alice\n---\nno date\n")
    git(root, "add", str(post))
    proc = subprocess.run(["git", "commit", "-m", "broken"], cwd=root, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "content/posts/broken.md:2: error: the required field `date` is missing" in proc.stdout + proc.stderr
    post.write_text(doc("Fixed", "alice", "2026-01-01", "now fine"))
    git(root, "add", str(post))
    proc = subprocess.run(["git", "commit", "-m", "fixed"], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_missing_mkdocs_yml_is_a_clear_error(tmp_path):
    result = run(tmp_path, "check")
    assert result.exit_code == 1
    assert "mkdocs.yml: not found" in result.output
    assert "Traceback" not in result.output


def test_demo_content_checks_without_errors(demo_root):
    result = run(demo_root, "check")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_links_leaving_the_repository_and_special_files_are_refused_not_read(tmp_path):
    import os
    from wol.knowledge import Knowledge
    outside = tmp_path / "secret.md"
    outside.write_text(doc("Secret", "alice", "2026-01-01", "Payroll of everyone."), encoding="utf-8")
    root = write_kb(tmp_path / "kb", {"posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok")}, use_git=False)
    posts = root / "content/posts"
    (posts / "leak.md").symlink_to(outside)
    (posts / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(posts / "pipe.md")
    (posts / "inside.md").symlink_to(posts / "ok.md")  # a link that stays inside is read as usual
    result = CliRunner().invoke(main, ["-C", str(root), "check", "--json"])
    found = {(p["path"], p["code"]) for p in json.loads(result.output)}
    assert {("content/posts/leak.md", "file-link-outside"), ("content/posts/zero.md", "file-link-outside"),
            ("content/posts/pipe.md", "file-special")} <= found
    graph = Knowledge(load_settings(root)).graph
    assert "posts/leak" not in graph.documents and "posts/inside" in graph.documents


def test_check_reports_an_orphaned_reply_and_one_by_an_unknown_author(kb):
    root = kb({
        "posts/a.md": doc("A", "alice", "2026-01-01", "hi"),
        "posts/a.replies/2026-01-02-bob.md": doc(None, "bob", "2026-01-02", "Thanks @alice"),
        "posts/gone.replies/2026-01-02-bob.md": doc(None, "bob", "2026-01-02", "Hello?"),
        "questions/q/answers/x.replies/2026-01-02-zed.md": doc(None, "zed", "2026-01-02", "Hi"),
    })
    result = run(root, "check")
    assert result.exit_code == 1
    assert ("content/posts/gone.replies/2026-01-02-bob.md:1: error: replies to `posts/gone`, which does not exist"
            in result.output)
    assert ("content/questions/q/answers/x.replies/2026-01-02-zed.md:2: error: the author `zed` has no profile"
            in result.output)
    assert "posts/a.replies" not in result.output
    assert "2 error(s), 0 warning(s)" in result.output


def test_check_names_the_line_of_a_link_to_a_missing_or_refused_file(kb):
    from attachments_data import png
    root = kb({
        "posts/a.md": doc("A", "alice", "2026-01-01", "Intro.\n\n![ok](a.files/ok.png)\n\n![gone](a.files/gone.png)\n\n"
                          "[fake](a.files/fake.pdf) and [out](../../../secret.pdf)"),
        "posts/a.files/ok.png": png(),
        "posts/a.files/fake.pdf": b"<script>alert(1)</script>",
    })
    result = run(root, "check")
    assert result.exit_code == 1
    assert ("content/posts/a.md:11: error: links to content/posts/a.files/gone.png, which does not exist: "
            "add the file (with `git add`) or fix the link") in result.output
    assert "content/posts/a.md:13: error: links to content/posts/a.files/fake.pdf, whose content is not a .pdf" \
        in result.output
    assert "content/posts/a.md:13: error: links to `../secret.pdf`, outside content/" in result.output
    assert "ok.png" not in result.output


def test_a_file_over_the_size_limit_is_an_error_that_suggests_git_lfs(kb):
    from attachments_data import png
    root = kb({"posts/a.md": doc("A", "alice", "2026-01-01", "![big](a.files/big.png)"),
               "posts/a.files/big.png": png(1200, 900)})
    assert run(root, "check").exit_code == 0
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("wol:\n", "wol:\n  attachment_max_mb: 0.001\n"))
    result = run(root, "check")
    assert result.exit_code == 1
    assert "content/posts/a.files/big.png:0: error: is " in result.output
    assert "at most 1 KB (wol.attachment_max_mb) can be attached: make it smaller, or keep it with Git LFS" \
        in result.output
    config.write_text(config.read_text().replace("0.001", "many"))
    assert "wol.attachment_max_mb must be a positive number" in run(root, "check").output


# --- the pre-commit hook: what depends on the change (docs/speed.md) ---------------------------------

def commit_with_hook(root, message):
    """`git commit` through the installed hook: (refused?, what it printed)."""
    proc = subprocess.run(["git", "commit", "-qm", message], cwd=root, capture_output=True, text=True)
    return proc.returncode != 0, proc.stdout + proc.stderr


def hooked_kb(kb, files):
    root = kb(files)
    assert run(root, "hooks", "install").exit_code == 0
    return root


def test_hook_refuses_deleting_a_question_that_has_answers(kb):
    root = hooked_kb(kb, {"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?"),
                          "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "a")})
    git(root, "rm", "-q", "content/questions/q/index.md")
    refused, output = commit_with_hook(root, "drop the question")
    assert refused
    assert ("content/questions/q/answers/alice.md:1: error: answers a question that does not exist "
            "(questions/q/index.md)") in output


def test_hook_refuses_renaming_a_person_and_shows_their_broken_mentions(kb):
    root = hooked_kb(kb, {"posts/by-bob.md": doc("By Bob", "bob", "2026-01-01", "mine"),
                          "posts/thanks.md": doc("Thanks", "alice", "2026-01-01", "thanks @bob")})
    git(root, "mv", "content/people/bob.md", "content/people/robert.md")
    refused, output = commit_with_hook(root, "bob is robert now")
    assert refused
    assert "content/posts/by-bob.md:3: error: the author `bob` has no profile" in output
    assert "content/posts/thanks.md:7: warning: @bob is nobody's handle" in output


def test_hook_refuses_an_answer_to_a_question_that_is_not_there(kb):
    root = hooked_kb(kb, {"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?")})
    answer = root / "content/questions/other/answers/alice.md"
    answer.parent.mkdir(parents=True)
    answer.write_text(doc(None, "alice", "2026-01-02", "an answer"))
    git(root, "add", str(answer))
    refused, output = commit_with_hook(root, "answer")
    assert refused
    assert "content/questions/other/answers/alice.md:1: error: answers a question that does not exist" in output


def test_hook_lets_a_good_commit_through_despite_older_problems_elsewhere(kb):
    root = hooked_kb(kb, {"posts/old.md": doc("Old", "nobody", "2026-01-01", "committed with --no-verify")})
    post = root / "content/posts/new.md"
    post.write_text(doc("New", "alice", "2026-01-02", "fine"))
    git(root, "add", str(post))
    refused, output = commit_with_hook(root, "new post")
    assert not refused, output
    assert run(root, "check").exit_code == 1  # the old problem is still there for `wol check`


def test_hook_warns_a_voter_when_a_post_they_voted_for_becomes_their_own(kb):
    root = hooked_kb(kb, {"posts/p.md": doc("P", "alice", "2026-01-01", "p"), "votes/bob.txt": "posts/p\n"})
    (root / "content/posts/p.md").write_text(doc("P", "bob", "2026-01-01", "p, by bob after all"))
    git(root, "add", "content/posts/p.md")
    result = run(root, "check", "--staged")
    assert result.exit_code == 0
    assert "content/votes/bob.txt:1: warning: `posts/p` is your own post" in result.output


STAGED_CASES = {
    "post by nobody, mentioning nobody": {"posts/new.md": doc("N", "zed", "2026-01-02", "hi @ghost #t")},
    "answer without its question": {"questions/nope/answers/bob.md": doc(None, "bob", "2026-01-02", "a")},
    "a second answer": {"questions/q/answers/carol.md": doc(None, "carol", "2026-01-02", "ask @nobody")},
    "accepting a missing answer": {"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?",
                                                                extra="accepted: nobody\n")},
    "question made a draft": {"questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?", extra="draft: true\n")},
    "votes for oneself and nothing": {"votes/alice.txt": "posts/p\nposts/none\nquestions/q/answers/alice\n"},
    "post made a draft after votes": {"posts/p.md": doc("P", "alice", "2026-01-01", "p", extra="draft: true\n")},
    "reply to nothing": {"posts/gone.replies/r.md": doc(None, "bob", "2026-01-03", "re")},
    "reply to a post": {"posts/p.replies/r.md": doc(None, "bob", "2026-01-03", "re @nobody")},
    "link to a missing file": {"posts/p.md": doc("P", "alice", "2026-01-01", "see ![x](p.files/x.png)")},
    "broken front matter": {"posts/p.md": "---\ntitle: [oops\n---\n"},
}


@pytest.mark.parametrize("case", STAGED_CASES)
def test_staged_check_of_a_few_files_finds_what_a_whole_reading_finds(kb, monkeypatch, case):
    from wol import knowledge
    from wol.commands.check import check_staged
    root = kb({"posts/p.md": doc("P", "alice", "2026-01-01", "p"),
               "questions/q/index.md": doc("Q?", "bob", "2026-01-01", "?"),
               "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "a"),
               "votes/bob.txt": "posts/p\nquestions/q/answers/alice\n", "votes/carol.txt": "questions/q\n"})
    for rel, text in STAGED_CASES[case].items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        git(root, "add", str(path))
    settings = load_settings(root)
    assert not knowledge.read_staged(settings).whole
    few = check_staged(settings)
    monkeypatch.setattr(knowledge, "REACHES_ALL", ("",))  # every commit read as one that can reach any file
    assert knowledge.read_staged(settings).whole
    assert check_staged(settings) == few
    assert few, "each case has a problem to find"


def test_hook_says_what_to_do_when_its_python_lost_wol(kb, tmp_path):
    root = hooked_kb(kb, {})
    hook = root / ".git/hooks/pre-commit"
    fake = tmp_path / "python-without-wol"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    import os
    env = dict(os.environ, WOL_PYTHON=str(fake), PATH="/usr/bin:/bin")
    proc = subprocess.run([str(hook)], cwd=root, capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "wol pre-commit hook: wol is not installed here" in proc.stderr


def test_staged_check_of_a_wiki_in_a_folder_of_a_bigger_repository(tmp_path):
    root = write_kb(tmp_path / "outer" / "wiki", {"posts/a.md": doc("A", "alice", "2026-01-01", "fine")},
                    use_git=False)
    outer = tmp_path / "outer"
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "-c", "user.email=a@example.com", "-c", "user.name=A", "commit", "-qm", "init", "--no-verify")
    bad = root / "content/posts/bad.md"
    bad.write_text(doc("Bad", "nobody", "2026-01-01", "x"))
    git(outer, "add", "-A")
    result = run(root, "check", "--staged")
    assert result.exit_code == 1
    assert "content/posts/bad.md:3: error: the author `nobody` has no profile" in result.output
    git(outer, "rm", "-q", "--cached", str(bad))
    git(outer, "rm", "-q", str(root / "content/people/alice.md"))  # a deletion: everything is read
    result = run(root, "check", "--staged")
    assert "content/posts/a.md:3: error: the author `alice` has no profile" in result.output
