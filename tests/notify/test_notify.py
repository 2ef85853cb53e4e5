"""wol notify end to end: real Git, a real SMTP server, a real webhook receiver; no mocks."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from knowledge_base import doc, git
from notify.notify_kb import NOW, commit_files, make_kb, question
from wol.cli import main
from wol.commands.notify import notify
from wol.settings import load_settings


def text_of(message, kind="plain") -> str:
    """A part of a received message, with the line ends a reader sees."""
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def run(root, now=NOW, **kwargs):
    return notify(load_settings(root), now=now, **kwargs)


def started(tmp_path, smtp, **kwargs):
    """A knowledge base whose first run was made (the record starts there)."""
    root = make_kb(tmp_path / "kb", smtp.port if smtp else None, **kwargs)
    assert run(root).first_run
    return root


def test_first_run_sends_nothing_and_starts_the_record(tmp_path, smtp):
    root = make_kb(tmp_path / "kb", smtp.port)
    outcome = run(root)
    assert outcome.first_run and smtp.box.messages == []
    assert git(root, "cat-file", "-p", "refs/wol/notify:notify.json").startswith("{")


def test_a_new_question_reaches_the_top_earned_experts_and_the_facilitator_once_across_two_runs(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"), "ask")
    run(root)
    # carol (3) and dan (1, before erin by name) earned it; bob facilitates #kafka; alice asked it
    assert smtp.box.to() == ["bob", "carol", "dan"]
    carol = smtp.box.of("carol")[0]
    assert "Question lag" in carol["Subject"]
    assert "you earned expertise in #kafka" in text_of(carol, "plain")
    assert "https://wiki.test.example/questions/lag/" in text_of(carol, "plain")
    assert "you facilitate #kafka" in text_of(smtp.box.of("bob")[0], "plain")
    smtp.box.clear()
    assert run(root).messages == [] and run(root, now=NOW + timedelta(hours=1)).messages == []
    assert smtp.box.messages == []


def test_routing_follows_earned_expertise_and_ignores_volume(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag", author="bob"))
    run(root)
    assert "vera" not in smtp.box.to()  # ten #kafka posts and declared expertise, no vote: nothing earned
    assert smtp.box.to() == ["carol", "dan"]  # bob asked it: not told, though he facilitates


def test_a_person_who_left_gets_nothing(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, {**question("lag"), "posts/hello.md": doc("Thanks", "alice", "2026-04-01", "Thanks @quinn!")})
    run(root)
    assert "quinn" not in smtp.box.to()  # the most #kafka expertise, and mentioned: but has left


def test_an_answer_and_a_mention_arrive_at_once_to_the_asker_and_the_mentioned(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    run(root)
    smtp.box.clear()
    commit_files(root, {"questions/lag/answers/carol.md": doc(None, "carol", "2026-04-01T10:00:00Z",
                                                               "Raise the session timeout, as @erin found.")})
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.to() == ["alice", "erin"]
    assert smtp.box.of("alice")[0]["Subject"] == "[Test Wiki] @carol answered your question “Question lag”"
    assert "@carol mentioned you" in text_of(smtp.box.of("erin")[0], "plain")


def test_opt_outs_are_honoured(tmp_path, smtp):
    root = started(tmp_path, smtp, people_extra={"dan": "notify: off\n",
                                                 "bob": "notify:\n  email:\n    question: off\n"})
    commit_files(root, {**question("lag"), "posts/hi.md": doc("Hi", "alice", "2026-04-01", "Ask @bob or @dan.")})
    run(root)
    assert smtp.box.to() == ["bob", "carol"]  # dan: nothing at all; bob: the mention, not the question
    assert "mentioned you" in smtp.box.of("bob")[0]["Subject"]


def test_a_digest_groups_by_topic_newest_first_and_says_why(tmp_path, smtp):
    root = started(tmp_path, smtp, people_extra={"carol": "notify:\n  email: daily\n"})
    commit_files(root, {**question("lag", date="2026-04-01T07:00:00Z"),
                        **question("pip", tags="[python]", date="2026-04-01T08:00:00Z"),
                        "posts/hi.md": doc("Hi", "alice", "2026-04-01T06:00:00Z", "Thanks @carol #kafka"),
                        "votes/erin.txt": "posts/quinn-kafka\nposts/carol-python\n"})
    run(root)
    digest = smtp.box.of("carol")
    assert len(digest) == 1 and digest[0]["Subject"] == "[Test Wiki] Your daily digest: 4 updates"
    text = text_of(digest[0], "plain")
    python, kafka = text.index("#python\n"), text.index("#kafka\n")
    assert python < kafka  # the topic with the newest update first
    section = text[kafka:]
    assert section.index("Question lag") < section.index("“Hi”")  # newest first within a topic
    assert "Why: you earned expertise in #kafka." in section and "Why: @alice mentioned you." in section
    assert "Why: you wrote it." in text[python:kafka]  # erin's vote on her Python post
    smtp.box.clear()
    commit_files(root, question("later"))
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.of("carol") == []  # her next daily digest is due tomorrow
    run(root, now=NOW + timedelta(days=1))
    assert [m["Subject"] for m in smtp.box.of("carol")] == ["[Test Wiki] Can you answer? “Question later” "
                                                            "(asked by @alice) (daily digest)"]


def test_an_smtp_failure_mid_run_is_retried_next_run_with_nothing_doubled(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    smtp.box.refuse = {"carol@example.com"}
    outcome = run(root)
    assert smtp.box.to() == ["bob", "dan"] and len(outcome.failed) == 1
    smtp.box.clear()
    smtp.box.refuse = set()
    run(root, now=NOW + timedelta(minutes=5))
    assert smtp.box.to() == ["carol"]
    smtp.box.clear()
    run(root, now=NOW + timedelta(minutes=10))
    assert smtp.box.messages == []


def test_an_unreachable_smtp_server_fails_the_run_and_everything_is_sent_next_time(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    smtp.stop()
    result = CliRunner().invoke(main, ["-C", str(root), "notify", "--now", "2026-04-01T09:00:00"])
    assert result.exit_code == 1 and "NOT SENT (tried again next run)" in result.output
    assert "cannot reach the SMTP server 127.0.0.1" in result.output
    smtp.start()
    run(root)
    assert smtp.box.to() == ["bob", "carol", "dan"]


def test_the_html_part_is_sanitised_like_the_site(tmp_path, smtp):
    root = started(tmp_path, smtp, people_extra={"carol": "notify:\n  email:\n    question: immediate\n"})
    body = ('It lags <script>alert("x")</script> <img src="a.png" onerror="alert(1)"> '
            '[click](javascript:alert(2)) <a href="https://ok.example/" onclick="steal()">ok</a>')
    commit_files(root, question("lag", body=body))
    run(root)
    html = text_of(smtp.box.of("carol")[0], "html")
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html and 'href="https://ok.example/"' in html and "It lags" in html


def test_the_question_still_unanswered_after_the_delay_goes_to_the_next_experts(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    run(root)
    smtp.box.clear()
    run(root, now=NOW + timedelta(hours=46))  # 47 hours after it was asked
    assert smtp.box.messages == []
    run(root, now=NOW + timedelta(hours=49))
    assert smtp.box.to() == ["erin"]  # the next expert; vera earned nothing, quinn has left
    assert "still unanswered after 48 hours" in text_of(smtp.box.of("erin")[0], "plain")
    smtp.box.clear()
    run(root, now=NOW + timedelta(hours=80))
    assert smtp.box.messages == []


def test_the_record_survives_a_fresh_clone_and_two_concurrent_runs_send_once(tmp_path, smtp):
    import subprocess
    import sys
    root = started(tmp_path, smtp)
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(root), str(origin))
    git(root, "remote", "add", "origin", str(origin))
    git(root, "push", "-q", "origin", "refs/wol/notify:refs/wol/notify")
    commit_files(root, question("lag"))
    git(root, "push", "-q", "origin", "main")
    clones = []
    for name in ("ci-1", "ci-2"):
        git(tmp_path, "clone", "-q", str(origin), name)
        clones.append(tmp_path / name)
    runs = [subprocess.Popen([sys.executable, "-m", "wol", "-C", str(c), "notify", "--now", "2026-04-01T09:00:00"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in clones]
    outputs = [r.communicate(timeout=60)[0] for r in runs]
    assert all(r.returncode == 0 for r in runs), outputs
    assert smtp.box.to() == ["bob", "carol", "dan"], outputs
    git(tmp_path, "clone", "-q", str(origin), "ci-3")
    assert run(tmp_path / "ci-3").messages == [] and smtp.box.to() == ["bob", "carol", "dan"]


def test_chat_goes_to_a_topics_channel_and_to_a_persons_webhook_in_their_formats(tmp_path, smtp, webhooks,
                                                                                monkeypatch):
    monkeypatch.setenv("WOL_CHAT_DATA", webhooks.url + "/data")
    monkeypatch.setenv("WOL_CHAT_CAROL", webhooks.url + "/carol")
    yml = ("    webhooks:\n      data: {url_env: WOL_CHAT_DATA, format: slack}\n"
           "      carol: {url_env: WOL_CHAT_CAROL, format: teams}\n")
    root = started(tmp_path, smtp, yml_extra=yml, files={
        "topics/kafka.md": "---\ntitle: Kafka\nfacilitators: [bob]\nchat: data\n---\nThe backbone.\n"},
        people_extra={"carol": "notify:\n  chat:\n    webhook: carol\n    question: immediate\n"})
    commit_files(root, question("lag"))
    run(root)
    paths = sorted(path for path, _ in webhooks.posts)
    assert paths == ["/carol", "/data"]
    slack = next(body for path, body in webhooks.posts if path == "/data")
    assert "Question lag" in slack["text"] and "https://wiki.test.example/questions/lag/" in slack["text"]
    assert "This channel receives the questions on #kafka" in slack["text"]
    teams = next(body for path, body in webhooks.posts if path == "/carol")
    card = teams["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["actions"][0]["url"] == "https://wiki.test.example/questions/lag/"
    assert smtp.box.to() == ["bob", "carol", "dan"]  # e-mail as well, each person's own choice
    webhooks.posts.clear()
    run(root)
    assert webhooks.posts == []


def test_dry_run_prints_who_would_get_what_and_sends_nothing(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    result = CliRunner().invoke(main, ["-C", str(root), "notify", "--dry-run", "--now", "2026-04-01T09:00:00"])
    assert result.exit_code == 0, result.output
    assert "Would send 3 message(s):" in result.output
    assert "e-mail to Carol Diaz <carol@example.com>" in result.output
    assert "because you earned expertise in #kafka" in result.output
    assert smtp.box.messages == []
    run(root)
    assert smtp.box.to() == ["bob", "carol", "dan"]  # a dry run recorded nothing


def test_nothing_is_sent_without_a_configured_channel(tmp_path):
    root = make_kb(tmp_path / "kb", None)
    result = CliRunner().invoke(main, ["-C", str(root), "notify"])
    assert result.exit_code == 0 and "no channel is configured" in result.output
    assert git(root, "for-each-ref", "refs/wol/") == ""


def test_a_wrong_notify_choice_is_a_check_error_with_file_and_line(tmp_path):
    root = make_kb(tmp_path / "kb", None, people_extra={"dan": "notify:\n  email:\n    mentions: daily\n"})
    result = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert result.exit_code == 1
    assert ("content/people/dan.md:7: error: the field `notify` has `email.mentions`; the kinds are mention, "
            "answer, reply, accepted, useful, question; until it is fixed, wol notify sends you nothing") in result.output


def test_a_first_run_with_since_sends_what_that_commit_brought(tmp_path, smtp):
    root = make_kb(tmp_path / "kb", smtp.port)
    commit_files(root, question("lag"))
    result = CliRunner().invoke(main, ["-C", str(root), "notify", "--since", "HEAD~1", "--now", "2026-04-01T09:00:00"])
    assert result.exit_code == 0, result.output
    assert "Sent 3 message(s)." in result.output and smtp.box.to() == ["bob", "carol", "dan"]
    again = CliRunner().invoke(main, ["-C", str(root), "notify", "--now", "2026-04-01T09:05:00"])
    assert "Sent 0 message(s)." in again.output and len(smtp.box.messages) == 3


def test_a_run_that_cannot_push_its_claim_sends_nothing(tmp_path, smtp):
    root = started(tmp_path, smtp)
    git(root, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    commit_files(root, question("lag"))
    result = CliRunner().invoke(main, ["-C", str(root), "notify", "--now", "2026-04-01T09:00:00"])
    assert result.exit_code == 1 and "refs/wol/notify" in result.output and "Traceback" not in result.output
    assert smtp.box.messages == []


def test_e_mail_over_starttls_with_a_login_from_the_environment(tmp_path, monkeypatch):
    from notify.notify_kb import StartTlsSmtpServer, self_signed_certificate
    cert, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate; it is still verified
    monkeypatch.setenv("WIKI_SMTP_USER", "wiki-bot")
    monkeypatch.setenv("WIKI_SMTP_PASSWORD", "s3cret")
    with StartTlsSmtpServer(cert, key, "wiki-bot", "s3cret") as server:
        root = make_kb(tmp_path / "kb", None, yml_extra=(
            f"    smtp:\n      host: 127.0.0.1\n      port: {server.port}\n      security: starttls\n"
            f"      from: wiki@test.example\n      user_env: WIKI_SMTP_USER\n      password_env: WIKI_SMTP_PASSWORD\n"))
        assert run(root).first_run
        commit_files(root, question("lag"))
        run(root)
        assert server.box.to() == ["bob", "carol", "dan"] and server.logins == ["wiki-bot"]
        monkeypatch.delenv("WIKI_SMTP_PASSWORD")
        commit_files(root, question("pip"))
        result = CliRunner().invoke(main, ["-C", str(root), "notify", "--now", "2026-04-02T09:00:00"])
        assert result.exit_code == 1 and "WIKI_SMTP_PASSWORD is not set" in result.output
        assert "s3cret" not in result.output


def test_a_person_hears_of_one_document_once_per_run(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag", body="Maybe @carol knows?"))
    run(root)
    assert smtp.box.to() == ["bob", "carol", "dan"]
    assert "@alice mentioned you" in smtp.box.of("carol")[0]["Subject"]  # the mention, at once; not the routing too
    smtp.box.clear()
    commit_files(root, {"questions/lag/answers/dan.md": doc(None, "dan", "2026-04-01T10:00:00Z", "Ask @alice's team.")})
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.to() == ["alice"] and "answered your question" in smtp.box.of("alice")[0]["Subject"]


def test_a_webhook_that_fails_is_posted_again_next_run_and_only_it(tmp_path, smtp, webhooks, monkeypatch):
    monkeypatch.setenv("WOL_CHAT_DATA", webhooks.url + "/data")
    root = started(tmp_path, smtp, yml_extra="    webhooks:\n      data: {url_env: WOL_CHAT_DATA, format: slack}\n",
                   files={"topics/kafka.md": "---\ntitle: Kafka\nfacilitators: [bob]\nchat: data\n---\nBackbone.\n"})
    commit_files(root, question("lag"))
    webhooks.status = 500
    outcome = run(root)
    assert [m.recipient for m, _ in outcome.failed] == ["#kafka"] and "answered 500" in outcome.failed[0][1]
    assert smtp.box.to() == ["bob", "carol", "dan"]
    webhooks.status = 200
    again = run(root, now=NOW + timedelta(minutes=10))
    assert [m.recipient for m in again.messages] == ["#kafka"] and len(webhooks.posts) == 1
    assert len(smtp.box.messages) == 3


def test_an_accepted_answer_reaches_its_author_in_the_daily_digest(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, {**question("lag"),
                        "questions/lag/answers/erin.md": doc(None, "erin", "2026-04-01T08:30:00Z", "Raise it.")})
    run(root)
    smtp.box.clear()
    commit_files(root, {"questions/lag/index.md": doc("Question lag", "alice", "2026-04-01T08:00:00Z",
                                                      "Why does it lag?", extra="tags: [kafka]\naccepted: erin\n")})
    run(root, now=NOW + timedelta(hours=1))
    assert smtp.box.to() == ["erin"]
    assert smtp.box.of("erin")[0]["Subject"] == ("[Test Wiki] @alice accepted your answer to “Question lag” "
                                                 "(daily digest)")


def test_a_mention_in_a_reply_reaches_the_mentioned_at_once(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    run(root)
    smtp.box.clear()
    commit_files(root, {"questions/lag/replies/2026-04-01-carol.md": doc(None, "carol", "2026-04-01T10:00:00Z",
                                                                         "Which client version, @erin?")})
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.to() == ["alice", "erin"]  # the asker hears of the reply, erin of the mention
    assert smtp.box.of("alice")[0]["Subject"] == "[Test Wiki] @carol replied to you in “Question lag”"
    assert smtp.box.of("erin")[0]["Subject"] == "[Test Wiki] @carol mentioned you in “Question lag”"
    assert "/questions/lag/#reply-2026-04-01-carol" in text_of(smtp.box.of("erin")[0], "plain")
    run(root, now=NOW + timedelta(hours=3))
    assert len(smtp.box.of("erin")) == 1  # once


def test_a_reply_reaches_the_author_of_what_it_answers_once_and_never_its_own_writer(tmp_path, smtp):
    root = started(tmp_path, smtp)
    commit_files(root, question("lag"))
    run(root)
    smtp.box.clear()
    commit_files(root, {"questions/lag/answers/carol.md": doc(None, "carol", "2026-04-01T10:00:00Z", "Restart it.")})
    run(root, now=NOW + timedelta(hours=1))
    smtp.box.clear()
    commit_files(root, {"questions/lag/answers/carol.replies/2026-04-02-alice.md":
                        doc(None, "alice", "2026-04-02T10:00:00Z", "Which version was that?"),
                        "questions/lag/answers/carol.replies/2026-04-02-carol.md":
                        doc(None, "carol", "2026-04-02T11:00:00Z", "Version 3.9.")})
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.to() == ["carol"]  # alice replied to carol's answer; carol's own reply tells nobody
    assert smtp.box.of("carol")[0]["Subject"] == "[Test Wiki] @alice replied to you in “Question lag”"
    run(root, now=NOW + timedelta(hours=3))
    assert len(smtp.box.of("carol")) == 1
