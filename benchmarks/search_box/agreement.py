"""PROTOTYPE check: does the prototype's precomputed-weight sum rank as `wol search` does?

Usage: python benchmarks/search_box/agreement.py [N] [--queries Q]   (default 1000 documents, 200 queries)

Builds wol's whoosh index (wol.engines.search.update_index) and the prototype's shards
(wolindex.build) over the same `zipf_content(N)`, then for plain-word queries (no typos: wol's
fuzzy rule differs) compares the top ten: identical lists, same top one, and overlap.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

from bench_search_box import make_queries  # noqa: E402
from synthetic import zipf_content  # noqa: E402
import wolindex  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
from wol.engines import search  # noqa: E402
from wol.settings import Settings  # noqa: E402


def main(argv):
    n = int(argv[0]) if argv and argv[0].isdigit() else 1000
    count = int(argv[argv.index("--queries") + 1]) if "--queries" in argv else 200
    graph = build_graph(zipf_content(n))
    entries = search.build_entries(graph)
    queries = [q for k, q in enumerate(make_queries(entries, count * 3 // 2, seed=n)) if k % 3 != 2][:count]
    with tempfile.TemporaryDirectory() as tmp:
        state = wolindex.build(entries, graph, Path(tmp) / "idx")["state"]
        settings = Settings(root=Path(tmp) / "kb")
        search.update_index(settings, graph)
        ids = list(entries)
        surface, stem, stops = wolindex.split_analyzer("en")
        same = top1 = 0
        overlap = []
        for q in queries:
            wol = [h.id for h in search.search(settings, q, limit=10, graph=graph)]
            scores: dict[int, int] = {}
            for s in {stem(t.text) for t in surface(q)}:
                for d, w in zip(*state["postings"].get(s, ([], []))):
                    scores[d] = scores.get(d, 0) + w
            box = [ids[d] for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:10]]
            same += box == wol
            top1 += box[:1] == wol[:1]
            overlap.append(len(set(box) & set(wol)) / max(1, len(wol)))
    print(f"{n} documents, {len(queries)} plain-word queries: identical top ten {same / len(queries):.0%}, "
          f"same first hit {top1 / len(queries):.0%}, top-ten overlap median {statistics.median(overlap):.0%}")


if __name__ == "__main__":
    main(sys.argv[1:])
