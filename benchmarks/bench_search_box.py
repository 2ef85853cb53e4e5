"""The reader's search box (issue 10, item 2): candidate static indexes, measured on the same
synthetic documents and queries. It measures; it asserts nothing.

Usage: python benchmarks/bench_search_box.py [N ...] [--queries Q] [--no-browser]
       (default: 1000 10000, 15 queries; needs `npm install minisearch` in $SEARCH_BOX_NPM,
        default /tmp/sbnpm, and pagefind-bin from PyPI or the npm package `pagefind`)

Documents: benchmarks/synthetic.py `zipf_content` (Zipf vocabulary, real words in titles,
answers folded into questions by wol's own `build_entries`). Queries: two title words of a
random post or question; every third has a one-edit typo (adjacent swap, delete, insert,
substitute in turn) in one word of 5+ letters.

Candidates:
- wol:        the prototype in benchmarks/search_box/ (wolindex.py writes the shards: weights
              = BM25F × prior precomputed in Python; box.js adds them up).
- pagefind:   Pagefind's CLI over one HTML page per entry (title in <h1>, topics, text).
- minisearch: MiniSearch 7, built in Node, serialised whole (index.json): a first query
              downloads it whole.
Per candidate: index build seconds (wall; wol's build excludes reading content/ and the graph,
Pagefind's excludes writing the HTML pages, which `wol build` writes anyway), total size and
files, largest file; and in Chromium, for each query in a fresh browser context (cold cache):
the bytes its requests fetched (index data; engine code apart), raw and gzip (Pagefind's files
are gzip already: raw is their inflated size), and the time from the last keystroke to painted
results (typed at 60 ms a key; the harness queries 120 ms after the last keystroke, for every engine; local server, no throttling). Medians.
wol's "1-edit update" is the number and size of shards an edit of one post rewrites.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE), str(HERE / "search_box")]

from synthetic import zipf_content  # noqa: E402
import wolindex  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
from wol.engines.search import build_entries  # noqa: E402

NPM = Path(os.environ.get("SEARCH_BOX_NPM", "/tmp/sbnpm"))
CODE = (".js", ".wasm", ".html", ".css", ".pagefind")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def typo(word: str, k: int, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    kind = k % 4
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # adjacent swap
    if kind == 1:
        return word[:i] + word[i + 1:]  # delete
    if kind == 2:
        return word[:i] + rng.choice("aeioust") + word[i:]  # insert
    return word[:i] + ("x" if word[i] != "x" else "z") + word[i + 1:]  # substitute


def make_queries(entries: dict, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    titled = [e for e in entries.values() if e.title]
    out = []
    for k in range(count):
        words = rng.sample(titled[rng.randrange(len(titled))].title.lower().split(), 2)
        if k % 3 == 2:
            j = max(range(2), key=lambda i: len(words[i]))
            if len(words[j]) >= 5:
                words[j] = typo(words[j], k // 3, rng)
        out.append(" ".join(words))
    return out


def folder_stats(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    sizes = [p.stat().st_size for p in files]
    return {"files": len(files), "bytes": sum(sizes), "largest": max(sizes, default=0)}


@functools.lru_cache(maxsize=None)
def raw_and_gzip(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # Pagefind gzips its own files
        return len(gzip.decompress(data)), len(data)
    return len(data), len(gzip.compress(data, 6))


# -- candidates ----------------------------------------------------------------------

def build_wol(entries, graph, root: Path) -> dict:
    out = root / "idx"
    start = time.perf_counter()
    stats = wolindex.build(entries, graph, out)
    seconds = time.perf_counter() - start
    state = stats.pop("state")
    # one edit of a post: the shards it rewrites, statistics frozen until the next full build
    d = next(i for i, e in enumerate(entries.values()) if e.kind == "post")
    entry = list(entries.values())[d]
    words = set(entry.fields()["text"].lower().split()[:50]) | {"renamedword"}
    stems_now = {s for s, acc in state["tfs"].items() if d in acc} | {"renamedword"}
    touched = wolindex.touched_by(state, d, stems_now, words)
    return {"build_s": seconds, **folder_stats(out), "update_files": len(touched),
            "update_bytes": sum((out / t).stat().st_size for t in touched if (out / t).exists())}


def build_pagefind(entries, root: Path) -> dict:
    import html
    site = root / "site"
    for e in entries.values():
        page = site / e.url.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        f = e.fields()
        page.write_text(f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(e.title)}</title>"
                        f"</head><body><main data-pagefind-body><h1>{html.escape(e.title)}</h1>"
                        f"<p data-pagefind-weight=2>{html.escape(e.topics)}</p><p>{html.escape(f['text'])}</p>"
                        f"<p data-pagefind-weight=0.5>{html.escape(e.author)}</p></main></body></html>",
                        encoding="utf-8")
    cmd = [sys.executable, "-m", "pagefind_bin"]
    if subprocess.run(cmd + ["--version"], capture_output=True).returncode:
        cmd = [str(NPM / "node_modules" / ".bin" / "pagefind")]
    start = time.perf_counter()
    subprocess.run(cmd + ["--site", str(site), "--silent"], check=True)
    seconds = time.perf_counter() - start
    stats = folder_stats(site / "pagefind")
    return {"build_s": seconds, **stats}


def build_minisearch(entries, root: Path) -> dict:
    out = root / "ms"
    out.mkdir()
    docs = []
    for e in entries.values():
        f = e.fields()
        docs.append({"id": e.id, "title": e.title, "topics": e.topics, "text": f["text"], "author": e.author,
                     "url": e.url, "lead": f["text"][:160]})
    (root / "docs.json").write_text(json.dumps(docs), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(["node", str(HERE / "search_box" / "minisearch_build.cjs"), str(NPM), str(root / "docs.json"),
                    str(out / "index.json")], check=True)
    seconds = time.perf_counter() - start
    stats = folder_stats(out)
    shutil.copy(NPM / "node_modules" / "minisearch" / "dist" / "umd" / "index.js", out / "minisearch.js")
    return {"build_s": seconds, **stats}


# -- the browser ---------------------------------------------------------------------

def serve(root: Path):
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browse(root: Path, engines: list[str], queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {e: {"raw": [], "gzip": [], "code_gzip": [], "ms": [], "requests": []} for e in engines}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for q in queries:
            for engine in engines:  # alternate: a busy moment slows every candidate alike
                context = browser.new_context()
                page = context.new_page()
                fetched = []
                page.on("requestfinished", lambda r: fetched.append(r.url))
                page.goto(f"{base}/bench.html?engine={engine}")
                fetched.clear()
                page.click("#q")
                page.keyboard.type(q, delay=60)
                page.wait_for_function(f"window.__painted && window.__painted.q === {json.dumps(q)}", timeout=60_000)
                painted = page.evaluate("window.__painted")
                raw = gz = code = 0
                for url in set(fetched):
                    path = root / url[len(base) + 1:].split("?")[0]
                    if path.is_file():
                        r, g = raw_and_gzip(path)
                        if path.suffix in CODE:  # engine code (pagefind.js, its wasm, box.js, minisearch.js)
                            code += g
                        else:
                            raw, gz = raw + r, gz + g
                out = results[engine]
                out["raw"].append(raw)
                out["gzip"].append(gz)
                out["code_gzip"].append(code)
                out["ms"].append(painted["ms"])
                out["requests"].append(len(set(fetched)))
                context.close()
        browser.close()
    server.shutdown()
    return {e: {k: statistics.median(v) for k, v in r.items()} for e, r in results.items()}


def measure(n: int, count: int, browser: bool) -> dict:
    content = zipf_content(n)
    graph = build_graph(content)
    entries = build_entries(graph)
    queries = make_queries(entries, count, seed=n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("box.js", "bench.html"):
            shutil.copy(HERE / "search_box" / name, root / name)
        figures = {"wol": build_wol(entries, graph, root), "pagefind": build_pagefind(entries, root),
                   "minisearch": build_minisearch(entries, root)}
        if browser:
            for engine, r in browse(root, list(figures), queries).items():
                figures[engine].update(r)
    return {"n": n, "entries": len(entries), "queries": queries, "figures": figures}


def main(argv: list[str]) -> None:
    count, browser = 15, "--no-browser" not in argv
    argv = [a for a in argv if a != "--no-browser"]
    if "--queries" in argv:
        i = argv.index("--queries")
        count = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    head = (f"{'docs':>6} {'candidate':>10} {'build s':>8} {'files':>7} {'total MB':>9} {'largest KB':>11} "
            f"{'1st query KB raw':>16} {'gzip':>6} {'+code gz':>8} {'reqs':>5} {'ms to paint':>11} {'1-edit files':>12}")
    print(head)
    for n in sizes:
        r = measure(n, count, browser)
        for name, f in r["figures"].items():
            print(f"{n:>6} {name:>10} {f['build_s']:>8.1f} {f['files']:>7} {f['bytes'] / 1e6:>9.1f} "
                  f"{f['largest'] / 1e3:>11.0f} {f.get('raw', float('nan')) / 1e3:>16.0f} "
                  f"{f.get('gzip', float('nan')) / 1e3:>6.0f} {f.get('code_gzip', float('nan')) / 1e3:>8.0f} "
                  f"{f.get('requests', float('nan')):>5.0f} {f.get('ms', float('nan')):>11.0f} "
                  f"{f.get('update_files', '-'):>12}", flush=True)
        print(f"  ({r['entries']} entries: posts and questions with their answers; queries: {r['queries'][:4]}…; "
              f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
