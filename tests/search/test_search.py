"""Search: what a reader finds, in which order, and an index that repairs itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from knowledge_base import PEOPLE as KB_PEOPLE
from knowledge_base import doc
from wol.cli import main
from wol.knowledge import load_graph
from wol.settings import load_settings

PEOPLE = len(KB_PEOPLE)  # each profile is a search entry too


def ids(hits):
    return [h.id for h in hits]


def write(root: Path, rel: str, text: str) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_answer_words_find_their_question(search_kb, process):
    root = search_kb({
        "questions/printer/index.md": doc("The printer is jammed", "bob", "2026-01-02", "It blinks orange."),
        "questions/printer/answers/alice.md": doc(None, "alice", "2026-01-03", "Open tray four and pull the lever."),
    })
    hits = process(load_settings(root)).search("lever tray")
    assert ids(hits) == ["questions/printer"]
    assert hits[0].kind == "question" and hits[0].url == "questions/printer/#alice"
    assert "<mark>lever</mark>" in hits[0].snippet


def test_a_hit_links_to_the_answer_holding_the_words_else_to_the_question(search_kb, process):
    root = search_kb({
        "questions/vpn/index.md": doc("VPN drops at night", "bob", "2026-01-02", "Every night around midnight."),
        "questions/vpn/answers/alice.md": doc(None, "alice", "2026-01-03", "Renew the token; the token expires."),
        "questions/vpn/answers/carol.md": doc(None, "carol", "2026-01-04", "A token is also in the portal."),
    })
    settings = load_settings(root)
    proc = process(settings)
    [hit] = proc.search("token expires")
    assert (hit.id, hit.url) == ("questions/vpn", "questions/vpn/#alice")
    assert "<mark>expires</mark>" in hit.snippet and "portal" not in hit.snippet
    assert proc.search("portal")[0].url == "questions/vpn/#carol"
    assert proc.search("midnight token")[0].url == "questions/vpn/"  # the question's own words count first
    assert proc.search("vpn")[0].url == "questions/vpn/"  # title only
    assert proc.search("renew portal")[0].url == "questions/vpn/"  # one word in each answer
    assert proc.similar("token expires")[0].url == "questions/vpn/"


def test_a_solved_question_hit_shows_its_state_and_its_accepted_answer_first(search_kb, process):
    root = search_kb({
        "questions/vpn/index.md": doc("VPN drops at night", "bob", "2026-01-02", "Every night.", extra="accepted: carol\n"),
        "questions/vpn/answers/alice.md": doc(None, "alice", "2026-01-03", "Try rebooting."),
        "questions/vpn/answers/carol.md": doc(None, "carol", "2026-01-04", "Renew the token & key in the portal."),
        "questions/wifi/index.md": doc("Wifi drops at night", "bob", "2026-01-05", "Also at night."),
        "posts/2026/night.md": doc("Night shifts", "alice", "2026-01-06", "Who works at night."),
    })
    hits = {h.id: h for h in process(load_settings(root)).search("night")}
    solved, open_, post = hits["questions/vpn"], hits["questions/wifi"], hits["posts/2026/night"]
    assert (solved.state, solved.answer) == ("solved", "Renew the token &amp; key in the portal.")
    assert (open_.state, open_.answer) == ("unanswered", "") and (post.state, post.answer) == ("", "")
    result = CliRunner().invoke(main, ["-C", str(root), "search", "vpn"])
    assert "(question, solved" in result.output and "Accepted answer: Renew the token & key in the portal." in result.output


def test_answered_question_ranks_above_unanswered_one_with_the_same_text(search_kb, process):
    same = "How do I rotate the coffee machine filter?"
    root = search_kb({
        "questions/a-unanswered/index.md": doc(same, "bob", "2026-03-01", "The filter light is on."),
        "questions/b-solved/index.md": doc(same, "bob", "2026-01-01", "The filter light is on.",
                                           extra="accepted: alice\n"),
        "questions/b-solved/answers/alice.md": doc(None, "alice", "2026-01-02", "Ask facilities."),
    })
    hits = process(load_settings(root)).search("coffee filter")
    assert ids(hits) == ["questions/b-solved", "questions/a-unanswered"]
    assert hits[0].score > hits[1].score


def test_useful_answer_ranks_a_question_above_an_equal_unvoted_one(search_kb, process):
    same = "Where is the badge printer?"
    root = search_kb({
        "questions/a-quiet/index.md": doc(same, "bob", "2026-03-01", "Need a badge."),
        "questions/a-quiet/answers/carol.md": doc(None, "carol", "2026-03-02", "Reception."),
        "questions/b-voted/index.md": doc(same, "bob", "2026-01-01", "Need a badge."),
        "questions/b-voted/answers/carol.md": doc(None, "carol", "2026-01-02", "Reception."),
        "votes/alice.txt": "questions/b-voted/answers/carol\n",
    })
    assert ids(process(load_settings(root)).search("badge printer")) == ["questions/b-voted", "questions/a-quiet"]


def test_title_match_ranks_above_a_passing_mention(search_kb, process):
    root = search_kb({
        "posts/2026/mention.md": doc("Weekly notes", "alice", "2026-02-01",
                                     "Lots happened this week. Also, the kafka cluster was patched."),
        "posts/2026/title.md": doc("Kafka in five minutes", "bob", "2026-01-01", "A short tour of our streams."),
    })
    assert ids(process(load_settings(root)).search("kafka"))[0] == "posts/2026/title"


def test_stemming_matches_other_forms_of_a_word(search_kb, process):
    root = search_kb({"posts/2026/certs.md": doc("Rotating certificates", "alice", "2026-01-01", "Rotated yearly.")})
    assert ids(process(load_settings(root)).search("rotate certificate")) == ["posts/2026/certs"]


def test_one_letter_typo_still_finds_the_document(search_kb, process):
    root = search_kb({
        "posts/2026/k8s.md": doc("Kubernetes upgrade plan", "alice", "2026-01-01", "We upgrade the clusters."),
        "posts/2026/other.md": doc("Lunch menu", "bob", "2026-01-01", "Soup and bread."),
    })
    settings = load_settings(root)
    proc = process(settings)
    for typo in ("kuberntes", "kubernetse", "kubernetez", "upgarde"):
        assert ids(proc.search(typo)) == ["posts/2026/k8s"], typo


def test_two_letters_swapped_are_one_typo_as_a_reader_counts_them(search_kb, process):
    root = search_kb({
        "posts/2026/kafka.md": doc("Kafka consumer lag", "alice", "2026-01-01", "Watch the lag of each partition."),
        "questions/mail/index.md": doc("Is this phishing?", "bob", "2026-01-02", "A mail asks for my password."),
        "posts/2026/other.md": doc("Lunch menu", "bob", "2026-01-01", "Soup and bread."),
    })
    proc = process(load_settings(root))
    for typo in ("kakfa", "kafak", "akfka"):
        assert ids(proc.search(typo))[:1] == ["posts/2026/kafka"], typo
    for typo in ("phisihng", "phsihing"):
        assert ids(proc.search(typo))[:1] == ["questions/mail"], typo
    assert ids(proc.search("kakfa lag partition"))[:1] == ["posts/2026/kafka"]  # the exact words still count


def test_topic_alias_finds_documents_of_the_topic(search_kb, process):
    root = search_kb({
        "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\n---\nContainers.\n",
        "posts/2026/pods.md": doc("Restarting pods", "alice", "2026-01-01", "Delete the pod. #kubernetes"),
    })
    assert sorted(ids(process(load_settings(root)).search("k8s"))) == ["posts/2026/pods", "topics/kubernetes"]


def test_drafts_never_appear(search_kb, process):
    root = search_kb({
        "posts/2026/secret.md": doc("Unannounced reorganisation", "alice", "2026-01-01", "Hush.",
                                    extra="draft: true\n"),
        "questions/q/index.md": doc("Reorganisation timeline?", "bob", "2026-01-01", "When?"),
        "questions/q/answers/alice.md": doc(None, "alice", "2026-01-02", "Zebra codename.", extra="draft: true\n"),
    })
    settings = load_settings(root)
    proc = process(settings)
    assert ids(proc.search("reorganisation")) == ["questions/q"]
    assert proc.search("zebra") == []


def test_index_updates_only_changed_documents(search_kb, process):
    root = search_kb({f"posts/2026/p{i}.md": doc(f"Post number {i}", "alice", "2026-01-01", "Plain words.")
                      for i in range(5)})
    settings = load_settings(root)
    proc = process(settings)
    first = proc.update()
    assert first["rebuilt"] and first["added"] == 5 + PEOPLE  # five posts, and each person's profile
    assert proc.update() == {"added": 0, "updated": 0, "removed": 0,
                                                            "rebuilt": False}

    write(root, "posts/2026/p1.md", doc("Post number 1", "alice", "2026-01-01", "Now about walruses."))
    (root / "content/posts/2026/p2.md").unlink()
    write(root, "posts/2026/p9.md", doc("Post number 9", "alice", "2026-01-01", "Plain words."))
    stats = proc.update()
    assert stats == {"added": 1, "updated": 1, "removed": 1, "rebuilt": False}
    assert ids(proc.search("walruses")) == ["posts/2026/p1"]
    assert "posts/2026/p2" not in ids(proc.search("post number", limit=10))
    assert sorted(ids(proc.search("plain words", limit=10))) == ["posts/2026/p0", "posts/2026/p3",
                                                                      "posts/2026/p4", "posts/2026/p9"]


def test_a_vote_updates_the_ranking(search_kb, process):
    same = "Which VPN profile do I use abroad?"
    root = search_kb({
        "questions/a/index.md": doc(same, "bob", "2026-01-01", "Travelling."),
        "questions/a/answers/carol.md": doc(None, "carol", "2026-01-02", "The travel profile."),
        "questions/b/index.md": doc(same, "bob", "2026-01-01", "Travelling."),
        "questions/b/answers/carol.md": doc(None, "carol", "2026-01-02", "The travel profile."),
    })
    settings = load_settings(root)
    proc = process(settings)
    proc.search("vpn profile abroad")
    write(root, "votes/alice.txt", "questions/b/answers/carol\n")
    assert ids(proc.search("vpn profile abroad")) == ["questions/b", "questions/a"]


def test_corrupt_index_files_are_rebuilt(search_kb, process):
    root = search_kb({"posts/2026/x.md": doc("Forklift licence renewal", "alice", "2026-01-01", "Every year.")})
    settings = load_settings(root)
    proc = process(settings)
    assert ids(proc.search("forklift")) == ["posts/2026/x"]
    folder = settings.cache_path / "search" / "index"
    for path in folder.iterdir():
        path.write_bytes(b"\x00garbage" * 7)
    proc = process(settings)  # a new process
    assert ids(proc.search("forklift")) == ["posts/2026/x"]


def test_index_corrupted_under_a_running_process_is_rebuilt_on_the_next_update(search_kb, process):
    root = search_kb({"posts/2026/x.md": doc("Forklift licence renewal", "alice", "2026-01-01", "Every year.")})
    settings = load_settings(root)
    proc = process(settings)
    assert ids(proc.search("forklift")) == ["posts/2026/x"]
    for path in (settings.cache_path / "search" / "index").iterdir():
        garbage = path.with_name(path.name + ".bad")
        garbage.write_bytes(b"\x00garbage" * 7)
        os.replace(garbage, path)  # new files, as another writer would leave them
    write(root, "posts/2026/y.md", doc("Pallet jack safety", "bob", "2026-01-02", "Mind your toes."))
    assert proc.update()["rebuilt"]
    assert ids(proc.search("pallet")) == ["posts/2026/y"]
    assert ids(proc.search("forklift")) == ["posts/2026/x"]


def test_missing_or_stale_index_is_rebuilt(search_kb, process):
    root = search_kb({"posts/2026/x.md": doc("Forklift licence renewal", "alice", "2026-01-01", "Every year.")})
    settings = load_settings(root)
    proc = process(settings)
    proc.search("forklift")
    manifest = settings.cache_path / "search" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(dict(data, format=0)))
    proc = process(settings)  # a new process
    assert proc.update()["rebuilt"]

    manifest.write_text("{not json")
    proc = process(settings)  # a new process
    assert proc.update()["rebuilt"]

    import shutil
    shutil.rmtree(settings.cache_path / "search")
    proc = process(settings)  # a new process
    assert ids(proc.search("forklift")) == ["posts/2026/x"]


def test_language_setting_picks_the_stemmer(search_kb, process):
    root = search_kb({"posts/2026/fr.md": doc("Les chevaux du manège", "alice", "2026-01-01",
                                              "Nous avons mangé ensemble.")})
    assert ids(process(load_settings(root)).search("manger")) == []  # English: no stem in common, two edits away
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("wol:\n", "wol:\n  language: fr\n"))
    settings = load_settings(root)
    proc = process(settings)
    assert ids(proc.search("manger")) == ["posts/2026/fr"]


def test_similar_offers_existing_questions_as_a_title_is_typed(search_kb, process):
    root = search_kb({
        "questions/vpn-token/index.md": doc("How do I reset my VPN token?", "bob", "2026-01-01", "Blinks."),
        "posts/2026/lunch.md": doc("Lunch menu", "alice", "2026-01-01", "Soup."),
    })
    hits = process(load_settings(root)).similar("reset token")
    assert ids(hits) == ["questions/vpn-token"]
    assert hits[0].title == "How do I reset my VPN token?"
    assert process(load_settings(root)).similar("the a of") == []


def test_wol_search_prints_hits_and_json(search_kb):
    root = search_kb({"posts/2026/x.md": doc("Forklift licence renewal", "alice", "2026-01-01",
                                             "Renew the forklift licence every year.")})
    runner = CliRunner()
    text = runner.invoke(main, ["-C", str(root), "search", "forklift"])
    assert text.exit_code == 0, text.output
    assert "Forklift licence renewal" in text.output
    assert "https://wiki.test.example/posts/2026/x/" in text.output
    out = runner.invoke(main, ["-C", str(root), "search", "forklift", "--json", "--limit", "1"])
    data = json.loads(out.output)
    assert [sorted(d) for d in data] == [["answer", "date", "id", "kind", "score", "snippet", "state", "title", "topics", "url"]]
    assert data[0]["id"] == "posts/2026/x" and "<mark>forklift</mark>" in data[0]["snippet"].lower()
    none = runner.invoke(main, ["-C", str(root), "search", "zeppelin"])
    assert none.exit_code == 0 and "Nothing published matches. No answer? Ask it: wol new question" in none.output


def test_odd_query_syntax_never_fails(search_kb, process):
    root = search_kb({"posts/2026/x.md": doc("Forklift licence renewal", "alice", "2026-01-01", "Every year.")})
    settings = load_settings(root)
    proc = process(settings)
    for query in ('"unclosed', "((", "*", "quality:5", "url:x", "date:[2020 to]", "~", "c++ & <script>", "NOT"):
        assert isinstance(proc.search(query), list), query
    assert ids(proc.search("title:forklift")) == ["posts/2026/x"]
    assert proc.search("   ") == []


def test_plain_word_queries_rank_as_whoosh_itself_scores_them(search_kb, process):
    """Plain words are scored by wol's own loop over the postings (faster); whoosh's matchers must agree."""
    from whoosh.query import Or, Term

    from wol.engines.search.postings import top
    from wol.engines.search.query import parse_query
    root = search_kb({
        **{f"posts/2026/p{i}.md": doc(f"Kafka notes {i}", "alice", "2026-01-01",
                                      "kafka " * (i % 3) + "streams and topics " * (i % 4) + "retention")
           for i in range(12)},
        "questions/q/index.md": doc("Kafka retention?", "bob", "2026-01-01", "How long are streams kept?"),
        "questions/q/answers/carol.md": doc(None, "carol", "2026-01-02", "Seven days of kafka retention."),
    })
    settings = load_settings(root)
    proc = process(settings)
    proc.search("kafka")
    write(root, "posts/2026/p3.md", doc("Kafka notes 3", "alice", "2026-01-01", "now about retention only"))
    proc.search("kafka")  # a second segment, with a deletion in the first
    searcher = proc.index.searcher()
    boosted = Or([Term("title", "kafka", boost=3.0), Term("topics", "stream", boost=2.0), Term("text", "retent")])
    for words in ("kafka", "kafka streams", "retention topics kafka", "carol", "notes retention", boosted):
        q = parse_query(words, searcher, proc.index.parser) if isinstance(words, str) else words  # boosted: as `similar` asks
        ours = [(d, round(s, 6)) for d, s, _ in top(searcher, q, 20)]
        theirs = [(r.docnum, round(r.score, 6)) for r in searcher.search(q, limit=20, optimize=False)]
        assert ours and ours == theirs, words


def test_an_index_built_in_several_processes_finds_every_document(search_kb, process, monkeypatch):
    import wol.engines.search.index
    monkeypatch.setattr(wol.engines.search.index, "PARALLEL_FROM", 3)
    monkeypatch.setattr(wol.engines.search.index, "BUILD_BATCH", 2)
    root = search_kb({f"posts/2026/p{i}.md": doc(f"Post {i}", "alice", "2026-01-01", f"Word{i} and common.")
                      for i in range(12)})
    settings = load_settings(root)
    proc = process(settings)
    assert proc.update()["added"] == 12 + PEOPLE
    assert len(proc.search("common", limit=20)) == 12
    assert ids(proc.search("word7")) == ["posts/2026/p7"]
    write(root, "posts/2026/p7.md", doc("Post 7", "alice", "2026-01-01", "Now different."))
    assert proc.search("word7") == [] and ids(proc.search("different")) == ["posts/2026/p7"]


def test_an_index_built_in_a_background_thread_finds_every_document(search_kb, process, monkeypatch):
    import threading

    import wol.engines.search.index
    monkeypatch.setattr(wol.engines.search.index, "PARALLEL_FROM", 3)  # a server's indexing thread still builds in-process
    root = search_kb({f"posts/2026/p{i}.md": doc(f"Post {i}", "alice", "2026-01-01", "common") for i in range(6)})
    settings = load_settings(root)
    proc = process(settings)
    stats = []
    worker = threading.Thread(target=lambda: stats.append(proc.update()))
    worker.start()
    worker.join()
    assert stats[0]["added"] == 6 + PEOPLE and len(proc.search("common")) == 6


def test_one_index_serves_searching_threads_while_another_thread_updates_it(search_kb, process):
    """As under `wol serve`: request threads search the SearchIndex the indexing thread updates."""
    import threading

    root = search_kb({f"posts/2026/p{i}.md": doc(f"Post {i}", "alice", "2026-01-01", "common words")
                      for i in range(8)})
    settings = load_settings(root)
    proc = process(settings)
    current = [load_graph(settings)]  # the graph the site shows now, as the editor's requests see it
    proc.index.update(current[0])
    failures, done = [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                hits = proc.index.search(current[0], "common", limit=20)
                assert len({h.id for h in hits}) == len(hits) == 8, [h.id for h in hits]
            except Exception as exc:  # reported below, with the thread's failure
                failures.append(exc)
                return

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for t in readers:
        t.start()
    for fruit in ("apple", "banana", "cherry", "damson", "elderberry", "figtree"):
        write(root, "posts/2026/p1.md", doc("Post 1", "alice", "2026-01-01", f"common words {fruit}"))
        current[0] = load_graph(settings)
        proc.index.update(current[0])
    done.set()
    for t in readers:
        t.join()
    assert failures == []
    [hit] = proc.search("figtree")
    assert hit.id == "posts/2026/p1" and "<mark>figtree</mark>" in hit.snippet
    assert len(proc.search("common", limit=20)) == 8


def test_filters_narrow_hits_to_a_kind_a_state_or_a_topic(search_kb):
    root = search_kb({
        "posts/2026/lag.md": doc("Kafka lag dashboards", "alice", "2026-01-01", "Our #kafka lag dashboards."),
        "questions/lag/index.md": doc("Why is consumer lag growing?", "bob", "2026-01-02", "Lag grows. #kafka"),
        "questions/lag/answers/a.md": "---\nauthor: alice\ndate: 2026-01-03\n---\nScale the consumers.\n",
        "questions/disk/index.md": doc("Disk lag on the build box?", "bob", "2026-01-02", "Slow disk. #ci"),
    })
    runner = CliRunner()

    def found(*args):
        out = runner.invoke(main, ["-C", str(root), "search", "lag", "--json", *args])
        assert out.exit_code == 0, out.output
        return sorted(h["id"] for h in json.loads(out.output))

    assert found("--kind", "question") == ["questions/disk", "questions/lag"]
    assert found("--kind", "post") == ["posts/2026/lag"]
    assert found("--state", "answered") == ["questions/lag"]
    assert found("--state", "unanswered") == ["questions/disk"]
    assert found("--topic", "#Kafka") == ["posts/2026/lag", "questions/lag"]
    assert found("--kind", "person") == []
    people = runner.invoke(main, ["-C", str(root), "search", "alice", "--kind", "person", "--json"])
    assert [h["id"] for h in json.loads(people.output)] == ["people/alice"]
