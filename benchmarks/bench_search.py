"""Search: relevance on the demo content (hit@1, hit@3), then index build, one-document update
and query latency at N synthetic documents.

Usage: python benchmarks/bench_search.py [N ...]        (default: 1000 10000)
       python benchmarks/bench_search.py --relevance    (only hit@1 / hit@3)

Synthetic documents: 300–500 words drawn from a Zipf-distributed vocabulary of
20,000 made-up words (as in real text once stop words are removed: a few words
are in most documents, most words are rare); 70% posts, 10% questions, 20% answers. Queries are 2–3 words taken
from a random document's title and body. Latency is `wol.search.search()` with
snippets and `similar()`, on a warm, up-to-date index (what the web editor
sees); `wol search` on the command line adds reading content/ (see
bench_derive.py).
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wol.content.document import ANSWER, POST, QUESTION, Content, Document, Person  # noqa: E402
from wol.graph import build_graph  # noqa: E402
from wol.search import search, similar, update_index  # noqa: E402
from wol.settings import Settings, load_settings  # noqa: E402

VOCABULARY = 20_000
STOPWORDS = 100
QUERIES = 300


def relevance() -> tuple[float, float, int]:
    """hit@1 over the queries with `top1`, hit@3 over all expectations (top1 within 3 and top3)."""
    cases = yaml.safe_load((ROOT / "tests" / "data" / "relevance.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache:
        settings = dataclasses.replace(load_settings(ROOT), cache_dir=cache)
        at1 = at3 = n1 = n3 = 0
        for case in cases:
            hits = [h.id for h in search(settings, case["query"], limit=3)]
            if "top1" in case:
                n1 += 1
                at1 += hits[:1] == [case["top1"]]
            expected = ([case["top1"]] if "top1" in case else []) + case.get("top3", [])
            n3 += 1
            at3 += all(e in hits for e in expected)
    return at1 / n1, at3 / n3, len(cases)


def words(rng: random.Random):
    """A Zipf sampler over made-up words: the word of rank k is drawn with weight 1/(k+1); the
    STOPWORDS most frequent ranks (the, of, and… which the analyzer drops) are left out."""
    ranks = range(STOPWORDS, STOPWORDS + VOCABULARY)
    weights = [1 / (k + 1) for k in ranks]
    vocab = [_word(k) for k in ranks]
    return lambda n: rng.choices(vocab, weights=weights, k=n)


def _word(k: int) -> str:
    letters = "bcdfghjklmnprstvz"
    vowels = "aeiou"
    out = ""
    k += 1
    while k:
        k, r = divmod(k, len(letters) * len(vowels))
        out += letters[r % len(letters)] + vowels[r // len(letters)]
    return out + "x"  # no English stem changes these made-up words


def synthetic_content(n: int, seed: int = 11) -> Content:
    rng = random.Random(seed)
    draw = words(rng)
    content = Content()
    handles = [f"user{i}" for i in range(200)]
    for h in handles:
        content.add(Person(handle=h, path=f"content/people/{h}.md", name=f"User {h[4:]}", email=f"{h}@example.com"))
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    questions = []
    for i in range(n):
        kind = POST if i % 10 < 7 or not questions and i % 10 >= 8 else QUESTION if i % 10 == 7 else ANSWER
        text = " ".join(draw(rng.randint(300, 500)))
        tags = [f"topic{rng.randrange(60)}" for _ in range(rng.randint(1, 3))]
        when = start + timedelta(hours=i)
        if kind == POST:
            doc_id = f"posts/p{i}"
        elif kind == QUESTION:
            doc_id = f"questions/q{i}"
            questions.append(doc_id)
        else:
            doc_id = f"{rng.choice(questions)}/answers/a{i}"
        title = "" if kind == ANSWER else " ".join(draw(rng.randint(4, 8))).capitalize()
        content.add(Document(id=doc_id, kind=kind, path=f"content/{doc_id}.md", title=title,
                             author=rng.choice(handles), date=when, body=text, body_line=5, tags=tags))
    return content


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def timed_both(fn):
    """(wall seconds, CPU seconds of this process): on shared, busy cores the CPU time shows
    the work itself, the wall time what a user waited."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_size(n: int) -> dict:
    rng = random.Random(n)
    content = synthetic_content(n)
    graph_s, graph = timed(lambda: build_graph(content))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(root=Path(tmp))
        build_s, stats = timed(lambda: update_index(settings, graph))
        assert stats["rebuilt"]

        updates = []
        posts = [d for d in content.documents.values() if d.kind == POST]
        for k in range(5):
            doc = rng.choice(posts)
            content.documents[doc.id] = dataclasses.replace(doc, body=doc.body + f" edited{k}")
            graph = build_graph(content)
            seconds, stats = timed(lambda: update_index(settings, graph))
            assert stats["updated"] == 1, stats
            updates.append(seconds)

        docs = [d for d in graph.documents.values() if d.kind != ANSWER]
        queries = []
        for _ in range(QUERIES):
            d = rng.choice(docs)
            queries.append(" ".join(rng.sample(d.title.split(), 1) + rng.sample(d.body.split(), rng.randint(1, 2))))
        search(settings, queries[0], graph=graph)  # open the searcher
        query = [timed_both(lambda: search(settings, q, limit=10, graph=graph)) for q in queries]
        like = [timed_both(lambda: similar(settings, q, limit=5, graph=graph)) for q in queries]
    ms = lambda values, p: (statistics.median(values) if p == 50 else percentile(values, p)) * 1000  # noqa: E731
    wall, cpu = [w for w, _ in query], [c for _, c in query]
    return {"n": n, "graph_s": graph_s, "build_s": build_s, "update_ms": statistics.median(updates) * 1000,
            "q_med": ms(wall, 50), "q_p95": ms(wall, 95), "q_cpu_med": ms(cpu, 50), "q_cpu_p95": ms(cpu, 95),
            "s_med": ms([w for w, _ in like], 50), "s_p95": ms([w for w, _ in like], 95)}


def main(args):
    at1, at3, count = relevance()
    print(f"relevance ({count} queries, tests/data/relevance.yaml): hit@1 {at1:.1%}  hit@3 {at3:.1%}")
    if args == ["--relevance"]:
        return
    sizes = [int(a) for a in args] or [1000, 10000]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'docs':>7} {'graph s':>8} {'index build s':>14} {'1-doc update ms':>16} "
          f"{'search ms med':>14} {'p95':>6} {'(CPU med':>9} {'p95)':>6} {'similar ms med':>15} {'p95':>6}")
    for n in sizes:
        r = bench_size(n)
        print(f"{r['n']:>7} {r['graph_s']:>8.2f} {r['build_s']:>14.1f} {r['update_ms']:>16.0f} "
              f"{r['q_med']:>14.1f} {r['q_p95']:>6.1f} {r['q_cpu_med']:>9.1f} {r['q_cpu_p95']:>6.1f} "
              f"{r['s_med']:>15.1f} {r['s_p95']:>6.1f}", flush=True)
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])
