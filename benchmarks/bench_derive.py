"""Parse + derive time, cold (no cache) and warm (cache), and peak memory, at 1k/10k/50k documents.

Usage: python benchmarks/bench_derive.py [N ...]     (default: 1000 10000 50000)
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

PROBE = r"""
import json, resource, sys, time
from wol.settings import load_settings
from wol.knowledge import load_graph
t = time.perf_counter()
g = load_graph(load_settings(sys.argv[1]))
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "documents": len(g.documents),
                  "topics": len(g.topics), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def probe(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(sizes):
    print(f"{'docs':>7} {'cold s (median)':>16} {'warm s (median)':>16} {'warm/cold':>9} {'peak MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = write_synthetic(Path(tmp), n)
            runs = 3 if n <= 10000 else 1
            cold, warm, peak = [], [], 0.0
            for _ in range(runs):
                shutil.rmtree(root / ".wol-cache", ignore_errors=True)
                c = probe(root)
                w = probe(root)
                cold.append(c["seconds"]), warm.append(w["seconds"])
                peak = max(peak, c["peak_mb"], w["peak_mb"])
            mc, mw = statistics.median(cold), statistics.median(warm)
            print(f"{c['documents']:>7} {mc:>16.3f} {mw:>16.3f} {mw / mc:>9.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
