"""How much the health page adds to a build: figures + verdict + page, vs deriving the graph.

Writes a synthetic knowledge base (N posts, N/5 questions with answers, votes)
into a temporary folder with a Git history, then prints medians of 5 runs:
the graph (baseline), the health figures with Git history (cold and cached
per HEAD), and the two staged pages.

    /work/venv/bin/python benchmarks/bench_health.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from knowledge_base import doc, person, write_kb  # noqa: E402
from wol.commands import stats  # noqa: E402
from wol.health.page import stage_health  # noqa: E402
from wol.knowledge import Knowledge, load_graph  # noqa: E402
from wol.settings import load_settings  # noqa: E402


def synthetic(n: int) -> dict[str, str]:
    rnd = random.Random(1)
    people = [f"p{i:03d}" for i in range(max(10, n // 20))]
    files = {f"people/{h}.md": person(h.upper(), f"team{i % 7}", h) for i, h in enumerate(people)}
    tags = [f"topic{i}" for i in range(40)]
    for i in range(n):
        files[f"posts/2026/p{i}.md"] = doc(f"Post {i}", rnd.choice(people), f"2026-{rnd.randint(1, 10):02d}-{rnd.randint(1, 28):02d}",
                                           "Words " * 300 + f"#{rnd.choice(tags)}")
    for i in range(n // 5):
        asker = rnd.choice(people)
        month, day = rnd.randint(1, 10), rnd.randint(1, 20)
        answers = rnd.sample(people, rnd.randint(0, 3))
        accepted = f"accepted: {answers[0]}\n" if answers and rnd.random() < 0.5 else ""
        files[f"questions/q{i}/index.md"] = doc(f"Question {i}?", asker, f"2026-{month:02d}-{day:02d}",
                                                f"Why? #{rnd.choice(tags)}", accepted)
        for a in answers:
            files[f"questions/q{i}/answers/{a}.md"] = doc(None, a, f"2026-{month:02d}-{day + 1:02d}", "Because.")
    for h in people:
        targets = [f"posts/2026/p{rnd.randrange(n)}" for _ in range(10)]
        files[f"votes/{h}.txt"] = "".join(f"2026-{rnd.randint(1, 10):02d}-15 {t}\n" for t in targets)
    return files


def median_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_kb(Path(tmp) / "kb", synthetic(n), people={})
        settings = load_settings(root)
        graph = load_graph(settings)
        baseline = median_of(lambda: load_graph(settings))

        knowledge = Knowledge(settings)
        knowledge.graph  # read once: the figures below are what the health adds

        def cold():
            knowledge._history = None  # the History cached by HEAD
            return stats.load_health(settings, knowledge=knowledge)

        health = cold()
        cold_s = median_of(cold)
        warm_s = median_of(lambda: stats.load_health(settings, knowledge=knowledge))
        page_s = median_of(lambda: stage_health(graph, settings, health.figures, health.verdict))
        print(f"{len(graph.documents)} documents, {len(graph.people)} people (median of 5 runs)")
        print(f"  graph (load_graph, warm parse cache)   {baseline * 1000:8.1f} ms  (baseline)")
        print(f"  health figures, Git history read       {cold_s * 1000:8.1f} ms  ×{cold_s / baseline:.2f}")
        print(f"  health figures, history cached (HEAD)  {warm_s * 1000:8.1f} ms  ×{warm_s / baseline:.2f}")
        print(f"  the two pages with five SVG charts     {page_s * 1000:8.1f} ms  ×{page_s / baseline:.2f}")
        print(f"  verdict: {health.verdict.title}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
