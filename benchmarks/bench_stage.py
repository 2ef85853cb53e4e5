"""Staging time (Graph → pages, feeds, API) at N synthetic documents, and where it goes.

Usage: python benchmarks/bench_stage.py [N ...]     (default: 1000 5000)

Documents are generated in memory (benchmarks/synthetic.py's bodies: 300–500
words, 1–4 hashtags from 65 tags, 0–2 mentions of 200 people; 70% posts, 20%
answers, 10% questions, up to 15 votes a person), parsed with
wol.content.parse.parse_file and derived with build_graph. "first" is the
first staging in a fresh process (a `wol build`: includes importing and
setting up Markdown and feedgen); "cold" clears staging's per-document memos
in a warmed-up process; "warm" stages the same graph again (a `wol serve`
rebuild after an edit elsewhere). The baseline,
measured in the same run on the same machine, is parsing the same files
(parse_file, what a cold `wol build` does first); the last column is cold
staging time / parse time. Times are CPU seconds of the process (on an idle
machine, the wall-clock time of this single-threaded work), so other load on
a shared machine does not blur them; the load average is printed alongside.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_files  # noqa: E402
from wol.content.document import Content  # noqa: E402
from wol.content.parse import parse_file  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
from wol.settings import load_settings  # noqa: E402
from wol.stage import feeds, links, parts, stage_site, text  # noqa: E402
from wol.stage.api import render_api  # noqa: E402
from wol.stage.feeds import find_feeds, render_feeds  # noqa: E402
from wol.stage.listings import render_listing_pages  # noqa: E402
from wol.stage.pages import render_document_pages  # noqa: E402

RUNS = 3


def parse_synthetic(n: int) -> Content:
    content = Content()
    for relpath, body in synthetic_files(n):
        item, _ = parse_file(relpath, body)
        if item is not None:
            content.add(item)
    return content


def build_synthetic_graph(n: int):
    return build_graph(parse_synthetic(n))


def clear_memos():
    parts._LINKED.clear()
    feeds._HTML.clear()
    feeds._FEEDS.clear()
    text._first_paragraph.cache_clear()
    links._relative.cache_clear()
    links._folder_info.cache_clear()
    links.url_from_root.cache_clear()


def timed(fn, *args) -> float:
    """CPU seconds of this process: what staging costs, whatever else the machine runs."""
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def first_stage_seconds(n: int) -> float:
    """Staging time of the first stage_site call in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--first", str(n)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def main(sizes):
    settings = load_settings(ROOT)  # the demo's mkdocs.yml: its Markdown extensions render the feeds
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; times in CPU seconds")
    print(f"{'docs':>6} {'pages':>6} {'files':>6} {'feed docs':>9} {'first s':>7} {'cold s':>7} {'warm s':>7} {'parse s':>7}"
          f" {'cold/parse':>10}  cold split: documents / listings / feeds / api (s)")
    for n in sizes:
        content = parse_synthetic(n)
        graph = build_graph(content)
        union = {d for feed in find_feeds(graph, settings) for d in feed.documents}
        cold, warm, split, base = [], [], [], []
        for _ in range(RUNS):
            base.append(timed(parse_synthetic, n))
            clear_memos()
            cold.append(timed(stage_site, graph, settings))
            warm.append(timed(stage_site, graph, settings))
            clear_memos()
            split.append([timed(render_document_pages, graph, settings),
                          timed(render_listing_pages, graph, settings),
                          timed(render_feeds, graph, settings),
                          timed(render_api, graph, settings)])
        staged = stage_site(graph, settings)
        phases = " / ".join(f"{statistics.median(s[i] for s in split):.2f}" for i in range(4))
        c, b = statistics.median(cold), statistics.median(base)
        first = statistics.median(first_stage_seconds(n) for _ in range(RUNS))
        print(f"{len(graph.documents):>6} {len(staged.pages):>6} {len(staged.files):>6} {len(union):>9} "
              f"{first:>7.2f} {c:>7.2f} {statistics.median(warm):>7.2f} {b:>7.2f} {c / b:>10.1f}  {phases}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first"]:
        one = build_synthetic_graph(int(sys.argv[2]))
        print(timed(stage_site, one, load_settings(ROOT)))
    else:
        main([int(a) for a in sys.argv[1:]] or [1000, 5000])
