"""The static index `wol build` writes for the reader's search box ranks as `wol search` does.

`shards.Shards` reads the files as the box's script does (the script itself is tested in Chromium,
tests/site/); these tests hold the exporter to whoosh's scores, the typo rule, and the update rule.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from knowledge_base import doc, write_kb
from static_shards import Shards, content_text, queries, write
from wol.derive.graph import build_graph
from wol.engines.search import SearchIndex, StaticIndex
from wol.engines.search.analysis import Analysis
from wol.knowledge import load_graph
from wol.pipeline import build_site
from wol.settings import Settings, load_settings
from wol.stage.search import build_entries

from synthetic import zipf_content  # noqa: E402 (benchmarks/, put on the path by static_shards)

HOSTILE_TEXT = ("İstanbul ŞEHİR straße Ǆemal node.js v1.2.3 a_b __init__ e\u0301te\u0301 naïve 東京 ٣٤٥ x y "
                "don't — “quoted” <b>bold</b> 12,5% $HOME ~/x.py")


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_one_pass_analysis_yields_the_analyzers_words(language):
    analysis = Analysis.of_language(language)
    demo = load_graph(load_settings(Path(__file__).resolve().parents[2]))
    texts = [HOSTILE_TEXT] + [d.title + "\n" + d.body for d in demo.documents.values()]
    for text in texts:
        assert analysis.words(text) == [t.text for t in analysis.surface(text)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """400 synthetic documents, indexed by whoosh (as `wol search`) and written as shards (as `wol build`)."""
    tmp = tmp_path_factory.mktemp("static")
    graph = build_graph(zipf_content(400, seed=3))
    settings = Settings(root=tmp / "kb")
    index = SearchIndex(settings)
    index.semantic = False  # the lexical half: `Shards` adds up weights; meaning is compared in Chromium
    index.update(graph)  # (tests/search/test_box_agreement.py)
    entries = build_entries(graph)
    return graph, index, Shards(write(StaticIndex("en").files(entries), tmp / "site")), entries


def test_shards_rank_as_wol_search_on_three_hundred_random_queries(synthetic):
    graph, index, shards, entries = synthetic
    same = 0
    asked = queries(entries, 300, seed=5)
    for q in asked:
        wol = index.search(graph, q, limit=10)
        box = shards.search(q, limit=10)
        if [h.id for h in wol] == [h["id"] for h in box]:
            same += 1
            continue
        # near-ties may swap by the weights' rounding (1/10,000), nothing else
        assert len(wol) == len(box), q
        for mine, theirs in zip(wol, box):
            assert abs(mine.score * 10_000 - theirs["score"]) <= 10 + 1e-4 * theirs["score"], (q, mine, theirs)
    assert same >= 0.95 * len(asked)


def test_typos_are_corrected_by_the_same_rule_in_both(synthetic):
    graph, index, shards, entries = synthetic
    for typo in ("kubrenetes", "kuberntes", "kubernetess", "vnp"):
        assert [h.id for h in index.search(graph, typo)] == [h["id"] for h in shards.search(typo)], typo
    assert shards.search("kubrenetes") and shards.search("kubrenetes")[0]["topics"]


def test_a_hit_carries_state_answer_lead_and_topics(tmp_path):
    root = write_kb(tmp_path / "kb", {
        "questions/lag/index.md": doc("Why does consumer lag grow after a deploy?", "bob", "2026-01-02",
                                      "Lag grows after each deploy. #kafka"),
        "questions/lag/answers/alice.md": doc(None, "alice", "2026-01-03", "It is the rebalancing: use cooperative"
                                              " sticky assignment and static membership."),
        "questions/lag/answers/carol.md": doc(None, "carol", "2026-01-04", "Try a zookeeper restart."),
        "posts/2026/other.md": doc("Lunch", "carol", "2026-01-05", "Soup."),
    }, use_git=False)
    (root / "content/questions/lag/index.md").write_text(
        doc("Why does consumer lag grow after a deploy?", "bob", "2026-01-02", "Lag grows after each deploy. #kafka",
            "accepted: alice\n"), encoding="utf-8")
    build_site(load_settings(root), tmp_path / "site")
    shards = Shards(tmp_path / "site" / "search")
    first = shards.search("consumer lag")[0]
    assert first["id"] == "questions/lag" and first["state"] == "solved" and first["topics"] == ["kafka"]
    assert first["lead"].startswith("It is the rebalancing") and first["answered_by"] == "Alice Martin"
    only_in_answer = shards.search("zookeeper")
    assert only_in_answer[0]["id"] == "questions/lag"
    assert [a["url"] for a in only_in_answer[0]["answers"]] == ["questions/lag/#alice", "questions/lag/#carol"]
    stem_postings = json.loads((tmp_path / "site/search/p").joinpath(
        next(p.name for p in (tmp_path / "site/search/p").glob("*.json")
             if "zookeep" in json.loads(p.read_text()))).read_text())["zookeep"]
    assert stem_postings[2] == [2]  # only in the second answer: the hit links to it


def test_an_edit_rewrites_only_the_shards_holding_its_words(synthetic):
    graph, index, shards, entries = synthetic
    static = StaticIndex("en")
    before = static.files(entries)
    edited = dict(entries)
    some = next(e for e in entries.values() if e.kind == "post")
    edited[some.id] = dataclasses.replace(some, body=some.body + " quokkaplatypus")
    after = static.files(edited)
    changed = [p for p in after if before.get(p) != after[p]]
    postings = [p for p in changed if p.startswith("search/p/")]
    assert len(postings) == 1 and Analysis.of_language("en").stem("quokkaplatypus") in json.loads(after[postings[0]])
    assert "search/meta.json" in changed and all(p.startswith(("search/v/", "search/f/", "search/d/"))
                                                 for p in set(changed) - {"search/meta.json", postings[0]})
    assert len(changed) <= 0.1 * len(after), changed  # its forms' shards (v/, f/), its record at most
    assert Shards(write(after, Path(shards.folder).parent.parent / "edited")).search("quokkaplatypus")[0]["id"] == some.id
    assert len(before) > 50


def test_drafts_and_forgotten_people_are_not_in_the_static_index(tmp_path):
    root = write_kb(tmp_path / "kb", {
        "posts/2026/draft.md": doc("Secret zebracorn plans", "alice", "2026-01-01", "Zebracorn.", "draft: true\n"),
        "posts/2026/bob.md": doc("Bob's quokka notes", "bob", "2026-01-02", "Okafor writes about quokkas."),
    })
    from click.testing import CliRunner
    from wol.cli import main
    assert CliRunner().invoke(main, ["-C", str(root), "forget", "bob", "--yes"]).exit_code == 0
    build_site(load_settings(root), tmp_path / "site")
    text = "".join(content_text(p) for p in (tmp_path / "site/search").rglob("*.json")).lower()
    assert "zebracorn" not in text and "okafor" not in text and "bob" not in text


def test_a_mkdocs_yml_that_lists_search_builds_with_wols_index_only(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/2026/x.md": doc("Forklift licence", "alice", "2026-01-01", "Renew.")},
                    use_git=False)
    assert "  - search" in (root / "mkdocs.yml").read_text()
    report = build_site(load_settings(root), tmp_path / "site", strict=True)
    assert not (tmp_path / "site/search/search_index.json").exists()
    assert Shards(tmp_path / "site/search").search("forklift")[0]["id"] == "posts/2026/x"
    assert not report.warnings



def test_a_reader_finds_a_word_by_another_form_of_it_as_wol_search_does(tmp_path):
    """The box has no stemmer: the forms a reader may type that the stemmer takes to an indexed word are in `v/`."""
    root = write_kb(tmp_path / "kb", {
        "posts/2026/freshness.md": doc("Data freshness targets", "alice", "2026-01-01", "Readings arrive late."),
        "posts/2026/setup.md": doc("Proxy configuration", "bob", "2026-01-02", "Deploy the proxy."),
    })
    settings = load_settings(root)
    build_site(settings, tmp_path / "site")
    shards = Shards(tmp_path / "site/search")
    index = SearchIndex(settings)
    for typed, expect in (("fresh", "posts/2026/freshness"), ("arrival", "posts/2026/freshness"),
                          ("configuring", "posts/2026/setup"), ("deploying", "posts/2026/setup")):
        assert [h["id"] for h in shards.search(typed)] == [expect], typed
        assert [h.id for h in index.search(load_graph(settings), typed)] == [expect], typed


def _edits(entries: dict) -> list[dict]:
    """The entries after each of a run of edits: a post's text, a new document in the middle, a question's
    answer, a removal, documents in another order, and a word that leaves the index with its last document."""
    ids = list(entries)
    post = next(i for i in ids if entries[i].kind == "post")
    question = next(i for i in ids if entries[i].answers)
    steps, now = [], dict(entries)
    now[post] = dataclasses.replace(now[post], body=now[post].body + " quokkaplatypus deploying")
    steps.append(dict(now))
    items = list(now.items())
    new = dataclasses.replace(entries[post], id="posts/new", url="/posts/new/", title="Wombat rollout",
                              body="zebracorn wombats")
    now = dict(items[:len(items) // 2] + [("posts/new", new)] + items[len(items) // 2:])
    steps.append(dict(now))
    (url, body), *rest = now[question].answers
    now[question] = dataclasses.replace(now[question], answers=((url, body + " only-in-answer okapi"), *rest))
    steps.append(dict(now))
    del now[ids[3]]
    steps.append(dict(now))
    now = dict(reversed(list(now.items())))
    steps.append(dict(now))
    now["posts/new"] = dataclasses.replace(now["posts/new"], body="plain words")  # zebracorn leaves the index
    steps.append(dict(now))
    return steps


def test_a_build_counts_only_what_changed_and_writes_what_counting_everything_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("WOL_SEMANTIC", "0")
    entries = build_entries(build_graph(zipf_content(120, seed=4)))
    cache = tmp_path / "cache"
    StaticIndex("en", cache=cache).files(entries)
    for step, edited in enumerate(_edits(entries)):
        kept = StaticIndex("en", cache=cache).files(edited)  # a new process: counts from the cache
        assert kept == StaticIndex("en").files(edited), f"edit {step}"
    assert "zebracorn" not in kept["search/meta.json"] + "".join(v for p, v in kept.items() if "/v/" in p)


def test_the_live_index_counts_only_what_changed_and_writes_what_counting_everything_writes(monkeypatch):
    monkeypatch.setenv("WOL_SEMANTIC", "0")
    entries = build_entries(build_graph(zipf_content(120, seed=4)))
    live, again = StaticIndex("en"), StaticIndex("en")  # one generation each: the first call's statistics
    live.files(entries)
    again.files(entries)
    for step, edited in enumerate(_edits(entries)):
        again._counted = None  # forget the counts: count every entry again, in the same generation
        assert live.files(edited) == again.files(edited), f"edit {step}"
