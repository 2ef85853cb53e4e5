"""`wol forget` and `wol export`: a person's right to be forgotten and to take their data away."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from knowledge_base import doc, git, write_kb
from static_shards import content_text
from wol.cli import main
from wol.content.forgotten import FORMER_COLLEAGUE, hash_handle
from wol.knowledge import load_graph
from wol.settings import load_settings

FILES = {
    "posts/2026/notes-from-bob.md": doc("Kafka notes by Bob", "bob", "2026-02-01",
                                        "Bob Okafor here. Thanks @alice for the #kafka review."),
    "posts/2026/alice-on-kafka.md": doc("Consumer lag", "alice", "2026-02-03",
                                        "As @bob showed, Bob's dashboard helps. Ask Bob Okafor (bob@example.com) about #kafka."),
    "questions/lag/index.md": doc("Why lag?", "carol", "2026-02-04", "Lag after deploy.", "accepted: bob\ntags: [kafka]\n"),
    "questions/lag/answers/bob.md": doc(None, "bob", "2026-02-05", "Restart the consumer group."),
    "votes/alice.txt": "2026-02-06 questions/lag/answers/bob\n",
    "votes/bob.txt": "2026-02-07 posts/2026/alice-on-kafka\n",
}
TRACES = ("bob", "okafor")


@pytest.fixture
def forgotten_kb(tmp_path):
    root = write_kb(tmp_path / "kb", FILES)
    result = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    return root, result.output


def test_forget_removes_profile_and_votes_in_one_commit(forgotten_kb):
    root, _ = forgotten_kb
    assert not (root / "content/people/bob.md").exists()
    assert not (root / "content/votes/bob.txt").exists()
    assert git(root, "rev-list", "--count", "HEAD").strip() == "2"
    changed = git(root, "show", "--name-status", "--format=%s", "HEAD").split("\n")
    assert changed[0] == "Forget a person at their request (wol forget)"
    assert "bob" not in changed[0].lower()
    assert git(root, "status", "--porcelain").strip() == ""


def test_forgotten_txt_holds_a_hash_not_the_handle(forgotten_kb):
    root, _ = forgotten_kb
    text = (root / "content/forgotten.txt").read_text()
    assert hash_handle("bob") in text
    assert "bob" not in text.lower()


def test_forget_never_rewrites_history_and_says_how(forgotten_kb):
    root, output = forgotten_kb
    assert "Bob Okafor" in git(root, "show", "HEAD~1:content/people/bob.md")
    assert "git filter-repo --invert-paths --path content/people/bob.md" in output
    assert "--replace-text" in output and "--mailmap" in output


def test_their_documents_stay_published_as_by_a_former_colleague(forgotten_kb):
    root, _ = forgotten_kb
    graph = load_graph(load_settings(root))
    post = graph.documents["posts/2026/notes-from-former-colleague"]
    assert post.author == FORMER_COLLEAGUE
    assert not [p for p in graph.problems if p.severity == "error"]
    assert "questions/lag/answers/former-colleague" in graph.documents
    assert graph.threads["questions/lag"].accepted == "questions/lag/answers/former-colleague"
    assert graph.useful["questions/lag/answers/former-colleague"] == 1  # alice's vote followed the rename
    assert "bob" not in graph.people and FORMER_COLLEAGUE not in graph.expertise


def test_mentions_and_written_names_become_a_former_colleague(forgotten_kb):
    root, _ = forgotten_kb
    graph = load_graph(load_settings(root))
    body = graph.documents["posts/2026/alice-on-kafka"].body
    assert body.strip() == ("As a former colleague showed, a former colleague's dashboard helps. "
                            "Ask a former colleague (a former colleague) about #kafka.")
    assert graph.documents["posts/2026/notes-from-former-colleague"].title == "Kafka notes by a former colleague"
    assert graph.mentions_of["posts/2026/alice-on-kafka"] == []


def test_wol_check_accepts_a_forgotten_author(forgotten_kb):
    root, _ = forgotten_kb
    result = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert result.exit_code == 0, result.output


def test_forgetting_nobody_or_twice_is_a_clear_error(forgotten_kb):
    root, _ = forgotten_kb
    again = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert again.exit_code == 1 and "`bob` is already forgotten" in again.output
    nobody = CliRunner().invoke(main, ["-C", str(root), "forget", "zed", "--yes"])
    assert nobody.exit_code == 1 and "nobody has the handle `zed`" in nobody.output


@pytest.mark.slow
def test_after_forget_no_trace_in_the_site_feeds_api_or_search(tmp_path):
    """Built before and after forgetting: the rebuilt site and the updated search index forget too."""
    from wol.engines.search import SearchIndex
    from wol.pipeline import build_site
    root = write_kb(tmp_path / "kb", FILES)
    settings = load_settings(root)
    index = SearchIndex(settings)  # held across the forget, as `wol serve` holds its own

    def search(query):
        return index.search(load_graph(settings), query)

    build_site(settings)
    assert search("Okafor")  # indexed while bob was known
    result = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    build_site(settings)
    site = root / "site"
    texts = {p: content_text(p) for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")}
    assert any(p.name == "feed.xml" for p in texts) and (site / "api/documents.json").exists()
    for path, text in texts.items():
        for trace in TRACES:
            assert trace not in text.lower(), f"{path.relative_to(site)} still names {trace}"
    page = (site / "posts/2026/notes-from-former-colleague/index.html").read_text()
    assert '<span class="wol-byline__name">former colleague</span>' in page
    assert "people/former" not in page and "people/bob" not in page  # no link to a page that is not there
    assert search("Okafor") == []
    for hit in search("bob") + search("kafka"):
        assert not any(t in f"{hit.title} {hit.url} {hit.snippet}".lower() for t in TRACES)
    index_bytes = b"".join(p.read_bytes() for p in (settings.cache_path / "search").rglob("*") if p.is_file())
    assert b"okafor" not in index_bytes.lower()
    for path in settings.cache_path.rglob("*"):  # the parse cache, staging's memos and their journals too
        assert not path.is_file() or b"okafor" not in path.read_bytes().lower(), path


def test_export_writes_their_files_and_one_json(kb, tmp_path):
    root = kb(FILES)
    dest = tmp_path / "out"
    result = CliRunner().invoke(main, ["-C", str(root), "export", "bob", str(dest)])
    assert result.exit_code == 0, result.output
    out = dest / "bob"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["README.md", "bob.json", "people/bob.md", "posts/2026/notes-from-bob.md",
                     "questions/lag/answers/bob.md", "votes/bob.txt"]
    assert (out / "posts/2026/notes-from-bob.md").read_text() == (root / "content/posts/2026/notes-from-bob.md").read_text()
    data = json.loads((out / "bob.json").read_text())
    assert data["profile"]["name"] == "Bob Okafor"
    assert [d["id"] for d in data["documents"]] == ["posts/2026/notes-from-bob", "questions/lag/answers/bob"]
    assert data["votes"] == [{"target": "posts/2026/alice-on-kafka", "date": "2026-02-07", "counted": True}]
    assert data["figures"]["useful_votes_received"] == 1
    assert data["figures"]["accepted_answers"] == 1
    assert data["figures"]["earned_expertise"] == [{"tag": "kafka", "score": 4}]  # 1 vote + 3 for acceptance
    assert data["mentioned_in"] == ["posts/2026/alice-on-kafka"]
    readme = (out / "README.md").read_text()
    assert readme.startswith("# Everything wol holds about Bob Okafor (@bob)")
    assert "- earned expertise: #kafka 4" in readme and "`posts/2026/alice-on-kafka`" in readme


def test_export_refuses_to_overwrite(kb, tmp_path):
    root = kb(FILES)
    (tmp_path / "out/bob").mkdir(parents=True)
    (tmp_path / "out/bob/x").write_text("x")
    result = CliRunner().invoke(main, ["-C", str(root), "export", "bob", str(tmp_path / "out")])
    assert result.exit_code == 1 and "not empty" in result.output


def test_after_history_erasure_the_replacement_word_is_forgotten_too(forgotten_kb):
    """git filter-repo (docs/privacy.md) turns `author: bob` into `author: former-colleague`: still anonymous."""
    root, _ = forgotten_kb
    post = root / "content/posts/2026/notes-from-former-colleague.md"
    post.write_text(post.read_text().replace("author: bob", "author: former-colleague"))
    graph = load_graph(load_settings(root))
    assert graph.documents["posts/2026/notes-from-former-colleague"].author == FORMER_COLLEAGUE
    assert not [p for p in graph.problems if p.severity == "error"]


def test_forget_removes_them_as_facilitator_and_from_topic_descriptions(tmp_path):
    files = dict(FILES)
    files["topics/kafka.md"] = "---\ntitle: Kafka\nfacilitators: [bob, alice]\n---\n\nAsk @bob or @alice.\n"
    root = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    assert "facilitators: [alice]" in (root / "content/topics/kafka.md").read_text()
    graph = load_graph(load_settings(root))
    assert graph.topics["kafka"].facilitators == ["alice"]
    assert graph.topics["kafka"].description == "Ask a former colleague or @alice."
    assert not [p for p in graph.problems if p.severity == "error"]


def test_a_forgotten_facilitator_left_in_a_topic_file_is_no_error(forgotten_kb):
    root, _ = forgotten_kb
    (root / "content/topics").mkdir()
    (root / "content/topics/kafka.md").write_text("---\nfacilitators: [bob]\n---\n\nKafka.\n")
    graph = load_graph(load_settings(root))
    assert graph.topics["kafka"].facilitators == []
    assert not [p for p in graph.problems if p.severity == "error"]


def test_a_clone_that_pulls_a_forget_rebuilds_its_search_index(tmp_path):
    """Deleted documents keep their words in whoosh's old segments: an index synced across a forget is rebuilt."""
    from wol.commands.search import search_repository as search
    origin = write_kb(tmp_path / "origin", FILES)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    settings = load_settings(clone)
    assert search(settings, "Okafor")  # the clone's index knows bob
    result = CliRunner().invoke(main, ["-C", str(origin), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    git(clone, "pull", "-q", "--no-rebase", "origin", "main")
    assert search(settings, "Okafor") == []
    index_bytes = b"".join(p.read_bytes() for p in (settings.cache_path / "search").rglob("*") if p.is_file())
    assert b"okafor" not in index_bytes.lower()


def test_forget_renames_only_documents_named_after_the_person():
    from wol.commands.forget import plan_forget
    files = {"people/mark.md": "---\nname: Mark Lee\n---\n", "posts/2026/how-to-mark-a-test.md": "x",
             "posts/2026/notes-from-mark.md": "x", "posts/2026/mark-lee-handover.md": "x",
             "topics/mark.md": "---\ntitle: Marks\n---\n", "questions/q/answers/mark.md": "x"}
    plan = plan_forget(files, "mark", "Mark Lee")
    assert plan.renamed == {"posts/2026/notes-from-mark.md": "posts/2026/notes-from-former-colleague.md",
                            "posts/2026/mark-lee-handover.md": "posts/2026/former-colleague-handover.md",
                            "posts/2026/how-to-mark-a-test.md": "posts/2026/how-to-former-colleague-a-test.md",
                            "questions/q/answers/mark.md": "questions/q/answers/former-colleague.md"}


def test_the_live_servers_reader_keeps_forgetting_after_an_edit(forgotten_kb):
    from wol.knowledge import Knowledge
    root, _ = forgotten_kb
    knowledge = Knowledge(load_settings(root))
    assert knowledge.graph.documents["posts/2026/alice-on-kafka"].author == "alice"
    post = root / "content/posts/2026/alice-on-kafka.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Consumer lag", "Consumer lag, again"), encoding="utf-8")
    knowledge.touch([post])
    graph = knowledge.graph
    assert graph.documents["posts/2026/alice-on-kafka"].title == "Consumer lag, again"
    assert graph.documents["posts/2026/notes-from-former-colleague"].author == FORMER_COLLEAGUE
    assert "bob" not in graph.documents["posts/2026/alice-on-kafka"].mentions


def test_forget_keeps_the_conversation_replies_named_after_them_are_renamed(tmp_path):
    files = dict(FILES, **{
        "questions/lag/answers/bob.replies/2026-02-06-carol.md": doc(None, "carol", "2026-02-06", "Thanks, Bob!"),
        "posts/2026/alice-on-kafka.replies/2026-02-07-bob.md": doc(None, "bob", "2026-02-07", "Nice one."),
        "votes/carol.txt": "posts/2026/alice-on-kafka.replies/2026-02-07-bob\n",
    })
    root = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    graph = load_graph(load_settings(root))
    assert sorted(graph.replies) == ["posts/2026/alice-on-kafka.replies/2026-02-07-former-colleague",
                                     "questions/lag/answers/former-colleague.replies/2026-02-06-carol"]
    assert graph.replies["posts/2026/alice-on-kafka.replies/2026-02-07-former-colleague"].author == FORMER_COLLEAGUE
    assert graph.useful["posts/2026/alice-on-kafka.replies/2026-02-07-former-colleague"] == 1  # the vote followed it
    assert [p for p in graph.problems if p.severity == "error"] == []


def test_forget_keeps_the_files_of_their_documents_and_the_links_still_resolve(tmp_path):
    from attachments_data import png
    files = dict(FILES, **{
        "questions/lag/answers/bob.md": doc(None, "bob", "2026-02-05", "Restart it: ![the console](bob.files/console.png)"),
        "questions/lag/answers/bob.files/console.png": png(),
        "posts/2026/alice-on-kafka.md": doc("Consumer lag", "alice", "2026-02-03",
                                            "Bob's screenshot: ![lag](../../questions/lag/answers/bob.files/console.png)"),
    })
    root = write_kb(tmp_path / "kb", files)
    result = CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    assert (root / "content/questions/lag/answers/bob.files/console.png").exists()  # others' documents use it
    checked = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert "attachment-missing" not in checked.output and checked.exit_code == 0, checked.output
