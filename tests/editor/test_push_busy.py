"""Two live servers on one origin: a push refused while the other holds origin's branch lock is tried again."""

from __future__ import annotations

import threading
import time

from editor_server import make_kb
from knowledge_base import git
from wol.changes import build_vote
from wol.editor.writer import Writer
from wol.settings import load_settings


def test_a_push_refused_for_origins_branch_lock_is_retried_until_it_goes(tmp_path):
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(make_kb(tmp_path / "seed")), str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(tmp_path / "server"))
    server = tmp_path / "server"
    git(server, "config", "user.email", "server@example.com")
    git(server, "config", "user.name", "Server")
    settings = load_settings(server)
    lock = origin / "refs/heads/main.lock"
    lock.write_text("")  # the other server's push, in progress
    threading.Timer(0.5, lock.unlink).start()
    start = time.monotonic()
    written = Writer(settings, sync=True).apply(
        lambda graph: "alice", lambda content, graph, actor: build_vote(settings, graph, actor, "posts/2026/kafka-retention"))
    assert time.monotonic() - start >= 0.4  # it waited for the lock, then pushed
    assert git(origin, "log", "-1", "--format=%s", "main").strip() == "Vote: posts/2026/kafka-retention was useful"
    assert written.commit == git(origin, "rev-parse", "main").strip()
