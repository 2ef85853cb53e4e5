"""How `wol build` computes the static index: counted once per distinct word, cached between builds,
rewritten shard by shard; and what goes into its text (tables, replies).

The fast counting must give whoosh's own numbers (the agreement tests in test_static.py and
test_box_agreement.py hold the scores; these hold the counts themselves, on text chosen to break them).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from knowledge_base import doc, write_kb
from static_shards import Shards
from wol.derive.graph import build_graph
from wol.engines.search import static
from wol.engines.search.analysis import Analysis
from wol.engines.search.schema import FIELD_BOOSTS, analyzer_for
from wol.knowledge import load_graph
from wol.pipeline import SiteBuilder, build_site
from wol.settings import load_settings
from wol.stage.search import Entry, build_entries, plain_text

from synthetic import zipf_content  # noqa: E402 (benchmarks/, put on the path by static_shards)

REPO = Path(__file__).resolve().parents[2]
ALPHABET = ("abcdeéfghiİıjklmnopqrsßtuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            "_.-'’ \n\t·東京٣٤ǄǅǆΣσςﬁ\u0301\u00a0\u2028*`|#[]()<>")
STOPS = ["the", "and", "of", "a", "to", "is", "le", "la", "et", "der", "und", "die", "i", "x"]


def random_text(rng: random.Random, words: int) -> str:
    """Unicode-ish text: random letters of several scripts and cases, stop words, dotted words, markup."""
    out = []
    for _ in range(words):
        r = rng.random()
        if r < 0.2:
            out.append(rng.choice(STOPS).upper() if rng.random() < 0.3 else rng.choice(STOPS))
        elif r < 0.3:
            out.append(".".join("".join(rng.choices(ALPHABET[:40], k=rng.randint(1, 4))) for _ in range(3)))
        else:
            out.append("".join(rng.choices(ALPHABET, k=rng.randint(1, 12))))
    return " ".join(out)


def entry(doc_id: str, title: str, body: str, answers=(), topics: str = "", author: str = "") -> Entry:
    return Entry(id=doc_id, kind="question" if answers else "post", title=title, url=doc_id + "/", body=body,
                 answers=tuple((f"{doc_id}/#a{k}", a) for k, a in enumerate(answers)), topics=topics,
                 author=author, date="2026-01-01", quality=1.0)


def reference(entries: list[Entry], language: str):
    """What whoosh's analyzer counts, field by field and document by document, and the answer of each
    text word absent from the document's own text (the answer holding most of it, the first of equals)."""
    analyzer = analyzer_for(language)
    stems = lambda text: Counter(t.text for t in analyzer(text))  # noqa: E731
    tf, lengths, answers = {}, {}, {}
    for d, e in enumerate(entries):
        text, starts = e.text()
        values = {"title": e.title, "topics": e.topics, "text": text, "author": e.author}
        for name in FIELD_BOOSTS:
            counted = stems(values[name])
            lengths[name, d] = sum(counted.values())
            tf.update({(name, stem, d): n for stem, n in counted.items()})
        bounds = [0] + [s for s, _ in starts] + [len(text)]
        parts = [stems(text[bounds[k]:bounds[k + 1]]) for k in range(len(bounds) - 1)]
        for stem in set().union(*parts[1:]) - set(parts[0]) if starts else ():
            best = max(range(1, len(parts)), key=lambda k: (parts[k][stem], -k))
            answers[stem, d] = best
    return tf, lengths, answers


def counted(entries: list[Entry], language: str):
    """The same, as `static._count` counts it."""
    analysis = Analysis.of_language(language)
    counts = static._count([static.analyse(e, analysis) for e in entries], analysis)
    n = len(entries)
    tf = {(name, counts.stems[k // n], k % n): int(v)
          for name in FIELD_BOOSTS for k, v in zip(counts.keys[name].tolist(), counts.tf[name].tolist())}
    lengths = {(name, d): int(counts.lengths[name][d]) for name in FIELD_BOOSTS for d in range(n)}
    where, ks = counts.answers
    answers = {(counts.stems[k // n], k % n): int(v) for k, v in zip(where.tolist(), ks.tolist())}
    return tf, lengths, answers


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_counting_each_distinct_word_once_gives_the_analyzers_counts(language):
    rng = random.Random(language)
    entries = [entry(f"r/{i}", random_text(rng, 6), random_text(rng, 80),
                     [random_text(rng, 30) + " " + random_text(rng, 10) for _ in range(rng.randint(0, 3))],
                     random_text(rng, 3), random_text(rng, 2)) for i in range(60)]
    entries.append(entry("r/repeat", "word word", "shared only answer", ["only only answer", "only answer answer"]))
    demo = load_graph(load_settings(REPO))
    entries += list(build_entries(demo).values())
    entries += list(build_entries(build_graph(zipf_content(120, seed=9))).values())
    assert counted(entries, language) == reference(entries, language)


def test_the_answer_of_a_word_is_the_one_holding_most_of_it_the_first_of_equals():
    e = entry("q/x", "Lag", "consumer lag", ["zebra zebra", "zebra zebra zebra", "quokka", "quokka lag"])
    _, _, answers = counted([e], "en")
    assert answers == {("zebra", 0): 2, ("quokka", 0): 3}  # `lag` is in the question itself


def test_shard_json_is_the_standard_librarys_compact_sorted_json():
    value = {"é": [1, 2], "a\u2028": "x\x00\x1f\"\\/\t東", "Z": {"b": None, "a": True}, "ǆ": []}
    assert static._json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                                             sort_keys=True).encode()
    lone = {"x": "a\ud800b"}  # orjson refuses a lone surrogate: the standard library writes it
    assert static._json(lone).decode("utf-8", "surrogatepass") == json.dumps(
        lone, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def test_a_table_keeps_its_words_not_its_pipes():
    markdown = ("Set the retention:\n\n| topic | retention.ms |\n|---|:--:|\n| orders | 604800000 |\n"
                "| logs \\| audit | 86400000 |\n\nThen restart.")
    text = plain_text(markdown)
    assert text == "Set the retention: topic retention.ms orders 604800000 logs \\| audit 86400000 Then restart."
    assert plain_text("a | b in prose, `x | y` in code") == "a | b in prose, x | y in code"  # not a table


def test_a_results_lead_shows_no_table_markup(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/2026/retention.md": doc(
        "Kafka retention per topic", "alice", "2026-01-01",
        "| topic | retention.ms |\n|---|---|\n| orders | 604800000 |\n\nSet it per topic.")}, use_git=False)
    build_site(load_settings(root), tmp_path / "site")
    hit = Shards(tmp_path / "site/search").search("retention")[0]
    assert hit["lead"] == "topic retention.ms orders 604800000 Set it per topic."


def test_a_replys_words_find_its_thread_in_wol_search_and_in_the_box(tmp_path, process):
    root = write_kb(tmp_path / "kb", {
        "questions/lag/index.md": doc("Why does consumer lag grow?", "bob", "2026-01-02", "Lag grows. #kafka"),
        "questions/lag/answers/alice.md": doc(None, "alice", "2026-01-03", "Use cooperative rebalancing."),
        "questions/lag/answers/alice.replies/2026-01-04-carol.md": doc(None, "carol", "2026-01-04",
                                                                       "Did that with a quokkameter, works."),
        "questions/lag/replies/2026-01-05-alice.md": doc(None, "alice", "2026-01-05", "Which zebrafish version?"),
        "posts/2026/soup.md": doc("Soup", "carol", "2026-01-05", "Leek soup."),
        "posts/2026/soup.replies/2026-01-06-bob.md": doc(None, "bob", "2026-01-06", "Add platypus pepper."),
    }, use_git=False)
    settings = load_settings(root)
    assert [h.id for h in process(settings).search("quokkameter")][:1] == ["questions/lag"]
    assert [h.id for h in process(settings).search("zebrafish")][:1] == ["questions/lag"]
    assert [h.id for h in process(settings).search("platypus")][:1] == ["posts/2026/soup"]
    build_site(settings, tmp_path / "site")
    shards = Shards(tmp_path / "site/search")
    assert [h["id"] for h in shards.search("platypus")] == ["posts/2026/soup"]
    assert [h["id"] for h in shards.search("zebrafish")] == ["questions/lag"]
    assert [h["id"] for h in shards.search("quokkameter")] == ["questions/lag"]
    assert shards.postings(Analysis.of_language("en").stem("quokkameter"))[2] == [1]  # links to alice's answer


def kb_for_builds(tmp_path: Path) -> Path:
    files = {f"posts/2026/p{i}.md": doc(f"Post {i} about deploys", "alice", "2026-01-01",
                                        f"Deploying service {i} with canary steps and rollbacks. #kafka")
             for i in range(12)}
    return write_kb(tmp_path / "kb", files, use_git=False)


def test_a_rebuild_after_one_edit_analyses_one_entry_and_writes_the_same_index(tmp_path, monkeypatch):
    root = kb_for_builds(tmp_path)
    calls = []
    real = static.analyse
    monkeypatch.setattr(static, "analyse", lambda e, a: calls.append(e.id) or real(e, a))
    build_site(load_settings(root), root / "site")
    first = len(calls)
    assert first > 12 and list((root / ".wol-cache/search").glob("static-*.pickle"))
    post = root / "content/posts/2026/p3.md"
    post.write_text(post.read_text(encoding="utf-8").replace("canary", "canary quokkaplatypus"), encoding="utf-8")
    calls.clear()
    build_site(load_settings(root), root / "site")
    assert calls == ["posts/2026/p3"]
    assert Shards(root / "site/search").search("quokkaplatypus")[0]["id"] == "posts/2026/p3"
    warm = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site/search").rglob("*.json")}
    for cache in (root / ".wol-cache/search").glob("static-*.pickle"):
        cache.write_bytes(b"not a pickle")  # a corrupt cache is ignored: the build analyses everything
    calls.clear()
    build_site(load_settings(root), root / "site2")
    assert len(calls) == first
    cold = {p.relative_to(root / "site2"): p.read_bytes() for p in (root / "site2/search").rglob("*.json")}
    assert cold == warm


def test_the_live_update_rewrites_only_the_shards_whose_text_changed(tmp_path):
    root = kb_for_builds(tmp_path)
    builder = SiteBuilder(load_settings(root), root / "site", health_every=0)
    builder.build()
    folder = root / "site/search"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*.json")}
    post = root / "content/posts/2026/p3.md"
    post.write_text(post.read_text(encoding="utf-8").replace("canary", "canary quokkaplatypus"), encoding="utf-8")
    report = builder.update(["content/posts/2026/p3.md"])
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*.json")}
    changed = {p for p in after if p not in before or before[p][0] != after[p][0]}
    touched = {p for p in after if p not in before or before[p][1] != after[p][1]}
    written = {root / "site" / f for f in report.files if f.startswith("search/")}
    assert touched == changed == written and folder / "meta.json" in changed
    # meta, the post's record, its words' postings and forms, and its cluster of meaning (k/)
    assert len(changed) <= 6 < len(after), sorted(str(p.relative_to(folder)) for p in changed)
    assert folder / "t/vocab.json" not in changed
    assert Shards(folder).search("quokkaplatypus")[0]["id"] == "posts/2026/p3"
