"""The reader's search box, measured on the PRODUCT (issue 10, item 8): wol's static index
(`wol.engines.search.static.StaticIndex`, read by `wol/resources/theme/assets/wol-index.js`)
against Material's own lunr search, on the same synthetic documents, in the same run.
It measures; it asserts nothing.

Usage: python benchmarks/bench_search_box.py [N ...] [--queries Q] [--runs R]
           [--no-browser] [--no-material] [--no-wol-build] [--material-queries Q] [--builds B]
       (default: 1000 10000, 15 queries; R index builds, default 3, 1 from 50k)

Documents: `synthetic.zipf_content(N)` (Zipf vocabulary, real words in titles; answers folded
into their questions by `build_entries`). Queries: two title words of a random post or
question; every third has a one-edit typo (adjacent swap, delete, insert, substitute in turn)
in its longer word, when that has 5+ letters.

Per size:
1. wol index: median wall and CPU seconds of `StaticIndex("en").files(build_entries(graph), graph.aliases)`
   (R runs, the graph built once, no cache); then the CPU seconds of one build with the analysis cache
   (`cache=`, writing it) and of the next after one post changed (reading it); files, total bytes,
   largest file (raw and gzip).
2. Material: a plain MkDocs + Material project, one Markdown page per entry (title, topics,
   body, each answer under a heading; not in the nav), built with `plugins: [search]` and
   with `plugins: []` (alternately, median of R' runs: 2 below 50k, 1 at 50k);
   `search_index.json` raw and gzip.
3. Chromium (headless, /usr/bin/chromium), per query a fresh browser context (cold cache),
   wol then Material: the query is typed at 60 ms a key right after the page's load event.
   - wol: benchmarks/search_box/bench.html (the product wol-index.js; index opened on the first
     query, 100 ms debounce as the product box); painted = rAF + task after the results'
     innerHTML, from the last keydown.
   - Material: its own box on the built site's home page (its worker fetches
     search_index.json at page load and builds lunr; it queries on every keyup, no debounce);
     painted = the first change of its result list after the last keydown (a MutationObserver,
     then rAF + task) from which it shows what it shows at the end (its "N matching documents"
     and first 10 links), once it says "… matching …" and has been still for 1.5 s.
   Bytes: the gzip size (level 6, as a static host sends them) of the index data fetched
   (wol: files under search/; Material: search_index.json), not the scripts; requests for them.
4. `wol build` at 10k (unless --no-wol-build): the same documents written to disk as a knowledge
   repository (`synthetic.write_content`); `wol.pipeline.build_site` in a fresh process, cold
   (no .wol-cache, no site/), alternately as it is and with `StaticIndex.files` patched to return
   {} (patched in that process before the build, so the forked search process inherits it:
   MkDocs and everything else unchanged, no search/ written); medians of B runs each (default 2),
   wall and CPU (the build's process and its children).
Local HTTP server, no throttling: "ms to paint" is CPU + round trips, not a slow intranet.
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
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from synthetic import write_content, zipf_content  # noqa: E402
from wol.derive.graph import build_graph  # noqa: E402
from wol.engines.search.static import StaticIndex  # noqa: E402
from wol.stage.search import build_entries  # noqa: E402

READER = REPO / "wol" / "resources" / "theme" / "assets" / "wol-index.js"
BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
T0 = time.perf_counter()


def say(text: str) -> None:
    """Progress, on stderr, with the elapsed time and the load average."""
    print(f"  [{time.perf_counter() - T0:6.0f} s, load {os.getloadavg()[0]:.1f}] {text}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


# -- queries ----------------------------------------------------------------------------

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
    titled = [e for e in entries.values() if e.title and e.kind in ("post", "question")]
    out = []
    for k in range(count):
        words = rng.sample(titled[rng.randrange(len(titled))].title.lower().split(), 2)
        if k % 3 == 2:
            j = max(range(2), key=lambda i: len(words[i]))
            if len(words[j]) >= 5:
                words[j] = typo(words[j], k // 3, rng)
        out.append(" ".join(words))
    return out


# -- sizes ------------------------------------------------------------------------------

def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


@functools.lru_cache(maxsize=None)
def gz_file(path: Path) -> int:
    return gz(path.read_bytes())


# -- 1. wol's index -----------------------------------------------------------------------

def build_wol(graph, root: Path, runs: int) -> dict:
    times, cpu, files = [], [], None
    for r in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        files = StaticIndex("en").files(build_entries(graph), graph.aliases)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        say(f"wol index build {r + 1}/{runs}: {times[-1]:.1f} s ({cpu[-1]:.1f} s CPU)")
    warm = rebuild_after_one_edit(graph, root / "wol-cache")
    for path, text in files.items():  # site-relative: search/...
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    raw = {p: len(t.encode("utf-8")) for p, t in files.items()}
    largest = max(raw, key=raw.get)
    shutil.copy(READER, root / "wol-index.js")
    shutil.copy(HERE / "search_box" / "bench.html", root / "bench.html")
    return {"build_s": median(times), "build_runs": times, "cpu_s": median(cpu), **warm,
            "files": len(files), "bytes": sum(raw.values()),
            "largest": raw[largest], "largest_gzip": gz(files[largest].encode("utf-8")), "largest_path": largest}


def rebuild_after_one_edit(graph, cache: Path) -> dict:
    """The index of a full build with its analysis cache (`.wol-cache/search/`): written by one build,
    read by the next after one post changed (CPU seconds; what `wol build` does in CI with its cache kept)."""
    entries = build_entries(graph)
    start = time.process_time()
    StaticIndex("en", cache=cache).files(entries, graph.aliases)
    writing = time.process_time() - start
    post = next(e for e in entries.values() if e.kind == "post")
    entries[post.id] = type(post)(**{**post.__dict__, "body": post.body + " one more line"})
    start = time.process_time()
    StaticIndex("en", cache=cache).files(entries, graph.aliases)
    warm = time.process_time() - start
    say(f"wol index build with its cache: {writing:.1f} s CPU writing it, {warm:.1f} s CPU after one edit")
    return {"cache_write_cpu_s": writing, "warm_cpu_s": warm}


# -- 2. Material ----------------------------------------------------------------------------

MATERIAL_YML = """\
site_name: Synthetic
theme:
  name: material
  language: en
plugins: {plugins}
markdown_extensions:
  - admonition
  - tables
  - pymdownx.superfences
nav:
  - Home: index.md
"""


def material_project(entries: dict, root: Path) -> Path:
    """One Markdown page per entry (not in the nav), as a plain MkDocs + Material project."""
    docs = root / "plain" / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nThe same documents, rendered by plain MkDocs + Material.\n")
    for e in entries.values():
        page = docs / (e.url.strip("/") + ".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        parts = [f"# {e.title or e.id}", f"Topics: {e.topics}" if e.topics else "", e.body]
        parts += [f"## Answer {k}\n\n{body}" for k, (_, body) in enumerate(e.answers, 1)]
        parts.append(f"*{e.author}*")
        page.write_text("\n\n".join(p for p in parts if p) + "\n", encoding="utf-8")
    return docs.parent


def mkdocs_build(project: Path, search: bool, site: Path) -> float:
    (project / "mkdocs.yml").write_text(MATERIAL_YML.format(plugins="[search]" if search else "[]"))
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          env=ENV, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"mkdocs build failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def build_material(entries: dict, root: Path, runs: int) -> dict:
    project = material_project(entries, root)
    site = root / "material"
    with_s, without_s = [], []
    for r in range(runs):  # alternately, the search build last: its site is the one served
        without_s.append(mkdocs_build(project, False, site))
        say(f"mkdocs build without search {r + 1}/{runs}: {without_s[-1]:.1f} s")
        with_s.append(mkdocs_build(project, True, site))
        say(f"mkdocs build with search {r + 1}/{runs}: {with_s[-1]:.1f} s")
    index = site / "search" / "search_index.json"
    data = index.read_bytes()
    return {"with_s": median(with_s), "without_s": median(without_s), "with_runs": with_s, "without_runs": without_s,
            "share": median(with_s) / median(without_s), "index_bytes": len(data), "index_gzip": gz(data)}


# -- 3. the browser ----------------------------------------------------------------------------

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


MATERIAL_PROBE = """
window.__lastKey = 0; window.__changes = [];
document.addEventListener("keydown", () => { window.__lastKey = performance.now(); }, true);
document.addEventListener("DOMContentLoaded", () => {
  const result = document.querySelector("[data-md-component=search-result]");
  if (!result) return;
  const state = () => [(result.querySelector(".md-search-result__meta") || {}).textContent || ""].concat(
    Array.from(result.querySelectorAll(".md-search-result__item > a")).slice(0, 10).map((a) => a.getAttribute("href"))
  ).join(" ");
  new MutationObserver(() => requestAnimationFrame(() => setTimeout(() => {
    window.__changes.push([performance.now(), state()]);
  }, 0))).observe(result, { childList: true, subtree: true, characterData: true });
});
"""


def type_wol(browser, base: str, root: Path, q: str) -> dict:
    context = browser.new_context()
    fetched = []
    context.on("requestfinished", lambda r: fetched.append(r.url))
    page = context.new_page()
    page.goto(f"{base}/bench.html", wait_until="load")
    page.click("#q")
    page.keyboard.type(q, delay=60)
    page.wait_for_function(f"window.__painted && window.__painted.q === {json.dumps(q)}", timeout=120_000)
    painted = page.evaluate("window.__painted")
    data = sorted({u.split("?")[0] for u in fetched if u.startswith(f"{base}/search/")})  # shards carry ?v=
    context.close()
    return {"ms": painted["ms"], "gzip": sum(gz_file(root / u[len(base) + 1:]) for u in data),
            "raw": sum((root / u[len(base) + 1:]).stat().st_size for u in data), "requests": len(data),
            "hits": painted["n"]}


def type_material(browser, base: str, root: Path, q: str, timeout: float) -> dict:
    context = browser.new_context()
    fetched = []
    context.on("requestfinished", lambda r: fetched.append(r.url))
    context.add_init_script(MATERIAL_PROBE)
    page = context.new_page()
    page.goto(f"{base}/material/index.html", wait_until="load")
    page.click("input[data-md-component=search-query]")
    page.keyboard.type(q, delay=60)
    deadline, ms = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = page.evaluate("""() => ({last: window.__lastKey, changes: window.__changes, now: performance.now(),
            meta: (document.querySelector('.md-search-result__meta') || {}).textContent || '',
            n: document.querySelectorAll('.md-search-result__item').length})""")
        after = [c for c in state["changes"] if c[0] > state["last"]]
        if after and "matching" in state["meta"] and state["now"] - after[-1][0] > 1500:
            final = after[-1][1]  # the painted results of the last query: the first change that shows them
            first = len(after) - 1
            while first and after[first - 1][1] == final:
                first -= 1
            ms = after[first][0] - state["last"]
            break
        time.sleep(0.25)
    data = sorted({u for u in fetched if u.endswith("search_index.json")})
    context.close()
    return {"ms": ms if ms is not None else float("nan"), "timeout": ms is None,
            "gzip": sum(gz_file(root / u[len(base) + 1:]) for u in data),
            "raw": sum((root / u[len(base) + 1:]).stat().st_size for u in data), "requests": len(data),
            "hits": state["n"]}


def browse(root: Path, queries: list[str], material_queries: int, material_timeout: float) -> dict:
    from playwright.sync_api import sync_playwright
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = {"wol": [], "material": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for k, q in enumerate(queries):
            out["wol"].append(type_wol(browser, base, root, q))
            line = f"query {k + 1}/{len(queries)} {q!r}: wol {out['wol'][-1]['ms']:.0f} ms"
            if k < material_queries:
                try:
                    out["material"].append(type_material(browser, base, root, q, material_timeout))
                    line += f", Material {out['material'][-1]['ms']:.0f} ms"
                except Exception as error:  # e.g. its tab runs out of memory building lunr at 50k
                    out["material"].append({"ms": float("nan"), "timeout": False, "crashed": str(error)[:200],
                                            "gzip": float("nan"), "raw": float("nan"), "requests": float("nan"),
                                            "hits": 0})
                    line += f", Material failed: {str(error)[:120]}"
            say(line)
        browser.close()
    server.shutdown()
    summary = {}
    for engine, rows in out.items():
        if rows:
            summary[engine] = {key: median([r[key] for r in rows]) for key in ("ms", "gzip", "raw", "requests")}
            summary[engine].update(ms_max=max(r["ms"] for r in rows), queries=len(rows),
                                   empty=sum(1 for r in rows if not r["hits"]),
                                   timeouts=sum(1 for r in rows if r.get("timeout")),
                                   crashed=sum(1 for r in rows if r.get("crashed")))
    return summary


# -- 4. wol build with and without the index --------------------------------------------------

BUILD_PROBE = r"""
import json, sys, time
start = time.perf_counter()
from pathlib import Path
if sys.argv[2] == "off":
    from wol.engines.search.static import StaticIndex
    StaticIndex.files = lambda self, entries, aliases=None: {}  # inherited by the forked search process
from wol.pipeline import build_site
from wol.settings import load_settings
lines = []
report = build_site(load_settings(sys.argv[1]), Path(sys.argv[1]) / "site", echo=lines.append)
print(json.dumps({"in_process_s": report.seconds, "lines": lines,
                  "search_files": sum(1 for _ in (Path(sys.argv[1]) / "site" / "search").rglob("*.json"))}))
"""


def wol_builds(content, root: Path, runs: int = 2) -> dict:
    repo = write_content(root / "repo", content)
    times, cpu = {"on": [], "off": []}, {"on": [], "off": []}
    phases = {}
    for r in range(runs):
        for mode in ("on", "off") if r % 2 == 0 else ("off", "on"):
            shutil.rmtree(repo / ".wol-cache", ignore_errors=True)
            shutil.rmtree(repo / "site", ignore_errors=True)
            start, used = time.perf_counter(), _children_cpu()
            proc = subprocess.run([sys.executable, "-c", BUILD_PROBE, str(repo), mode], cwd=repo, env=ENV,
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - start
            cpu[mode].append(_children_cpu() - used)
            if proc.returncode:
                raise SystemExit(f"wol build failed:\n{proc.stderr[-3000:]}")
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            times[mode].append(seconds)
            phases[mode] = result["lines"]
            say(f"wol build, search index {mode} {r + 1}/{runs}: {seconds:.1f} s, {cpu[mode][-1]:.1f} s CPU "
                f"({result['search_files']} search files)")
    return {"on_s": median(times["on"]), "off_s": median(times["off"]), "runs": times, "cpu": cpu,
            "ratio": median(times["on"]) / median(times["off"]),
            "cpu_ratio": median(cpu["on"]) / median(cpu["off"]), "phases": phases}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and theirs."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- the run -------------------------------------------------------------------------------

def measure(n: int, args: dict) -> dict:
    say(f"{n} documents: generating")
    content = zipf_content(n)
    graph = build_graph(content)
    entries = build_entries(graph)
    queries = make_queries(entries, args["queries"], seed=n)
    result = {"n": n, "entries": len(entries), "queries": queries}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        result["wol"] = build_wol(graph, root, args["runs"] or (3 if n < 50_000 else 1))
        if args["material"]:
            result["material"] = build_material(entries, root, 2 if n < 50_000 else 1)
        if args["browser"]:
            mq = args["material_queries"] if args["material"] else 0
            result["browser"] = browse(root, queries, len(queries) if mq is None else mq,
                                       material_timeout=120 if n < 50_000 else 300)
        if args["wol_build"] and n == 10_000:
            result["build"] = wol_builds(content, root, args["builds"])
    return result


def report(r: dict) -> None:
    n, w, m, b = r["n"], r["wol"], r.get("material"), r.get("browser", {})
    bw, bm = b.get("wol", {}), b.get("material", {})
    kb = lambda x: f"{x / 1e3:,.0f}"  # noqa: E731
    print(f"\n== {n:,} documents ({r['entries']:,} entries: posts, questions with their answers, people, topics)")
    print(f"   queries: {r['queries']}")
    print(f"{'':24} {'wol (product)':>22} {'Material (lunr)':>22}")
    rows = [
        ("index build s", f"{w['build_s']:.1f}", m and f"{m['with_s'] - m['without_s']:.1f} (with−without)"),
        ("index build s CPU", f"{w['cpu_s']:.1f}", None),
        ("… cache kept, 1 edit", f"{w['warm_cpu_s']:.1f}", None),
        ("files", f"{w['files']:,}", m and "1"),
        ("total MB raw", f"{w['bytes'] / 1e6:.1f}", m and f"{m['index_bytes'] / 1e6:.1f}"),
        ("largest file KB raw", kb(w["largest"]), m and kb(m["index_bytes"])),
        ("largest file KB gzip", kb(w["largest_gzip"]), m and kb(m["index_gzip"])),
        ("1st query KB gzip", bw and kb(bw["gzip"]), bm and kb(bm["gzip"])),
        ("1st query KB raw", bw and kb(bw["raw"]), bm and kb(bm["raw"])),
        ("1st query requests", bw and f"{bw['requests']:.0f}", bm and f"{bm['requests']:.0f}"),
        ("ms last key → paint", bw and f"{bw['ms']:.0f} (max {bw['ms_max']:.0f})",
         bm and f"{bm['ms']:.0f} (max {bm['ms_max']:.0f})"),
        ("queries timed", bw and f"{bw['queries']} ({bw['empty']} empty)",
         bm and f"{bm['queries']} ({bm['timeouts']} timed out, {bm['crashed']} crashed)"),
        ("mkdocs build s", "", m and f"{m['with_s']:.1f} with / {m['without_s']:.1f} without = ×{m['share']:.2f}"),
    ]
    for name, a, c in rows:
        print(f"{name:24} {a or '-':>22} {c or '-':>22}")
    print(f"   wol index build runs: {', '.join(f'{t:.1f}' for t in w['build_runs'])} s; largest file {w['largest_path']}")
    if "build" in r:
        x = r["build"]
        print(f"   wol build at {n:,}: {x['on_s']:.1f} s with the search index, {x['off_s']:.1f} s without "
              f"(StaticIndex.files → {{}}) = ×{x['ratio']:.3f} wall, ×{x['cpu_ratio']:.3f} CPU; "
              f"runs {x['runs']}, CPU {x['cpu']}")
        for mode, lines in x["phases"].items():
            print(f"     phases ({mode}): " + " | ".join(line.removeprefix("wol: ") for line in lines
                                                      if "rendering…" not in line))
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    args = {"queries": 15, "runs": 0, "builds": 2, "browser": True, "material": True, "wol_build": True, "material_queries": None}
    sizes = []
    it = iter(argv)
    for a in it:
        if a == "--queries":
            args["queries"] = int(next(it))
        elif a == "--runs":
            args["runs"] = int(next(it))
        elif a == "--builds":
            args["builds"] = int(next(it))
        elif a == "--material-queries":
            args["material_queries"] = int(next(it))
        elif a in ("--no-browser", "--no-material", "--no-wol-build"):
            args[a[5:].replace("-", "_")] = False
        else:
            sizes.append(int(a))
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores); "
          f"reader {READER.relative_to(REPO)}", flush=True)
    results = []
    for n in sizes or [1000, 10000]:
        results.append(measure(n, args))
        report(results[-1])
    out = os.environ.get("BENCH_JSON")
    if out:
        Path(out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
