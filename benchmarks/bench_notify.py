"""`wol notify` after one commit on a large repository, sending to a real local SMTP server (aiosmtpd).

Usage: python benchmarks/bench_notify.py [DOCUMENTS] [PEOPLE] [REPEATS]     (default: 10000 2000 3)

Measures, as an administrator's CI step would run it (`wol notify` in a fresh process): the first run
(it only starts the record), a run after a commit asking one question (routed to the experts and
facilitators), a run after a commit mentioning 500 people (500 immediate messages: messages per second,
the record saved every 50), and a run with nothing new. Prints medians over REPEATS commits each.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

START = datetime(2027, 1, 4, 9, 0)


class Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def wol_notify(root: Path, now: datetime) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wol", "-C", str(root), "notify", "--now", now.isoformat()], check=True,
                   capture_output=True, text=True)
    return time.perf_counter() - started


def commit(root: Path, rel: str, text: str) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-qm", f"add {rel}", "--no-verify")


def main(documents: int = 10_000, people: int = 2_000, repeats: int = 3) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Counter()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = write_synthetic(Path(tmp) / "kb", documents, people=people)
            with open(root / "mkdocs.yml", "a") as f:
                f.write(f"wol:\n  notify:\n    smtp: {{host: 127.0.0.1, port: {port}, security: none, "
                        f"from: wiki@example.com}}\n")
            git(root, "init", "-q", "-b", "main")
            git(root, "config", "user.email", "bench@example.com")
            git(root, "config", "user.name", "Bench")
            git(root, "add", "-A")
            git(root, "commit", "-qm", "synthetic", "--no-verify")
            print(f"{documents:,} documents, {people:,} people; SMTP server 127.0.0.1:{port} (aiosmtpd)")
            first = wol_notify(root, START)
            print(f"first run (starts the record, sends nothing): {first:.2f} s")
            asked, asked_sent, mentioned, mentioned_sent, idle = [], [], [], [], []
            for r in range(repeats):
                now = START + timedelta(days=r + 1)  # a day apart: each expert's daily digest is due again
                before = box.count
                commit(root, f"questions/bench-{r}/index.md", f"---\ntitle: Bench question {r}\nauthor: user1\n"
                       f"date: {now.isoformat()}Z\ntags: [kafka, topic1]\n---\n\nWhy does the #kafka consumer lag?\n")
                asked.append(wol_notify(root, now))
                asked_sent.append(box.count - before)
                before = box.count
                handles = " ".join(f"@user{i}" for i in range(2, 502))
                commit(root, f"posts/bench/mentions-{r}.md", f"---\ntitle: Thanks, everyone {r}\nauthor: user0\n"
                       f"date: {now.isoformat()}Z\n---\n\nThank you {handles}.\n")
                seconds = wol_notify(root, now)
                mentioned.append(seconds)
                mentioned_sent.append(box.count - before)
                idle.append(wol_notify(root, now))
            median = statistics.median
            print(f"after a commit asking a question: {median(asked):.2f} s, {median(asked_sent):.0f} messages "
                  f"(runs: {', '.join(f'{t:.2f}' for t in asked)})")
            rate = [n / t for n, t in zip(mentioned_sent, mentioned)]
            print(f"after a commit mentioning 500 people: {median(mentioned):.2f} s, {median(mentioned_sent):.0f} "
                  f"messages, {median(rate):.0f} messages/s (runs: {', '.join(f'{t:.2f}' for t in mentioned)})")
            print(f"a run with nothing new: {median(idle):.2f} s")
            beyond = [n / max(t - i, 1e-3) for n, t, i in zip(mentioned_sent, mentioned, idle)]
            print(f"sending alone (the 500-mention run less the run with nothing new): {median(beyond):.0f} messages/s")
    finally:
        smtp.stop()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
