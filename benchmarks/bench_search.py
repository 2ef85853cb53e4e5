"""Search: relevance on the demo content (hit@1, hit@3), then index build, one-document update
and query latency at N synthetic documents.

Usage: python benchmarks/bench_search.py [--against REV] [N ...]   (default: 1000 10000)
       python benchmarks/bench_search.py --relevance                (only hit@1 / hit@3)

--against REV also measures wol/search.py as it was at Git revision REV (e.g. HEAD~3), in
the same run on the same documents and queries, alternating query by query, so that a
busy machine slows both alike; each figure is then printed for REV and for the working tree.

Synthetic documents: 300–500 words drawn from a Zipf-distributed vocabulary of
20,000 made-up words (as in real text once stop words are removed: a few words
are in most documents, most words are rare); 70% posts, 10% questions, 20% answers. Queries are 2–3 words taken
from a random document's title and body. Latency is `wol.engines.search.search()` with
snippets and `similar()`, on a warm, up-to-date index (what the web editor
sees); `wol search` on the command line adds reading content/ (see
bench_derive.py).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wol.content.document import ANSWER, POST, QUESTION, Content, Document, Person  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
import wol.engines.search  # noqa: E402
from wol.settings import Settings, load_settings  # noqa: E402

VOCABULARY = 20_000
STOPWORDS = 100
QUERIES = 300


def baseline_search(rev: str):
    """wol/search.py as of Git revision `rev`, imported as a module of the wol package."""
    source = subprocess.run(["git", "show", f"{rev}:wol/search.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    name = "wol._search_" + "".join(c if c.isalnum() else "_" for c in rev)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    module.__package__ = "wol"
    sys.modules[name] = module
    exec(compile(source, f"{rev}:wol/search.py", "exec"), module.__dict__)
    return module


def relevance(impl=wol.engines.search) -> tuple[float, float, int]:
    """hit@1 over the queries with `top1`, hit@3 over all expectations (top1 within 3 and top3)."""
    cases = yaml.safe_load((ROOT / "tests" / "data" / "relevance.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache:
        settings = dataclasses.replace(load_settings(ROOT), cache_dir=cache)
        at1 = at3 = n1 = n3 = 0
        for case in cases:
            hits = [h.id for h in impl.search(settings, case["query"], limit=3)]
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
    """(wall seconds, CPU seconds of this process and its finished children): on shared, busy
    cores the CPU time shows the work itself, the wall time what a user waited."""
    def cpu():
        t = os.times()  # children's times, in clock ticks; our own from process_time (finer)
        return time.process_time() + t.children_user + t.children_system
    t, c = time.perf_counter(), cpu()
    fn()
    return time.perf_counter() - t, cpu() - c


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_size(n: int, impls: dict) -> dict:
    """{label: figures} for each search implementation, on the same documents and queries."""
    rng = random.Random(n)
    content = synthetic_content(n)
    graph_s, graph = timed(lambda: build_graph(content))
    posts = [d for d in content.documents.values() if d.kind == POST]
    edits = [rng.choice(posts) for _ in range(5)]
    docs = [d for d in graph.documents.values() if d.kind != ANSWER]
    queries = []
    for _ in range(QUERIES):
        d = rng.choice(docs)
        queries.append(" ".join(rng.sample(d.title.split(), 1) + rng.sample(d.body.split(), rng.randint(1, 2))))
    results = {label: {"n": n, "graph_s": graph_s} for label in impls}
    with tempfile.TemporaryDirectory() as tmp:
        settings = {label: Settings(root=Path(tmp) / label) for label in impls}
        for label, impl in impls.items():
            wall, cpu = timed_both(lambda: impl.update_index(settings[label], graph))
            results[label].update(build_s=wall, build_cpu_s=cpu)
        graphs = []
        edited = dict(content.documents)
        for k, doc in enumerate(edits):
            edited[doc.id] = dataclasses.replace(edited[doc.id], body=edited[doc.id].body + f" edited{k}")
            graphs.append(build_graph(dataclasses.replace(content, documents=dict(edited))))
        for label, impl in impls.items():
            updates = []
            for g in graphs:
                seconds, stats = timed(lambda: impl.update_index(settings[label], g))
                assert stats["updated"] == 1, stats
                updates.append(seconds)
            results[label]["update_ms"] = statistics.median(updates) * 1000
            impl.search(settings[label], queries[0], graph=graphs[-1])  # open the searcher
        query = {label: [] for label in impls}
        like = {label: [] for label in impls}
        for q in queries:  # alternate: a busy moment slows every implementation alike
            for label, impl in impls.items():
                query[label].append(timed_both(lambda: impl.search(settings[label], q, limit=10, graph=graphs[-1])))
                like[label].append(timed_both(lambda: impl.similar(settings[label], q, limit=5, graph=graphs[-1])))
    ms = lambda values, p: (statistics.median(values) if p == 50 else percentile(values, p)) * 1000  # noqa: E731
    for label in impls:
        wall, cpu = [w for w, _ in query[label]], [c for _, c in query[label]]
        results[label].update(q_med=ms(wall, 50), q_p95=ms(wall, 95), q_cpu_med=ms(cpu, 50), q_cpu_p95=ms(cpu, 95),
                              s_med=ms([w for w, _ in like[label]], 50), s_p95=ms([w for w, _ in like[label]], 95))
    return results


def main(args):
    impls = {}
    if args[:1] == ["--against"]:
        rev, args = args[1], args[2:]
        impls[rev] = baseline_search(rev)
    impls["now"] = wol.engines.search
    for label, impl in impls.items():
        at1, at3, count = relevance(impl)
        print(f"{label:>8}: relevance ({count} queries, tests/data/relevance.yaml): hit@1 {at1:.1%}  hit@3 {at3:.1%}")
    if args == ["--relevance"]:
        return
    sizes = [int(a) for a in args] or [1000, 10000]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'':>8} {'docs':>7} {'graph s':>8} {'index build s':>14} {'(CPU s)':>8} {'1-doc update ms':>16} "
          f"{'search ms med':>14} {'p95':>6} {'(CPU med':>9} {'p95)':>6} {'similar ms med':>15} {'p95':>6}")
    for n in sizes:
        for label, r in bench_size(n, impls).items():
            print(f"{label:>8} {r['n']:>7} {r['graph_s']:>8.2f} {r['build_s']:>14.1f} {r['build_cpu_s']:>8.1f} "
                  f"{r['update_ms']:>16.0f} {r['q_med']:>14.1f} {r['q_p95']:>6.1f} {r['q_cpu_med']:>9.1f} "
                  f"{r['q_cpu_p95']:>6.1f} {r['s_med']:>15.1f} {r['s_p95']:>6.1f}", flush=True)
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
