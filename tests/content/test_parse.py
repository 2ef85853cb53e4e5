"""Reading one file: kinds and ids from paths, front matter validated with lines."""

from datetime import datetime, timezone

import pytest

from wol.content.load import parse_bytes
from wol.content.parse import parse_file, parse_votes


def codes(problems):
    return [(p.code, p.line, p.severity) for p in problems]


def test_post_id_comes_from_its_path():
    doc, problems = parse_file("posts/2026/deep/hello.md", "---\ntitle: Hello\nauthor: alice\ndate: 2026-03-01\n---\nHi #Kafka @Bob\n")
    assert problems == []
    assert (doc.id, doc.kind, doc.title, doc.author) == ("posts/2026/deep/hello", "post", "Hello", "alice")
    assert doc.date == datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert doc.hashtags == ["kafka"] and doc.mentions == ["bob"]
    assert doc.body_line == 6


def test_question_and_answer_ids():
    q, _ = parse_file("questions/how-to/index.md", "---\ntitle: How?\nauthor: bob\ndate: 2026-03-01T09:30:00+02:00\naccepted: alice\n---\n")
    a, _ = parse_file("questions/how-to/answers/alice.md", "---\nauthor: alice\ndate: 2026-03-02\n---\nLike this.\n")
    assert (q.id, q.kind, q.accepted) == ("questions/how-to", "question", "alice")
    assert q.date.utcoffset().total_seconds() == 7200
    assert (a.id, a.kind, a.question_id, a.name) == ("questions/how-to/answers/alice", "answer", "questions/how-to", "alice")


def test_person_and_topic():
    p, _ = parse_file("people/alice.md", "---\nname: Alice\nemail: a@x.com\nexpertise: [Kafka, '#k8s']\nleft: 2026-06-30\n---\nBio\n")
    t, _ = parse_file("topics/Kubernetes.md", "---\naliases: [K8s, kube]\nfacilitators: [alice]\n---\nAbout k8s.\n")
    assert (p.handle, p.expertise, p.has_left) == ("alice", ["kafka", "k8s"], True)
    assert (t.tag, t.aliases, t.facilitators, t.body.strip()) == ("kubernetes", ["k8s", "kube"], ["alice"], "About k8s.")


def test_topic_file_needs_no_front_matter():
    t, problems = parse_file("topics/vpn.md", "All about the VPN.\n")
    assert problems == [] and t.tag == "vpn" and t.title == ""


def test_front_matter_is_not_a_tag_source():
    doc, _ = parse_file("posts/a.md", "---\ntitle: '#nope'\nauthor: alice\ndate: 2026-01-01\n---\nbody\n")
    assert doc.hashtags == []


@pytest.mark.parametrize("text, expected", [
    ("no front matter\n", [("front-matter-missing", 1, "error")]),
    ("---\ntitle: x\n", [("front-matter-unclosed", 1, "error")]),
    ("---\ntitle: [unclosed\nauthor: alice\n---\n", [("yaml-syntax", 3, "error")]),
    ("---\n- a list\n---\n", [("front-matter-not-mapping", 2, "error")]),
    ("---\ntitle: T\ndate: 2026-01-01\n---\n", [("field-missing", 2, "error")]),
    ("---\ntitle: T\nauthor: alice\ndate: last tuesday\n---\n", [("field-invalid", 4, "error")]),
    ("---\ntitle: T\nauthor: Not A Handle!\ndate: 2026-01-01\n---\n", [("field-invalid", 3, "error")]),
    ("---\ntitle: [a, b]\nauthor: alice\ndate: 2026-01-01\n---\n", [("field-invalid", 2, "error")]),
    ("---\ntitle: T\nauthor: alice\ndate: 2026-01-01\ndraft: maybe\n---\n", [("field-invalid", 5, "error")]),
    ("---\ntitle: T\nauthor: alice\ndate: 2026-01-01\ntags: [ok, '1bad']\n---\n", [("field-invalid", 5, "error")]),
    ("---\ntitle: T\nauthor: alice\ndate: 2026-01-01\ncolour: red\n---\n", [("field-unknown", 5, "warning")]),
])
def test_bad_front_matter_is_reported_with_its_line(text, expected):
    _, problems = parse_file("posts/p.md", text)
    assert codes(problems) == expected
    assert all(p.path == "content/posts/p.md" and p.message for p in problems)


def test_answer_outside_a_question_folder_is_an_error():
    _, problems = parse_file("answers/alice.md", "---\nauthor: alice\ndate: 2026-01-01\n---\n")
    assert codes(problems) == [("answer-outside-question", 1, "error")]
    _, problems = parse_file("questions/q/extra/answers/a.md", "---\nauthor: alice\ndate: 2026-01-01\n---\n")
    assert codes(problems) == [("answer-outside-question", 1, "error")]


def test_non_utf8_file_is_an_error_with_its_line():
    _, problems = parse_bytes("posts/p.md", b"---\ntitle: caf\xe9\n---\n", "content/posts/p.md")
    assert codes(problems) == [("not-utf8", 2, "error")]


def test_votes_file_lines_dates_and_comments():
    votes, problems = parse_votes("bob", "# my votes\n\nposts/2026/a\n2026-03-01 questions/q/answers/alice\n/posts/2026/b/\nnot-a-date x\n", "content/votes/bob.txt")
    assert [(v.target, v.line, str(v.date)) for v in votes] == [
        ("posts/2026/a", 3, "None"), ("questions/q/answers/alice", 4, "2026-03-01"), ("posts/2026/b", 5, "None")]
    assert codes(problems) == [("vote-syntax", 6, "error")]


@pytest.mark.parametrize("value, code, line", [
    ("2026-02-30", "field-invalid", 4), ("2026-13-45", "field-invalid", 4), ("2026-01-01T25:00:00", "field-invalid", 4),
    ("!!int x", "yaml-value", 2), ("!!float nope", "yaml-value", 2),
])
def test_a_date_typo_is_a_problem_with_its_line_never_a_crash(value, code, line):
    doc, problems = parse_file("posts/a.md", f"---\ntitle: T\nauthor: alice\ndate: {value}\n---\n\nBody.\n")
    assert doc is None and codes(problems) == [(code, line, "error")]


def test_a_profile_left_date_typo_is_a_problem_too():
    person, problems = parse_file("people/zoe.md", "---\nname: Zoe\nemail: z@x.example\nleft: 2026-02-31\n---\n")
    assert person is None and codes(problems) == [("field-invalid", 4, "error")]


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: T\nauthor: alice\ndate: 2026-01-01\n---\n\nA\x00B\n", 7),
    ('---\ntitle: "Red \\e[31m"\nauthor: alice\ndate: 2026-01-01\n---\n\nBody.\n', 2),  # a YAML escape
    ("---\ntitle: T\nauthor: alice\ndate: 2026-01-01\ntags: [\"a\\u0007b\"]\n---\n\nBody.\n", 5),
])
def test_a_character_no_page_or_feed_can_show_is_an_error_at_its_line(text, line):
    doc, problems = parse_file("posts/a.md", text)
    assert doc is None and codes(problems) == [("character-unpublishable", line, "error")]


def test_a_tag_too_long_for_a_file_name_is_an_error_and_no_topic():
    body = "Short #ok and long #" + "x" * 51
    doc, problems = parse_file("posts/a.md", f"---\ntitle: T\nauthor: alice\ndate: 2026-01-01\n---\n\n{body}\n")
    assert doc.hashtags == ["ok"] and codes(problems) == [("tag-too-long", 7, "error")]
    doc, problems = parse_file("posts/a.md", f"---\ntitle: T\nauthor: alice\ndate: 2026-01-01\ntags: [{'y' * 51}]\n---\n")
    assert doc is None and codes(problems) == [("field-invalid", 5, "error")]


@pytest.mark.parametrize("body, code", [
    ("`" * 400, "markup-run"), ("[" * 4000, "markup-run"), ("1. " * 1000, "markup-run"),
    ("x" * 500_001, "body-too-long"), (" ".join(f"#t{i}" for i in range(101)), "topics-too-many"),
])
def test_a_body_that_would_stall_the_build_is_refused_and_not_published(body, code):
    doc, problems = parse_file("posts/a.md", f"---\ntitle: T\nauthor: alice\ndate: 2026-01-01\n---\n\n{body}\n")
    assert doc is None and [p.code for p in problems] == [code] and problems[0].severity == "error"


def test_ordinary_markup_is_no_run():
    body = "```python\nx = 1\n```\n\n- a\n- b\n\n1. one\n2. two\n\n" + "`code` " * 200 + "[a](b) " * 200
    doc, problems = parse_file("posts/a.md", f"---\ntitle: T\nauthor: alice\ndate: 2026-01-01\n---\n\n{body}\n")
    assert doc is not None and problems == []
