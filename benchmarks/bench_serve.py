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


def until_served(served: Served, page: str, check, every: float = 0.02) -> float:
    """GET page until check(text); returns the time it happened (perf_counter)."""
    for _ in range(100_000):
        status, text = request(served.url, "GET", page)
        try:
            if status == 200 and check(text):
                return time.perf_counter()
        except ValueError as exc:  # half a JSON file: a reader would fail too, so say so
            raise SystemExit(f"{page} was served incomplete: {exc}") from None
        time.sleep(every)
    raise SystemExit(f"{page} never showed the change")


def documents(served: Served) -> dict:
    return {d["id"]: d for d in json.loads(request(served.url, "GET", "api/documents.json")[1])}


def measure(what: str, runs: int, folder: Path) -> dict:
    """Per kind of write: seconds until its page shows it, and until the whole site does."""
    root = make_repo(folder / "kb", what)
    served = Served(root)
    try:
        request(served.url, "GET", "api/similar?title=warm%20up")  # waits for the search index, off the clock
        docs = documents(served)
        active = {h for h in {d["author"] for d in docs.values()}
                  if request(served.url, "GET", "api/session", h)[0] == 200}  # not departed
        posts = [d for d in docs.values() if d["kind"] == "post" and d["author"] in active]
        authors = sorted(active)
        page, site = {"edit": [], "new": [], "vote": []}, {"edit": [], "new": [], "vote": []}

        def record(kind, start, shown, everywhere):
            page[kind].append(shown - start)
            site[kind].append(everywhere - start)

        for i in range(runs):
            post = posts[i % len(posts)]
            marker = f"Edited for the benchmark, run {i}."
            title = f"{post['title']} (run {i})"
            start = time.perf_counter()
            status, body = served.write("PUT", f"api/documents/{post['id']}", post["author"],
                                        {"title": title, "body": f"{marker}\n\nAbout #kafka."})
            assert status == 200, body
            shown = until_served(served, post["url"], lambda t: marker in t)
            everywhere = until_served(served, "api/documents.json", lambda t: title in t, every=0.1)
            record("edit", start, shown, everywhere)

            start = time.perf_counter()
            status, body = served.write("POST", "api/documents", post["author"],
                                        {"kind": "post", "title": f"Benchmark post {i}", "body": "Fresh #kafka news."})
            assert status == 201, body
            created = json.loads(body)
            shown = until_served(served, created["url"], lambda t: f"Benchmark post {i}" in t)
            everywhere = until_served(served, "api/documents.json", lambda t: f'"{created["id"]}"' in t, every=0.1)
            record("new", start, shown, everywhere)

            target = posts[(i + 7) % len(posts)]
            voter = next(a for a in authors[i:] + authors[:i] if a != target["author"])
            control = re.compile(rf'data-id="{re.escape(target["id"])}" data-count="(\d+)"')
            before = control.search(request(served.url, "GET", target["url"])[1]).group(1)
            useful = documents(served)[target["id"]]["useful"]
            start = time.perf_counter()
            status, body = served.write("POST", "api/votes", voter, {"target": target["id"]})
            if status == 409:  # voted already: withdrawing changes the count as well
                status, body = served.write("DELETE", "api/votes", voter, {"target": target["id"]})
            assert status == 200, body
            shown = until_served(served, target["url"], lambda t: control.search(t).group(1) != before)
            everywhere = until_served(served, "api/documents.json",
                                      lambda t: json.loads(t) and next(d["useful"] for d in json.loads(t)
                                                                       if d["id"] == target["id"]) != useful, every=0.1)
            record("vote", start, shown, everywhere)

        burst = measure_burst(served, posts, authors)
        return {"what": what, "documents": len(docs), "pages": served.pages, "build": served.build_seconds,
                "page": page, "site": site, "burst": burst}
    finally:
        served.stop()


def measure_burst(served: Served, posts: list[dict], authors: list[str], n: int = 10) -> list[float]:
    """n people vote at the same moment (each for a different post): each answer's seconds."""
    from concurrent.futures import ThreadPoolExecutor
    jobs = []
    for k in range(n):
        target = posts[(k * 13 + 3) % len(posts)]
        voter = next(a for a in authors[k + 1:] + authors[:k + 1] if a != target["author"])
        served.token(voter)
        jobs.append((voter, target["id"]))

    def vote(job):
        start = time.perf_counter()
        status, _ = served.write("POST", "api/votes", job[0], {"target": job[1]})
        if status == 409:
            status, _ = served.write("DELETE", "api/votes", job[0], {"target": job[1]})
        return time.perf_counter() - start

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(vote, jobs))


def main(argv: list[str]) -> None:
    runs = 5
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    sizes = argv or ["demo", "5000"]
    print("wol serve: seconds from a save (API write) until its page is served, and until the whole site")
    print(f"(listings, feeds, JSON) shows it; median of {runs} runs each, the server idle between saves;")
    print("burst: 10 people vote at once, seconds until each is answered (its page then shows it).")
    print(f"Target at 5k documents: the page in < {TARGET_SECONDS} s. Baseline: the first full build.")
    head = (f"{'content':>8} {'docs':>5} {'full build':>10} | {'page: edit':>10} {'new':>5} {'vote':>5} {'max':>5} "
            f"| {'site: edit':>10} {'new':>5} {'vote':>5} | {'burst med':>9} {'max':>5} | {'page/full':>9}")
    print(head)
    for what in sizes:
        with tempfile.TemporaryDirectory(prefix="wol-bench-serve-") as tmp:
            r = measure(what, runs, Path(tmp))
        pm = {k: statistics.median(v) for k, v in r["page"].items()}
        sm = {k: statistics.median(v) for k, v in r["site"].items()}
        worst = max(max(v) for v in r["page"].values())
        print(f"{r['what']:>8} {r['documents']:>5} {r['build']:>9.1f}s | {pm['edit']:>10.2f} {pm['new']:>5.2f} "
              f"{pm['vote']:>5.2f} {worst:>5.2f} | {sm['edit']:>10.2f} {sm['new']:>5.2f} {sm['vote']:>5.2f} | "
              f"{statistics.median(r['burst']):>9.2f} {max(r['burst']):>5.2f} | "
              f"{statistics.median(pm.values()) / r['build']:>9.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
