"""A repeatable hostile trial (issue 17): fuzzed files, fuzzed API bodies, hostile Markdown, concurrent writes.

Usage: python benchmarks/trial_hostile.py [--files N] [--bodies N] [--writes N] [--kills N] [--seed S]

Prints counts; it measures, it asserts nothing. Each part runs against a fresh
knowledge base in a real Git repository in a temporary folder:
- files:  N hostile files in content/ (date typos, bad YAML values, control
          characters in text and in YAML escapes, long tags, markup runs,
          binary, symlinks out of the repository, FIFOs); `wol check` and
          `wol build` run as processes: how many crashed (a traceback or an
          exit code other than 0/1) or hung, how many files `wol check` named.
- bodies: N fuzzed JSON bodies to the editor's write API, in process (Flask's
          test client): 5xx answers, commits made, whether the tree is clean
          and `git fsck` passes afterwards.
- writes: N concurrent votes and posts against one real `wol serve`: answers
          by status, commits made, each write kept once, with its author.
- kills:  N times: `wol serve` started, three writers, kill -9 at a random
          moment; then whether every acknowledged write is committed, `git
          fsck`, the tree after a last restart, and how many unacknowledged
          texts the restarts kept aside (writes killed before their commit).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "editor"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from editor_server import HEADER, Server, make_kb  # noqa: E402
from knowledge_base import git  # noqa: E402

HOSTILE_VALUES = ["2026-02-30", "2026-13-45", "2026-01-01T25:00:00", "!!int x", "!!float nope", "[1, [2, {3: 4}]]",
                  "{a: b}", "~", "''", "\"\\e[31mred\"", "\"\\0nul\"", "\"\\ud800\"", "2026-01-01", "yes", "0x1F",
                  "&a [1]", "*a", "!!binary aGVsbG8=", "1e400", "-", "\"" + "x" * 5000 + "\""]
HOSTILE_BODIES = ["`" * 4000, "[" * 20000, "1. " * 1000, "#" + "t" * 300, " ".join(f"#t{i}" for i in range(10000)),
                  "\x00\x01\x1b[31m", "<script>alert(1)</script>", "x" * 600_000, "*" * 5000, "> " * 3000,
                  "<" * 5000, "$$" * 2000, "\t" * 1000 + "code", "ok"]


def random_text(rng: random.Random, size: int) -> str:
    alphabet = string.printable + "éß漢😀\u200b\u202e\x00\x1b\x7f\x85\ufeff"
    return "".join(rng.choice(alphabet) for _ in range(size))


def hostile_file(rng: random.Random, i: int) -> tuple[str, bytes]:
    kind = rng.choice(["post", "question", "answer", "profile", "topic", "votes"])
    field = rng.choice(["date", "title", "author", "tags", "accepted", "draft", "left", "aliases", "name"])
    value = rng.choice(HOSTILE_VALUES)
    body = rng.choice(HOSTILE_BODIES + [random_text(rng, rng.randint(0, 300))])
    front = {"title": "T", "author": "alice", "date": "2026-01-01", field: value}
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n\n" + body + "\n"
    if rng.random() < 0.1:
        text = text.replace("---\n\n", "")  # unclosed front matter
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        data = bytes(rng.randrange(256) for _ in range(200))  # binary
    path = {"post": f"posts/fuzz/f{i}.md", "question": f"questions/q{i}/index.md",
            "answer": f"questions/q{i % 50}/answers/a{i}.md", "profile": f"people/p{i}.md",
            "topic": f"topics/t{i}.md", "votes": f"votes/v{i}.txt"}[kind]
    return path, data


def run(args, timeout=600):
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "wol", *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hung", "", time.perf_counter() - start
    crashed = "Traceback" in done.stderr + done.stdout or done.returncode not in (0, 1)
    return ("crashed" if crashed else f"exit {done.returncode}"), done.stdout + done.stderr, time.perf_counter() - start


def trial_files(n: int, rng: random.Random, tmp: Path) -> None:
    root = make_kb(tmp / "files")
    content = root / "content"
    for i in range(n):
        path, data = hostile_file(rng, i)
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    outside = tmp / "outside.md"
    outside.write_text("---\ntitle: Leak\nauthor: alice\ndate: 2026-01-01\n---\n\nSecret.\n", encoding="utf-8")
    (content / "posts/fuzz/leak.md").symlink_to(outside)
    (content / "posts/fuzz/zero.md").symlink_to("/dev/zero")
    os.mkfifo(content / "posts/fuzz/pipe.md")
    status, output, seconds = run(["-C", str(root), "check", "--json"])
    named = len({p["path"] for p in json.loads(output[:output.rfind("]") + 1] or "[]")}) if status != "hung" else 0
    print(f"files: {n + 3} hostile files; wol check: {status} in {seconds:.1f} s, {named} files named with problems")
    status, output, seconds = run(["-C", str(root), "build", "--site-dir", str(tmp / "site")])
    leaked = (tmp / "site/posts/fuzz/leak/index.html").exists()
    print(f"files: wol build: {status} in {seconds:.1f} s; the outside file published: {leaked}")
    if status == "crashed":
        print("  " + "\n  ".join(output.strip().splitlines()[-4:]))


def fuzzed_body(rng: random.Random):
    choices = [None, True, 3, -1, 1e308, "", "x", "\ud800", "\x00", "a" * 300, ["x"], {"a": 1}, "#" * 60,
               "../../etc/passwd", "questions/why-lag", "posts/2026/kafka-retention", "`" * 4000]
    keys = ["kind", "title", "body", "tags", "question", "target", "answer", "name", "handle", "base", "expertise"]
    if rng.random() < 0.05:
        return "[" * 50_000
    return {k: rng.choice(choices + [random_text(rng, 40)]) for k in rng.sample(keys, rng.randint(0, 6))}


def trial_bodies(n: int, rng: random.Random, tmp: Path) -> None:
    from wol.editor import create_app
    root = make_kb(tmp / "bodies")
    app = create_app(root, site_dir=tmp / "bodies-site", identity_header=HEADER, sync=False)
    client = app.test_client()
    token = client.get("/api/session", headers={HEADER: "alice"}).get_json()["csrf"]
    routes = [("POST", "/api/documents"), ("PUT", "/api/documents/questions/why-lag"), ("POST", "/api/votes"),
              ("DELETE", "/api/votes"), ("PUT", "/api/people/alice"), ("POST", "/api/questions/why-lag/accept"),
              ("POST", "/api/preview")]
    statuses = Counter()
    before = int(git(root, "rev-list", "--count", "HEAD"))
    for _ in range(n):
        method, url = rng.choice(routes)
        body = fuzzed_body(rng)
        data = body if isinstance(body, str) else json.dumps(body)
        answer = client.open(url, method=method, data=data.encode("utf-8", "surrogatepass"),
                             headers={HEADER: "alice", "X-CSRF-Token": token, "Content-Type": "application/json"})
        statuses[answer.status_code // 100 * 100] += 1
    commits = int(git(root, "rev-list", "--count", "HEAD")) - before
    clean = git(root, "status", "--porcelain").strip() == ""
    fsck = subprocess.run(["git", "fsck", "--no-progress"], cwd=root, capture_output=True).returncode == 0
    print(f"bodies: {n} fuzzed bodies: {dict(sorted(statuses.items()))}; {commits} commits; "
          f"tree clean: {clean}; git fsck: {'ok' if fsck else 'FAILED'}")


def trial_writes(n: int, tmp: Path) -> None:
    root = make_kb(tmp / "writes")
    people = ["alice", "carol", "dave", "erin"]
    server = Server(root, HEADER)
    try:
        for handle in people + ["bob"]:
            server.client.as_(handle).token()
        statuses, lock = Counter(), threading.Lock()

        def write(i: int) -> None:
            if i % 2:
                who = people[i % len(people)]
                answer = server.client.as_(who).post("api/votes", {"target": f"posts/2026/note-{i % 6}"})
            else:
                answer = server.client.as_("bob").post("api/documents", {"kind": "post", "title": f"Burst {i}",
                                                                           "body": f"Written in the burst, number {i}."})
            with lock:
                statuses[answer.status] += 1

        threads = [threading.Thread(target=write, args=(i,)) for i in range(n)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
    finally:
        server.stop()
    posts = len(list((root / "content/posts/2026").glob("burst-*.md")))
    pairs = {(people[i % len(people)], f"posts/2026/note-{i % 6}") for i in range(1, n, 2)}
    counted = sum(len([line for line in (root / f"content/votes/{who}.txt").read_text().splitlines() if line])
                  for who in people if (root / f"content/votes/{who}.txt").exists())
    subjects = git(root, "log", "--format=%s").splitlines()
    kept_once = all(subjects.count(f"Post: Burst {i}") == 1 for i in range(0, n, 2))
    clean = git(root, "status", "--porcelain").strip() == ""
    print(f"writes: {n} concurrent writes in {seconds:.1f} s: {dict(sorted(statuses.items()))}; "
          f"{posts} of {(n + 1) // 2} posts on disk, each committed once: {kept_once}; "
          f"{counted} vote lines for {len(pairs)} distinct (voter, target) pairs (the rest: 409, already voted); "
          f"tree clean: {clean}")


def trial_kills(n: int, rng: random.Random, tmp: Path) -> None:
    """Start `wol serve`, write from several threads, kill -9 it at a random moment; n times. Then count."""
    import signal
    root = make_kb(tmp / "kills")
    acknowledged, statuses, errors, lock = [], Counter(), Counter(), threading.Lock()
    for round_ in range(n):
        server = Server(root, HEADER)
        client = server.client.as_("bob")
        client.token()
        stop = threading.Event()

        def write(worker: int) -> None:
            k = 0
            while not stop.is_set():
                title = f"Kill {round_}-{worker}-{k}"
                try:
                    answer = client.post("api/documents", {"kind": "post", "title": title, "body": "Kept?"})
                except OSError:
                    return  # the server died under us: not acknowledged
                with lock:
                    statuses[answer.status] += 1
                    if answer.status == 201:
                        acknowledged.append(title)
                    elif answer.status >= 500:
                        errors[answer.json().get("error", "")[:90]] += 1
                k += 1

        threads = [threading.Thread(target=write, args=(w,)) for w in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.2, 1.5))
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()
        server.log.close()
    server = Server(root, HEADER)  # the last restart: does it start, and is everything there?
    server.stop()
    subjects = set(git(root, "log", "--format=%s").splitlines())
    lost = [t for t in acknowledged if f"Post: {t}" not in subjects]
    fsck = subprocess.run(["git", "fsck", "--no-progress"], cwd=root, capture_output=True).returncode == 0
    recovered = sum(1 for p in (root / ".wol-cache" / "recovered").rglob("*") if p.is_file())
    print(f"kills: {n} kill -9 restarts; answers {dict(sorted(statuses.items()))}; {len(acknowledged)} writes "
          f"acknowledged, {len(lost)} lost; git fsck: {'ok' if fsck else 'FAILED'}; "
          f"tree after restart: {git(root, 'status', '--porcelain').strip() or 'clean'}; "
          f"{recovered} unacknowledged text(s) kept in .wol-cache/recovered/")
    for message, count in errors.most_common(3):
        print(f"  {count} × {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.files:
            trial_files(args.files, random.Random(args.seed), tmp)
        if args.bodies:
            trial_bodies(args.bodies, random.Random(args.seed), tmp)
        if args.writes:
            trial_writes(args.writes, tmp)
        if args.kills:
            trial_kills(args.kills, random.Random(args.seed), tmp)


if __name__ == "__main__":
    main()
