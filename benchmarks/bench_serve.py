"""`wol serve`: time from a save in the editor (an API write) to the updated page being served.

Usage: python benchmarks/bench_serve.py [N ...] [--runs R]   (default: demo 5000, 5 runs)

`demo` is the bundled demo content (content/ of this repository); a number is a
synthetic knowledge base of that many documents (benchmarks/synthetic.py). For
each, in a Git repository in a temporary folder, `wol serve` runs as a real
process (behind a simulated SSO header); after its first full build (the
baseline, printed as such), R times each:
- edit:  PUT a post's new body, then GET its page until the new text appears;
- new:   POST a new post, then GET its page until it is served;
- vote:  POST a vote, then GET the page until its count changed.
The time is from sending the write to the first response with the change
(the server answers a write only once the site shows it, so the page is
usually there at the first GET). Medians, with the full build as the ratio's base.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
HEADER = "X-Wol-User"
TARGET_SECONDS = 2.0


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def make_repo(folder: Path, what: str) -> Path:
    if what == "demo":
        folder.mkdir(parents=True)
        shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
        shutil.copytree(REPO / "content", folder / "content")
        if (REPO / "theme").is_dir():
            shutil.copytree(REPO / "theme", folder / "theme")
    else:
        write_synthetic(folder, int(what))
    (folder / ".gitignore").write_text(".wol-cache/\nsite/\n")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.email", "bench@example.com")
    git(folder, "config", "user.name", "Bench")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "initial", "--no-verify")
    return folder


def request(base: str, method: str, path: str, handle: str | None = None, data=None, token: str = ""):
    headers = {HEADER: handle} if handle else {}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers.update({"Content-Type": "application/json", "X-CSRF-Token": token})
    req = urllib.request.Request(base + path.lstrip("/"), data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Served:
    def __init__(self, root: Path):
        self.log = open(root.parent / "serve.log", "w+")
        self.process = subprocess.Popen([sys.executable, "-m", "wol", "-C", str(root), "serve", "--port", "0",
                                         "--identity-header", HEADER], stdout=self.log, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1"))
        start = time.perf_counter()
        while True:
            text = Path(self.log.name).read_text()
            found = re.search(r"serving (http://\S+/) ", text)
            if found:
                break
            if self.process.poll() is not None:
                raise SystemExit(f"wol serve failed:\n{text}")
            time.sleep(0.1)
        self.startup = time.perf_counter() - start
        self.url = found.group(1)
        built = re.search(r"built (\d+) pages in ([\d.]+) s", text)
        self.pages, self.build_seconds = int(built.group(1)), float(built.group(2))
        self.tokens = {}

    def token(self, handle: str) -> str:
        if handle not in self.tokens:
            self.tokens[handle] = json.loads(request(self.url, "GET", "api/session", handle)[1])["csrf"]
        return self.tokens[handle]

    def write(self, method: str, path: str, handle: str, data) -> tuple[int, str]:
        return request(self.url, method, path, handle, data, self.token(handle))

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.log.close()


def until_served(served: Served, page: str, check) -> int:
    """GET page until check(text); returns how many GETs it took."""
    for n in range(1, 10_000):
        status, text = request(served.url, "GET", page)
        if status == 200 and check(text):
            return n
        time.sleep(0.02)
    raise SystemExit(f"{page} never showed the change")


def measure(what: str, runs: int, folder: Path) -> dict:
    root = make_repo(folder / "kb", what)
    served = Served(root)
    try:
        request(served.url, "GET", "api/similar?title=warm%20up")  # waits for the search index, off the clock
        docs = json.loads(request(served.url, "GET", "api/documents.json")[1])
        active = {h for h in {d["author"] for d in docs}
                  if request(served.url, "GET", "api/session", h)[0] == 200}  # not departed
        posts = [d for d in docs if d["kind"] == "post" and d["author"] in active]
        authors = sorted(active)
        times = {"edit": [], "new": [], "vote": []}
        gets = []
        for i in range(runs):
            post = posts[i % len(posts)]
            marker = f"Edited for the benchmark, run {i}."
            start = time.perf_counter()
            status, body = served.write("PUT", f"api/documents/{post['id']}", post["author"],
                                        {"body": f"{marker}\n\nAbout #kafka."})
            assert status == 200, body
            gets.append(until_served(served, post["url"], lambda t: marker in t))
            times["edit"].append(time.perf_counter() - start)

            start = time.perf_counter()
            status, body = served.write("POST", "api/documents", post["author"],
                                        {"kind": "post", "title": f"Benchmark post {i}", "body": "Fresh #kafka news."})
            assert status == 201, body
            url = json.loads(body)["url"]
            gets.append(until_served(served, url, lambda t: f"Benchmark post {i}" in t))
            times["new"].append(time.perf_counter() - start)

            target = posts[(i + 7) % len(posts)]
            voter = next(a for a in authors[i:] + authors[:i] if a != target["author"])
            control = re.compile(rf'data-id="{re.escape(target["id"])}" data-count="(\d+)"')
            before = control.search(request(served.url, "GET", target["url"])[1]).group(1)
            start = time.perf_counter()
            status, body = served.write("POST", "api/votes", voter, {"target": target["id"]})
            if status == 409:  # voted already: withdrawing changes the count as well
                status, body = served.write("DELETE", "api/votes", voter, {"target": target["id"]})
            assert status == 200, body
            gets.append(until_served(served, target["url"], lambda t: control.search(t).group(1) != before))
            times["vote"].append(time.perf_counter() - start)
        return {"what": what, "documents": len(docs), "pages": served.pages, "build": served.build_seconds,
                "startup": served.startup, "times": times, "gets": max(gets)}
    finally:
        served.stop()


def main(argv: list[str]) -> None:
    runs = 5
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    sizes = argv or ["demo", "5000"]
    print(f"save → updated page served, median of {runs} runs (target at 5k: < {TARGET_SECONDS} s)")
    print(f"{'content':>8} {'docs':>6} {'pages':>6} {'full build':>11} {'edit':>8} {'new post':>9} {'vote':>8} "
          f"{'max':>7} {'edit/full':>10}")
    for what in sizes:
        with tempfile.TemporaryDirectory(prefix="wol-bench-serve-") as tmp:
            r = measure(what, runs, Path(tmp))
        med = {k: statistics.median(v) for k, v in r["times"].items()}
        worst = max(max(v) for v in r["times"].values())
        print(f"{r['what']:>8} {r['documents']:>6} {r['pages']:>6} {r['build']:>10.2f}s {med['edit']:>7.2f}s "
              f"{med['new']:>8.2f}s {med['vote']:>7.2f}s {worst:>6.2f}s {med['edit'] / r['build']:>10.3f}"
              f"   (GETs needed at most: {r['gets']})", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
