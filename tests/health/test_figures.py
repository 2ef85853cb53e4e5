"""Every health figure, on a knowledge base whose answers are worked out by hand below."""

from __future__ import annotations

import subprocess

import pytest

from health.kb import commit_at, init_git, network, utc
from wol.settings import load_settings
from wol.commands.stats import load_health

NOW = utc("2026-03-20T00:00:00")

# alice (platform) writes most; bob (data); carol (support); dan (support) left in mid-February.
PEOPLE = {"alice": "platform", "bob": "data", "carol": "support", "dan": ("support", "left: 2026-02-15\n")}
POSTS = [
    ("alice", "2026-01-05", ["kafka"]),   # p1: voted by bob (dated 2026-01-06 in his file)
    ("alice", "2026-01-20", ["kafka"]),   # p2
    ("alice", "2026-02-10", []),          # p3: no topic
    ("bob", "2026-02-12", ["python"]),    # p4: voted by dan (dated 2026-02-13)
]
QUESTIONS = [
    # q1 by carol, answered by alice after 3 h and bob after 24 h; alice's answer accepted in a later commit
    ("carol", "2026-02-01T09:00:00Z", ["kafka"], [("alice", "2026-02-01T12:00:00Z"), ("bob", "2026-02-02T09:00:00Z")], None),
    ("bob", "2026-02-20", ["python"], [("carol", "2026-02-21")], None),   # q2: answered after 24 h
    ("carol", "2026-03-01", [], [], None),                                # q3: unanswered for 19 days
    ("alice", "2026-03-15", [], [], None),                                # q4: unanswered for 5 days
]
VOTES = {"bob": ["2026-01-06 posts/2026/p1"], "dan": ["2026-02-13 posts/2026/p4"]}


@pytest.fixture
def history_kb(write):
    """The knowledge base, committed on 2026-02-02; q1 accepted and carol's undated vote on 2026-02-03."""
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES, topics={"kafka": ["alice"]}))
    init_git(root)
    commit_at(root, "2026-02-02T10:00:00+00:00", "everything")
    q1 = root / "content/questions/q1/index.md"
    q1.write_text(q1.read_text().replace("tags: [kafka]\n", "tags: [kafka]\naccepted: alice\n"))
    (root / "content/votes/carol.txt").write_text("questions/q1/answers/alice\n")
    commit_at(root, "2026-02-03T09:00:00+00:00", "carol accepts alice's answer and finds it useful")
    return root


def health_of(root, **kwargs):
    return load_health(load_settings(root), now=NOW, **kwargs)


def test_document_counts_and_people(history_kb):
    f = health_of(history_kb).figures
    assert (f.documents, f.posts, f.questions, f.answers) == (11, 4, 4, 3)
    assert f.people == 3  # dan left before now


def test_monthly_participation_counts_writers_and_voters(history_kb):
    f = health_of(history_kb).figures
    months = {m.month: m for m in f.months}
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    assert (months["2026-01"].contributors, months["2026-01"].people) == (2, 4)  # alice wrote, bob voted
    assert (months["2026-02"].contributors, months["2026-02"].people) == (4, 4)  # dan voted before leaving
    assert (months["2026-03"].contributors, months["2026-03"].people) == (2, 3)  # carol and alice asked
    assert months["2026-02"].votes == 2  # dan's dated vote, and carol's undated one placed by Git
    assert months["2026-02"].documents == 7
    assert f.contributor_share == pytest.approx(2 / 3)  # median of 1/2, 1, 2/3


def test_concentration_is_the_share_written_by_the_most_active_tenth(history_kb):
    f = health_of(history_kb).figures
    assert f.contributors == 3 and f.top_contributors == 1
    assert f.top_share == pytest.approx(5 / 11)  # alice: 3 posts, 1 question, 1 answer
    assert dict(f.concentration)[50] == pytest.approx(8 / 11)  # ceil(1.5) = 2 people: alice and bob
    assert dict(f.concentration)[100] == pytest.approx(1.0)


def test_answer_rate_and_median_time_to_first_answer(history_kb):
    f = health_of(history_kb).figures
    assert (f.answered, f.answer_rate) == (2, 0.5)
    assert f.first_answer_hours == pytest.approx(13.5)  # median of 3 h and 24 h
    assert dict(f.answer_times) == {"under 1 hour": 0, "under 1 day": 1, "1–3 days": 1, "3–7 days": 0,
                                    "1–2 weeks": 0, "over 2 weeks": 0}


def test_time_to_solution_comes_from_the_commit_that_set_accepted(history_kb):
    f = health_of(history_kb).figures
    assert f.solved == 1 and f.solutions_from_git == 1
    assert f.solution_hours == pytest.approx(48.0)  # 2026-02-01 09:00 → commit of 2026-02-03 09:00
    assert f.history == "full"


def test_without_history_solution_falls_back_to_the_accepted_answers_date(write):
    files = network(PEOPLE, POSTS, QUESTIONS, VOTES)
    files["questions/q1/index.md"] = files["questions/q1/index.md"].replace("tags: [kafka]\n", "tags: [kafka]\naccepted: alice\n")
    files["votes/carol.txt"] = "questions/q1/answers/alice\n"
    health = health_of(write(files))
    f = health.figures
    assert f.history == "none" and f.solutions_from_git == 0
    assert f.solution_hours == pytest.approx(3.0)
    assert {m.month: m.votes for m in f.months}["2026-02"] == 1  # carol's undated vote has no month
    assert "no Git history" in f.history_note


def test_a_shallow_clone_is_named_and_not_trusted(history_kb, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_kb}", str(clone)], check=True)
    f = health_of(clone).figures
    assert f.history == "shallow"
    assert f.solution_hours == pytest.approx(3.0)
    assert "shallow clone" in f.history_note and "git fetch --unshallow" in f.history_note


def test_a_question_committed_already_solved_is_timed_by_its_answer(write):
    """An import commits questions with `accepted` set: Git cannot say when they were solved."""
    files = network(PEOPLE, POSTS, QUESTIONS, VOTES)
    files["questions/q1/index.md"] = files["questions/q1/index.md"].replace("tags: [kafka]\n", "tags: [kafka]\naccepted: alice\n")
    root = init_git(write(files))
    commit_at(root, "2026-03-01T00:00:00+00:00", "import")
    f = health_of(root).figures
    assert f.solutions_from_git == 0 and f.solution_hours == pytest.approx(3.0)


def test_unanswered_questions_older_than_two_weeks(history_kb):
    assert health_of(history_kb).figures.unanswered_old == ["questions/q3"]


def test_cross_team_help_counts_answers_to_another_team(history_kb):
    f = health_of(history_kb).figures
    assert (f.cross_team_answers, f.team_answers, f.cross_team_share) == (3, 3, 1.0)
    # teams of fewer than three people are shown together, so nobody's own help stands out
    assert f.teams == {"smaller teams": {"given": 3, "received": 3}}


def test_cross_team_help_per_team_of_three_or_more(write):
    people = {h: "platform" for h in ("a1", "a2", "a3")} | {h: "data" for h in ("b1", "b2", "b3")} | {"c1": "support"}
    questions = [("a1", "2026-02-01", [], [("b1", "2026-02-02"), ("c1", "2026-02-02")], None),
                 ("b2", "2026-02-03", [], [("a2", "2026-02-04")], None)]
    f = health_of(write(network(people, [], questions))).figures
    assert f.teams == {"data": {"given": 1, "received": 1}, "platform": {"given": 1, "received": 2},
                       "smaller teams": {"given": 1, "received": 0}}


def test_answers_inside_a_team_are_not_cross_team(write):
    people = {"alice": "platform", "bob": "platform", "carol": "data"}
    questions = [("alice", "2026-02-01", [], [("bob", "2026-02-02"), ("carol", "2026-02-02")], None)]
    f = health_of(write(network(people, [], questions))).figures
    assert (f.cross_team_answers, f.team_answers) == (1, 2)


def test_documents_without_topic_and_topics_without_facilitator(history_kb):
    f = health_of(history_kb).figures
    assert f.no_topic == 3 and f.no_topic_share == pytest.approx(3 / 11)  # p3, q3, q4 (answers inherit)
    assert f.topics == 2 and f.topics_without_facilitator == ["python"]


def test_usefulness_per_document(history_kb):
    f = health_of(history_kb).figures
    assert f.votes == 3
    assert f.useful_per_document == pytest.approx(3 / 11)
    assert f.voted_share == pytest.approx(3 / 11)


def test_since_limits_every_figure_to_later_documents(history_kb):
    f = health_of(history_kb, since=utc("2026-02-01T00:00:00")).figures
    assert f.documents == 9 and f.since.startswith("2026-02-01")
    assert [m.month for m in f.months] == ["2026-02", "2026-03"]
    assert f.top_share == pytest.approx(3 / 9)  # alice: p3, q4 and her answer; bob and carol 3 each


ACCESS_LOG = """\
10.0.0.1 - - [10/Mar/2026:10:00:00 +0000] "GET /posts/2026/p1/ HTTP/1.1" 200 512 "-" "Mozilla/5.0"
10.0.0.2 - - [10/Mar/2026:10:01:00 +0000] "GET /posts/2026/p1/index.html HTTP/1.1" 304 0 "-" "Mozilla/5.0"
10.0.0.3 - - [10/Mar/2026:10:02:00 +0000] "GET /posts/2026/p1?utm=x HTTP/1.1" 200 512 "https://wiki/" "curl/8"
10.0.0.4 - - [10/Mar/2026:10:03:00 +0000] "GET /questions/q1/ HTTP/1.1" 200 800
10.0.0.5 - - [10/Mar/2026:10:04:00 +0000] "POST /posts/2026/p1/ HTTP/1.1" 200 10 "-" "x"
10.0.0.6 - - [10/Mar/2026:10:05:00 +0000] "GET /posts/2026/p2/ HTTP/1.1" 404 10 "-" "x"
10.0.0.7 - - [10/Mar/2026:10:06:00 +0000] "GET /topics/kafka/ HTTP/1.1" 200 10 "-" "x"
this is not a log line
10.0.0.8 - - [01/Jan/2026:10:06:00 +0000] "GET /posts/2026/p2/ HTTP/1.1" 200 10 "-" "x"
10.0.0.9 - - [15/Jan/2026:10:06:00 +0000] "GET /questions/q1/ HTTP/1.1" 200 10 "-" "x"
"""


def test_reads_from_a_combined_or_common_access_log(history_kb, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(ACCESS_LOG)
    health = health_of(history_kb, access_log=log)
    f = health.figures
    assert f.reads == 6  # p1 three times (200, 304, no slash), q1 twice (once in common format), p2 once
    assert f.reads_per_document == pytest.approx(6 / 8)  # over the 8 pages: 4 posts, 4 questions
    assert f.votes_per_read == pytest.approx(3 / 6)
    assert [(p.path, p.line) for p in health.problems] == [(str(log), 8)]


def test_reads_before_since_do_not_count(history_kb, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(ACCESS_LOG)
    f = health_of(history_kb, access_log=log, since=utc("2026-02-01T00:00:00")).figures
    assert f.reads == 1  # q1's read in March; its January read is before the window, p1 and p2 are outside it


def test_a_later_process_reads_the_history_git_gave_at_the_same_commit_and_not_after_a_new_one(
        history_kb, monkeypatch):
    from wol.engines import gitrepo
    first = health_of(history_kb).figures  # reads Git, keeps what it read in .wol-cache
    asked = []
    blame = gitrepo.line_dates
    monkeypatch.setattr(gitrepo, "line_dates", lambda *a, **k: asked.append(1) or blame(*a, **k))
    again = health_of(history_kb).figures  # a new process: the same HEAD, so Git is not asked
    assert asked == [] and again == first
    q4 = history_kb / "content/questions/q4/index.md"
    q4.write_text(q4.read_text() + "\nStill open.\n")
    commit_at(history_kb, "2026-03-16T09:00:00+00:00", "a new commit")
    health_of(history_kb)
    assert asked == [1]  # another HEAD: read from Git again
