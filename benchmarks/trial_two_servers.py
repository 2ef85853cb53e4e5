"""Two live servers on one origin (issue 17, item 3): a bare origin, two clones each running `wol serve --push`,
N writes against each at once.

Usage: python benchmarks/trial_two_servers.py [--writes N] [--threads T]

Prints counts; it measures, it asserts nothing: the answers by status (5xx
among them, with their messages), acknowledged writes missing from origin
(lost), writes in origin's history more than once (duplicates), and `git fsck`
of origin and both clones. Each server takes posts from bob and votes from its
own two voters (alice and carol on one, dave and erin on the other: a person
votes through one server), so that each acknowledged write can be found
again in origin's history.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "editor"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from editor_server import HEADER, Server, make_kb  # noqa: E402
from knowledge_base import git  # noqa: E402

VOTERS = {"a": ("alice", "carol"), "b": ("dave", "erin")}
TARGETS = ["posts/2026/kafka-retention"] + [f"posts/2026/note-{i}" for i in range(6)]  # bob's: anyone may vote


def clone(origin: Path, folder: Path, name: str) -> Path:
    git(folder.parent, "clone", "-q", str(origin), str(folder))
    git(folder, "config", "user.email", f"server-{name}@example.com")
    git(folder, "config", "user.name", f"Server {name}")
    return folder


def fsck(repo: Path) -> str:
    done = subprocess.run(["git", "fsck", "--no-progress"], cwd=repo, capture_output=True, text=True)
    return "ok" if done.returncode == 0 else "FAILED: " + (done.stderr or done.stdout).strip()[:200]


def trial(writes: int, threads: int, tmp: Path) -> None:
    origin = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(make_kb(tmp / "seed")), str(origin))
    servers = {name: Server(clone(origin, tmp / f"server-{name}", name), HEADER, push=True) for name in "ab"}
    acknowledged, statuses, errors, lock = [], Counter(), Counter(), threading.Lock()
    try:
        for name, server in servers.items():
            for handle in ("bob",) + VOTERS[name]:
                server.client.as_(handle).token()

        def write(name: str, i: int) -> None:
            client = servers[name].client
            if i % 8 == 7:  # a vote: each (voter, target) once for up to 112 writes a server
                voter = VOTERS[name][(i // 8) % 2]
                target = TARGETS[(i // 16) % len(TARGETS)]
                what = f"Vote: {target} was useful", voter
                answer = client.as_(voter).post("api/votes", {"target": target})
            else:
                title = f"Two servers {name}-{i}"
                what = f"Post: {title}", "bob"
                answer = client.as_("bob").post("api/documents", {"kind": "post", "title": title,
                                                                    "body": f"Written through server {name}."})
            with lock:
                statuses[answer.status] += 1
                if answer.status in (200, 201):
                    acknowledged.append(what)
                elif answer.status >= 500 or answer.status == 409:
                    errors[f"{answer.status} {answer.json().get('error', '')[:100]}"] += 1

        jobs = [(name, i) for i in range(writes) for name in "ab"]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda job: write(*job), jobs))
        seconds = time.perf_counter() - start
    finally:
        for server in servers.values():
            server.stop()
    log = git(origin, "log", "--format=%s%x09%an", "main").splitlines()
    history = Counter(tuple(line.split("\t", 1)) for line in log)
    authors = {(subject, name) for subject, name in history}
    handles_of = {"bob": "Bob Okafor", "alice": "Alice Martin", "carol": "Carol Diaz", "dave": "Dave Lin",
                  "erin": "Erin Wu"}
    lost = [w for w in acknowledged if (w[0], handles_of[w[1]]) not in authors]
    duplicates = [w for w, n in history.items() if n > 1 and w[0].startswith(("Post: Two", "Vote: "))]
    clean = {name: git(tmp / f"server-{name}", "status", "--porcelain").strip() or "clean" for name in "ab"}
    fifth = sum(n for status, n in statuses.items() if status >= 500)
    print(f"two servers: {2 * writes} writes ({writes} each, {threads} at a time) in {seconds:.1f} s; "
          f"answers {dict(sorted(statuses.items()))}; 5xx: {fifth}; {len(acknowledged)} acknowledged, "
          f"{len(lost)} lost, {len(duplicates)} duplicated in origin's history")
    print(f"two servers: git fsck origin {fsck(origin)}, server a {fsck(tmp / 'server-a')}, "
          f"server b {fsck(tmp / 'server-b')}; trees: a {clean['a']}, b {clean['b']}")
    for message, count in errors.most_common(5):
        print(f"  {count} × {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=100, help="writes against each server")
    parser.add_argument("--threads", type=int, default=16, help="writes in flight at once, both servers together")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        trial(args.writes, args.threads, Path(folder))


if __name__ == "__main__":
    main()
