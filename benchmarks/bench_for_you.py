"""What each person's "for you" feed adds to staging, at N documents and P people.

Usage: python benchmarks/bench_for_you.py [N P]     (default: 10000 2000)

The graph is benchmarks/synthetic.py's (parsed in memory, derived with build_graph), settings the demo's
mkdocs.yml (wol.notify's defaults: 3 experts). Printed, as medians of 3 in CPU seconds of the process:
the events and routing (find_for_you: wol/notify/'s find_standing_events and find_recipients), the cold
render of every for-you feed (feed memo cleared: a `wol build`), the warm one (a `wol serve` rebuild after
an edit elsewhere), and the whole of stage_site cold, with and without them.
"""

from __future__ import annotations

import os
import statistics
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
import wol.stage as wol_stage  # noqa: E402
from wol.stage import feeds, foryou, links, parts, stage_site, text  # noqa: E402
from wol.stage.foryou import find_for_you, render_for_you_feeds  # noqa: E402

RUNS = 3


def clear_memos():
    """Staging's memos emptied, as in a fresh `wol build` (a Memo is never emptied by wol itself)."""
    for memo in (parts._LINKED, feeds._HTML, feeds._FEEDS, foryou._FEEDS):
        memo._values.clear()
    for cached in (text._first_paragraph, links._relative, links._folder_info, links.url_from_root):
        cached.cache_clear()


def timed(fn, *args) -> float:
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def main(n: int, people: int) -> None:
    content = Content()
    for relpath, body in synthetic_files(n, people=people):
        item, _ = parse_file(relpath, body)
        if item is not None:
            content.add(item)
    graph = build_graph(content)
    settings = load_settings(ROOT)
    found = find_for_you(graph, settings)
    entries = sum(len(v) for v in found.values())
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; times in CPU seconds")
    print(f"{len(graph.documents):,} documents, {len(graph.people):,} people, {len(graph.threads):,} questions; "
          f"{len(found):,} for-you feeds, {entries:,} entries")
    route, cold, warm, whole, without = [], [], [], [], []
    for _ in range(RUNS):
        clear_memos()
        wol_stage.render_for_you_feeds = lambda graph, settings: {}
        without.append(timed(stage_site, graph, settings))
        wol_stage.render_for_you_feeds = render_for_you_feeds
        route.append(timed(find_for_you, graph, settings))
        clear_memos()
        cold.append(timed(render_for_you_feeds, graph, settings))
        warm.append(timed(render_for_you_feeds, graph, settings))
        clear_memos()
        whole.append(timed(stage_site, graph, settings))
    m = statistics.median
    print(f"events + routing {m(route):.2f} s; for-you feeds cold {m(cold):.2f} s (routing included), "
          f"warm {m(warm):.2f} s; all of stage_site cold {m(whole):.2f} s, {m(without):.2f} s without them")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args or [10_000, 2_000]))
