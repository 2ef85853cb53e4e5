"""How fast SIGTERM stops `wol serve` (issue 17, item 15): with a keep-alive connection open and a request
half sent, N times; prints the median and the slowest. It measures, it asserts nothing.

Usage: python benchmarks/trial_stop.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "editor"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from editor_server import HEADER, Server, make_kb  # noqa: E402


def stop_once(root: Path) -> tuple[float, int]:
    server = Server(root, HEADER)
    host, port = server.url.split("//")[1].rstrip("/").rsplit(":", 1)
    idle = socket.create_connection((host, int(port)))
    idle.sendall(b"GET / HTTP/1.1\r\nHost: wiki\r\n\r\n")
    idle.recv(12)
    half = socket.create_connection((host, int(port)))
    half.sendall(b"POST /api/preview HTTP/1.1\r\nHost: wiki\r\nContent-Length: 1000\r\n\r\n{")
    start = time.perf_counter()
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait()
    seconds = time.perf_counter() - start
    idle.close()
    half.close()
    server.stop()
    return seconds, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_kb(Path(folder) / "kb")
        runs = [stop_once(root) for _ in range(args.runs)]
    times = [s for s, _ in runs]
    print(f"SIGTERM → exit: median {statistics.median(times):.2f} s, slowest {max(times):.2f} s over {args.runs} "
          f"runs; exit codes {sorted({c for _, c in runs})}")


if __name__ == "__main__":
    main()
