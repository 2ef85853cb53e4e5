"""Search engines side by side: wol's whoosh adapter against prototypes on tantivy and SQLite FTS5.

Usage: python benchmarks/bench_engines.py [N ...]   (default: 1000 10000; needs `pip install tantivy`)

Every engine indexes the same entries (`wol.stage.search.build_entries`: a question
carries its answers' words) of bench_search.py's synthetic documents, with the same
field weights (title 3, topics 2, text 1, author ½) and the same quality prior, and
answers the same queries, in turn, with ten hits and a snippet each. The prototypes
are what a port would start from, not a port: they stem English only, OR the query's
words, and have no typo tolerance and no hit that links to the answer holding the
words — so their hit@1 / hit@3 on the demo content is a floor, and their speed a
ceiling of what a complete adapter would reach. See docs/search.md.
"""

from __future__ import annotations

import dataclasses
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import EDITS, QUERIES, percentile, synthetic_content  # noqa: E402
from wol.content.document import ANSWER, POST  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
from wol.engines.search import SearchIndex  # noqa: E402
from wol.knowledge import load_graph  # noqa: E402
from wol.settings import Settings, load_settings  # noqa: E402
from wol.stage.search import build_entries  # noqa: E402

BOOSTS = {"title": 3.0, "topics": 2.0, "text": 1.0, "author": 0.5}
WORD = re.compile(r"\w+")


class Whoosh:
    """wol's own adapter, as `wol serve` uses it."""

    name = "whoosh"

    def __init__(self, folder: Path):
        self.index = SearchIndex(Settings(root=folder))

    def update(self, graph):
        self.index.update(graph)

    def search(self, graph, query: str) -> list[str]:
        return [h.id for h in self.index.search(graph, query, 10)]


class Tantivy:
    """tantivy-py: BM25 with per-field boosts, the prior as `weight_by_field` (score × log2(2 + w))."""

    name = "tantivy"

    def __init__(self, folder: Path):
        import tantivy
        self.t = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in BOOSTS:
            builder.add_text_field(name, stored=name in ("title", "text"), tokenizer_name="en_stem")
        builder.add_float_field("weight", fast=True)
        self.schema = builder.build()
        self.ix = tantivy.Index(self.schema, path=str(folder))
        self.digests: dict[str, str] = {}

    def update(self, graph):
        entries = build_entries(graph)
        writer = self.ix.writer(heap_size=128_000_000, num_threads=2)
        for doc_id in [i for i in self.digests if i not in entries]:
            writer.delete_documents_by_term("id", doc_id)
            del self.digests[doc_id]
        for doc_id, entry in entries.items():
            digest = entry.digest()
            if self.digests.get(doc_id) == digest:
                continue
            if doc_id in self.digests:
                writer.delete_documents_by_term("id", doc_id)
            text, _ = entry.text()
            writer.add_document(self.t.Document(id=doc_id, title=entry.title, topics=entry.topics, text=text,
                                                author=entry.author, weight=2 ** entry.quality - 2))
            self.digests[doc_id] = digest
        writer.commit()
        writer.wait_merging_threads()
        self.ix.reload()

    def search(self, graph, query: str) -> list[str]:
        words = " ".join(WORD.findall(query))
        if not words:
            return []
        q = self.ix.parse_query(words, list(BOOSTS), field_boosts=BOOSTS)
        searcher = self.ix.searcher()
        hits = searcher.search(q, 10, weight_by_field="weight").hits
        snippets = self.t.SnippetGenerator.create(searcher, q, self.schema, "text")
        found = []
        for _, address in hits:
            doc = searcher.doc(address)
            snippets.snippet_from_doc(doc).to_html()
            found.append(doc["id"][0])
        return found


class Fts5:
    """SQLite FTS5 (the standard library's sqlite3): bm25() with column weights, × the prior."""

    name = "sqlite-fts5"

    def __init__(self, folder: Path):
        self.db = sqlite3.connect(folder / "search.sqlite", check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, topics, text, author, "
                        "quality UNINDEXED, digest UNINDEXED, tokenize='porter unicode61')")

    def update(self, graph):
        entries = build_entries(graph)
        old = dict(self.db.execute("SELECT id, digest FROM docs"))
        with self.db:
            for doc_id in old.keys() - entries.keys():
                self.db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
            for doc_id, entry in entries.items():
                digest = entry.digest()
                if old.get(doc_id) == digest:
                    continue
                if doc_id in old:
                    self.db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
                text, _ = entry.text()
                self.db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (doc_id, entry.title, entry.topics, text, entry.author, entry.quality, digest))

    def search(self, graph, query: str) -> list[str]:
        words = WORD.findall(query)
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute(
            "SELECT id, snippet(docs, 3, '<mark>', '</mark>', '…', 30) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs, 0, 3.0, 2.0, 1.0, 0.5) * quality LIMIT 10", (match,)).fetchall()
        return [r[0] for r in rows]


def engines() -> list:
    """The engines this Python can run (tantivy is not a dependency of wol)."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        print("tantivy is not installed (pip install tantivy): measuring whoosh and SQLite FTS5 only")
        return [Whoosh, Fts5]
    return [Whoosh, Tantivy, Fts5]


ENGINES = engines()


def relevance(engine_class) -> tuple[float, float]:
    cases = yaml.safe_load((ROOT / "tests" / "data" / "relevance.yaml").read_text(encoding="utf-8"))
    graph = load_graph(dataclasses.replace(load_settings(ROOT), cache_dir=tempfile.mkdtemp()))
    engine = engine_class(Path(tempfile.mkdtemp()))
    engine.update(graph)
    at1 = at3 = n1 = 0
    for case in cases:
        hits = engine.search(graph, case["query"])[:3]
        if "top1" in case:
            n1 += 1
            at1 += hits[:1] == [case["top1"]]
        at3 += all(e in hits for e in ([case["top1"]] if "top1" in case else []) + case.get("top3", []))
    return at1 / n1, at3 / len(cases)


def bench_size(n: int) -> dict:
    rng = random.Random(n)
    content = synthetic_content(n)
    graph = build_graph(content)
    posts = [d for d in content.documents.values() if d.kind == POST]
    edits = [rng.choice(posts) for _ in range(EDITS)]
    docs = [d for d in graph.documents.values() if d.kind != ANSWER]
    queries = []
    for _ in range(QUERIES):
        d = rng.choice(docs)
        queries.append(" ".join(rng.sample(d.title.split(), 1) + rng.sample(d.body.split(), rng.randint(1, 2))))
    graphs, documents = [], dict(content.documents)
    for k, doc in enumerate(edits):
        documents[doc.id] = dataclasses.replace(documents[doc.id], body=documents[doc.id].body + f" edited{k}")
        graphs.append(build_graph(dataclasses.replace(content, documents=dict(documents))))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        engines = []
        for engine_class in ENGINES:
            folder = Path(tmp) / engine_class.name
            folder.mkdir()
            engine = engine_class(folder)
            t = time.perf_counter()
            engine.update(graph)
            results[engine.name] = {"build_s": time.perf_counter() - t, "update": [], "query": []}
            engines.append(engine)
        for g in graphs:
            for engine in engines:
                t = time.perf_counter()
                engine.update(g)
                results[engine.name]["update"].append(time.perf_counter() - t)
        for engine in engines:
            engine.search(graphs[-1], queries[0])  # open the searcher
        for q in queries:  # in turn: a busy moment slows every engine alike
            for engine in engines:
                t = time.perf_counter()
                engine.search(graphs[-1], q)
                results[engine.name]["query"].append(time.perf_counter() - t)
    return results


def main(args):
    for engine_class in ENGINES:
        at1, at3 = relevance(engine_class)
        print(f"{engine_class.name:>12}: relevance hit@1 {at1:.1%}  hit@3 {at3:.1%}", flush=True)
    print(f"{'':>12} {'docs':>7} {'build s':>8} {'1-doc update ms':>16} {'search ms med':>14} {'p95':>6}")
    for n in [int(a) for a in args] or [1000, 10000]:
        for name, r in bench_size(n).items():
            print(f"{name:>12} {n:>7} {r['build_s']:>8.1f} {statistics.median(r['update']) * 1000:>16.0f} "
                  f"{statistics.median(r['query']) * 1000:>14.1f} {percentile(r['query'], 95) * 1000:>6.1f}",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
