"""Search: relevance on the demo content (hit@1, hit@3), then index build, one-document update
and query latency at N synthetic documents.

Usage: python benchmarks/bench_search.py [--against REV]... [--python LABEL=PYTHON]... [--relevance] [N ...]
       (default sizes: 1000 10000; --relevance: only hit@1 / hit@3)

Each implementation runs in a worker process of its own, importing `wol` from its source:
the working tree ("now"); with --against REV, the tree of Git revision REV (e.g. 34b20e4,
exported with `git archive`, before or after search was split); with --python LABEL=PYTHON,
the working tree under another interpreter or virtualenv (e.g. one with whoosh-reloaded
installed instead of whoosh). All see the same documents and queries (the same seeds) and
the demo content and relevance set of the working tree, and are driven in turn, query by
query, so that a busy machine slows each alike.

Synthetic documents: 300–500 words drawn from a Zipf-distributed vocabulary of
20,000 made-up words (as in real text once stop words are removed: a few words
are in most documents, most words are rare); 70% posts, 10% questions, 20% answers. Queries are 2–3 words taken
from a random document's title and body. Latency is a search with snippets and a `similar`
lookup on a warm, up-to-date index (what the web editor sees); `wol search` on the command
line adds reading content/ (see bench_derive.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VOCABULARY = 20_000
STOPWORDS = 100
QUERIES = 300
EDITS = 5


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


def synthetic_content(n: int, seed: int = 11):
    from wol.content.document import ANSWER, POST, QUESTION, Content, Document, Person
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


def timed_both(fn):
    """(wall seconds, CPU seconds of this process and its finished children): on shared, busy
    cores the CPU time shows the work itself, the wall time what a user waited."""
    def cpu():
        t = os.times()  # children's times, in clock ticks; our own from process_time (finer)
        return time.process_time() + t.children_user + t.children_system
    t, c = time.perf_counter(), cpu()
    result = fn()
    return time.perf_counter() - t, cpu() - c, result


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- the worker: one implementation, driven over stdin/stdout ------------------

class Engine:
    """The search API of whichever `wol` this worker imported: a SearchIndex the caller owns (since
    the split), else the module functions of wol/engines/search.py or, before that, wol/search.py."""

    def __init__(self, settings):
        try:
            import wol.engines.search as module
        except ImportError:
            import wol.search as module
        if hasattr(module, "update_index"):  # before the split: module functions over a registry
            self.index, self.module, self.settings = None, module, settings
        else:
            self.index, self.module = module.SearchIndex(settings), None

    def update(self, graph):
        return self.index.update(graph) if self.index else self.module.update_index(self.settings, graph)

    def search(self, graph, query, limit):
        return (self.index.search(graph, query, limit) if self.index
                else self.module.search(self.settings, query, limit, graph=graph))

    def similar(self, graph, title, limit):
        return (self.index.similar(graph, title, limit) if self.index
                else self.module.similar(self.settings, title, limit, graph=graph))


def build_graph(content):
    try:
        from wol.derive.graph import build_graph as build
    except ImportError:
        from wol.graph import build_graph as build
    return build(content)


class Worker:
    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory()

    def relevance(self):
        """hit@1 over the queries with `top1`, hit@3 over all expectations (top1 within 3 and top3)."""
        import yaml
        from wol.content.load import load_content
        from wol.settings import load_settings
        cases = yaml.safe_load((ROOT / "tests" / "data" / "relevance.yaml").read_text(encoding="utf-8"))
        settings = dataclasses.replace(load_settings(ROOT), cache_dir=tempfile.mkdtemp(dir=self.tmp.name))
        graph = build_graph(load_content(settings.content_path, settings.root, settings.cache_path))
        engine = Engine(settings)
        at1 = at3 = n1 = 0
        for case in cases:
            hits = [h.id for h in engine.search(graph, case["query"], 3)]
            if "top1" in case:
                n1 += 1
                at1 += hits[:1] == [case["top1"]]
            expected = ([case["top1"]] if "top1" in case else []) + case.get("top3", [])
            at3 += all(e in hits for e in expected)
        return {"at1": at1 / n1, "at3": at3 / len(cases), "count": len(cases)}

    def setup(self, n):
        """The synthetic documents, EDITS graphs each with one more post edited, and the queries."""
        from wol.content.document import ANSWER, POST
        from wol.settings import Settings
        rng = random.Random(n)
        content = synthetic_content(n)
        graph_s, _, self.graph = timed_both(lambda: build_graph(content))
        posts = [d for d in content.documents.values() if d.kind == POST]
        edits = [rng.choice(posts) for _ in range(EDITS)]
        docs = [d for d in self.graph.documents.values() if d.kind != ANSWER]
        self.queries = []
        for _ in range(QUERIES):
            d = rng.choice(docs)
            self.queries.append(" ".join(rng.sample(d.title.split(), 1) + rng.sample(d.body.split(), rng.randint(1, 2))))
        self.edited, documents = [], dict(content.documents)
        for k, doc in enumerate(edits):
            documents[doc.id] = dataclasses.replace(documents[doc.id], body=documents[doc.id].body + f" edited{k}")
            self.edited.append(build_graph(dataclasses.replace(content, documents=dict(documents))))
        self.engine = Engine(Settings(root=Path(tempfile.mkdtemp(dir=self.tmp.name))))
        return {"graph_s": graph_s, "queries": len(self.queries)}

    def build(self):
        wall, cpu, stats = timed_both(lambda: self.engine.update(self.graph))
        return {"wall": wall, "cpu": cpu, "added": stats["added"]}

    def update(self, k):
        wall, cpu, stats = timed_both(lambda: self.engine.update(self.edited[k]))
        assert stats["updated"] == 1, stats
        if k == EDITS - 1:
            self.engine.search(self.edited[-1], self.queries[0], 10)  # open the searcher
        return {"wall": wall, "cpu": cpu}

    def search(self, i):
        wall, cpu, _ = timed_both(lambda: self.engine.search(self.edited[-1], self.queries[i], 10))
        return {"wall": wall, "cpu": cpu}

    def similar(self, i):
        wall, cpu, _ = timed_both(lambda: self.engine.similar(self.edited[-1], self.queries[i], 5))
        return {"wall": wall, "cpu": cpu}


def work(source: str) -> None:
    """Answer one JSON request a line until stdin closes, importing `wol` from `source`."""
    sys.path.insert(0, source)
    import whoosh
    import wol
    worker, out = Worker(), sys.stdout
    sys.stdout = sys.stderr  # whatever wol prints must not mix with the answers
    out.write(json.dumps({"wol": wol.__file__, "whoosh": ".".join(map(str, whoosh.__version__)),
                          "python": sys.version.split()[0]}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        out.write(json.dumps(getattr(worker, request["op"])(*request.get("args", []))) + "\n")
        out.flush()


# -- the driver ------------------------------------------------------------------

class Implementation:
    """A worker process for one labelled implementation."""

    def __init__(self, label: str, python: str, source: Path):
        self.label = label
        self.proc = subprocess.Popen([python, str(Path(__file__).resolve()), "--worker", str(source)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=source)
        self.about = self._answer()

    def ask(self, op: str, *args):
        self.proc.stdin.write(json.dumps({"op": op, "args": list(args)}) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def _answer(self):
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the worker stopped (its error is above)")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def export(rev: str, folder: Path) -> Path:
    """The tree of Git revision `rev`, written under `folder` (no worktree, nothing changed in the repository)."""
    done = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True)
    if done.returncode:
        raise SystemExit(f"--against {rev}: {done.stderr.decode(errors='replace').strip()}")
    data = done.stdout
    target = folder / "".join(c if c.isalnum() else "_" for c in rev)
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return target


def bench_size(n: int, impls: list[Implementation]) -> dict:
    """{label: figures} for each implementation, on the same documents and queries."""
    results = {i.label: {"n": n} for i in impls}
    for impl in impls:
        results[impl.label].update(graph_s=impl.ask("setup", n)["graph_s"])
    for impl in impls:
        found = impl.ask("build")
        results[impl.label].update(build_s=found["wall"], build_cpu_s=found["cpu"])
    updates = {i.label: [] for i in impls}
    for k in range(EDITS):
        for impl in impls:
            updates[impl.label].append(impl.ask("update", k)["wall"])
    query = {i.label: [] for i in impls}
    like = {i.label: [] for i in impls}
    for q in range(QUERIES):  # in turn: a busy moment slows every implementation alike
        for impl in impls:
            query[impl.label].append(impl.ask("search", q))
            like[impl.label].append(impl.ask("similar", q)["wall"])
    ms = lambda values, p: (statistics.median(values) if p == 50 else percentile(values, p)) * 1000  # noqa: E731
    for impl in impls:
        wall, cpu = [r["wall"] for r in query[impl.label]], [r["cpu"] for r in query[impl.label]]
        results[impl.label].update(update_ms=ms(updates[impl.label], 50),
                                   q_med=ms(wall, 50), q_p95=ms(wall, 95), q_cpu_med=ms(cpu, 50),
                                   q_cpu_p95=ms(cpu, 95), s_med=ms(like[impl.label], 50),
                                   s_p95=ms(like[impl.label], 95))
    return results


def main(args):
    if args[:1] == ["--worker"]:
        return work(args[1])
    revs, pythons, sizes, only_relevance = [], [], [], False
    while args:
        arg, args = args[0], args[1:]
        if arg == "--against":
            revs.append(args.pop(0))
        elif arg == "--python":
            label, _, python = args.pop(0).partition("=")
            pythons.append((label, python))
        elif arg == "--relevance":
            only_relevance = True
        else:
            sizes.append(int(arg))
    with tempfile.TemporaryDirectory() as tmp:
        impls = [Implementation(rev, sys.executable, export(rev, Path(tmp))) for rev in revs]
        impls += [Implementation(label, python, ROOT) for label, python in pythons]
        impls.append(Implementation("now", sys.executable, ROOT))
        try:
            run(impls, sizes or [1000, 10000], only_relevance)
        finally:
            for impl in impls:
                impl.close()


def run(impls: list[Implementation], sizes: list[int], only_relevance: bool) -> None:
    for impl in impls:
        a = impl.about
        print(f"{impl.label:>9}: wol from {Path(a['wol']).parent.parent}, whoosh {a['whoosh']}, Python {a['python']}")
    for impl in impls:
        r = impl.ask("relevance")
        print(f"{impl.label:>9}: relevance ({r['count']} queries, tests/data/relevance.yaml): "
              f"hit@1 {r['at1']:.1%}  hit@3 {r['at3']:.1%}")
    if only_relevance:
        return
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'':>9} {'docs':>7} {'graph s':>8} {'index build s':>14} {'(CPU s)':>8} {'1-doc update ms':>16} "
          f"{'search ms med':>14} {'p95':>6} {'(CPU med':>9} {'p95)':>6} {'similar ms med':>15} {'p95':>6}")
    for n in sizes:
        for label, r in bench_size(n, impls).items():
            print(f"{label:>9} {r['n']:>7} {r['graph_s']:>8.2f} {r['build_s']:>14.1f} {r['build_cpu_s']:>8.1f} "
                  f"{r['update_ms']:>16.0f} {r['q_med']:>14.1f} {r['q_p95']:>6.1f} {r['q_cpu_med']:>9.1f} "
                  f"{r['q_cpu_p95']:>6.1f} {r['s_med']:>15.1f} {r['s_p95']:>6.1f}", flush=True)
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
