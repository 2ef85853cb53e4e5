"""`wol build` against a plain `mkdocs build` of the same Markdown, and one incremental update.

Usage: python benchmarks/bench_build.py [N ...] [--runs R]     (default: 1000 5000, 2 runs)

For each size: a synthetic knowledge repository (benchmarks/synthetic.py: posts,
questions, answers of 300–500 words with hashtags and mentions, 200 people).
- wol:   `wol build` from cold (no .wol-cache), in a fresh process.
- mkdocs: `mkdocs build` of the same Markdown files (content/ copied to docs/),
          same mkdocs.yml (theme material, search plugin, extensions), only
          the home page in the nav (documents not in the navigation).
- update: in one process, SiteBuilder.build() then, R times, edit one post and
          time SiteBuilder.update([that file]).
Peak memory is each build process's own ru_maxrss (os.wait4).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

UPDATE_PROBE = r"""
import json, sys, time
from pathlib import Path
from wol.settings import load_settings
from wol.pipeline import SiteBuilder
root, runs = Path(sys.argv[1]), int(sys.argv[2])
builder = SiteBuilder(load_settings(root), root / "site-incremental")
builder.build()
post = sorted((root / "content" / "posts").rglob("*.md"))[len(sys.argv[1]) % 7]
original = post.read_text()
times, pages = [], []
for i in range(runs):
    post.write_text(original.replace("\n\n", f"\n\nAn edit, number {i}, about #kafka.\n\n", 1))
    start = time.perf_counter()
    report = builder.update([post])
    times.append(time.perf_counter() - start)
    pages.append(len(report.pages))
post.write_text(original)
print(json.dumps({"times": times, "pages": pages}))
"""


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a command; its wall time and CPU time (user + system) in seconds, and its peak memory in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def plain_mkdocs_project(root: Path) -> Path:
    """A plain MkDocs project of the same Markdown files, with the same mkdocs.yml minus wol's key."""
    plain = root.parent / "plain"
    shutil.copytree(root / "content", plain / "docs", ignore=shutil.ignore_patterns("votes"))
    (plain / "docs" / "index.md").write_text("# Home\n\nThe same documents, rendered by plain MkDocs.\n")
    config = (root / "mkdocs.yml").read_text()
    (plain / "mkdocs.yml").write_text(config + "nav:\n  - Home: index.md\n")
    return plain


def measure(n: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp) / "kb", n)
        plain = plain_mkdocs_project(root)
        wol, mkdocs, wol_cpu, mkdocs_cpu, wol_mb, mkdocs_mb = [], [], [], [], 0.0, 0.0
        for _ in range(runs):
            shutil.rmtree(root / ".wol-cache", ignore_errors=True)
            seconds, cpu, mb = timed([str(BIN / "wol"), "build", "--site-dir", "site"], root)
            wol.append(seconds)
            wol_cpu.append(cpu)
            wol_mb = max(wol_mb, mb)
            seconds, cpu, mb = timed([str(BIN / "mkdocs"), "build", "-q", "--site-dir", "site"], plain)
            mkdocs.append(seconds)
            mkdocs_cpu.append(cpu)
            mkdocs_mb = max(mkdocs_mb, mb)
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        out = subprocess.run([sys.executable, "-c", UPDATE_PROBE, str(root), str(max(3, runs))], env=ENV,
                             check=True, capture_output=True, text=True)
        update = json.loads(out.stdout)
    return {"n": n, "wol": statistics.median(wol), "mkdocs": statistics.median(mkdocs),
            "wol_cpu": statistics.median(wol_cpu), "mkdocs_cpu": statistics.median(mkdocs_cpu),
            "wol_mb": wol_mb, "mkdocs_mb": mkdocs_mb, "pages": pages,
            "update": statistics.median(update["times"]), "update_pages": max(update["pages"]),
            "runs": runs}


def main(argv: list[str]) -> None:
    runs = 2
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    sizes = [int(a) for a in argv] or [1000, 5000]
    print(f"{'docs':>6} {'wol s':>7} {'mkdocs s':>9} {'ratio':>6} {'cpu ratio':>9} {'wol MB':>7} {'mkdocs MB':>10} "
          f"{'wol pages':>9} {'update s':>9} {'pages re-rendered':>17}")
    for n in sizes:
        r = measure(n, runs)
        print(f"{r['n']:>6} {r['wol']:>7.1f} {r['mkdocs']:>9.1f} {r['wol'] / r['mkdocs']:>6.2f} "
              f"{r['wol_cpu'] / r['mkdocs_cpu']:>9.2f} "
              f"{r['wol_mb']:>7.0f} {r['mkdocs_mb']:>10.0f} {r['pages']:>9} {r['update']:>9.2f} "
              f"{r['update_pages']:>17}", flush=True)
    print(f"(wall-clock medians of {runs} cold runs each, interleaved; cpu ratio: user+system time; "
          f"update: median of {max(3, runs)} one-document edits)")


if __name__ == "__main__":
    main(sys.argv[1:])
