"""What the build's render-time check costs (wol/engines/renderpool.py): every body rendered once in the
worker processes, from cold (no cache) and warm (digests cached), against the anchor of rendering every body
once in this process, serially (what the check adds at most, were it not parallel).

Usage: python benchmarks/bench_render_budget.py [N ...] [--runs R]     (default: 1000, 3 runs)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from synthetic import write_synthetic  # noqa: E402


def main() -> None:
    from wol.content.load import load_content
    from wol.engines import renderpool
    from wol.settings import load_settings
    from wol.stage.html import markdown_to_html
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    renderpool.render_within("warm the workers up")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = write_synthetic(Path(folder) / "kb", n)
            settings = load_settings(root)
            content = load_content(settings.content_path, settings.root)
            bodies = [d.body for d in [*content.documents.values(), *content.people.values()]]
            anchor, cold, warm = [], [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                for body in bodies:
                    markdown_to_html(body, settings.markdown_extensions, settings.mdx_configs)
                anchor.append(time.perf_counter() - start)
                shutil.rmtree(settings.cache_path, ignore_errors=True)
                start = time.perf_counter()
                assert not renderpool.find_slow_renders(settings, content)
                cold.append(time.perf_counter() - start)
                start = time.perf_counter()
                renderpool.find_slow_renders(settings, content)
                warm.append(time.perf_counter() - start)
            a, c, w = (statistics.median(x) for x in (anchor, cold, warm))
            print(f"{n} documents ({len(bodies)} bodies): render all in process (anchor) {a:.2f} s; "
                  f"check cold {c:.2f} s (×{c / a:.2f}); check warm {w:.3f} s (×{w / a:.3f}); medians of {args.runs}")


if __name__ == "__main__":
    main()
