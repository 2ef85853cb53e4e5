"""Fixtures for the editor: a knowledge base in a real Git repository, and `wol serve` as a real process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from editor_server import HEADER, Client, Server  # noqa: E402
from knowledge_base import doc, git, person, write_kb  # noqa: E402

PEOPLE = {"alice": ("Alice Martin", "platform"), "bob": ("Bob Okafor", "data"),
          "carol": ("Carol Diaz", "support"), "dave": ("Dave Lin", "ops"), "erin": ("Erin Wu", "data")}

FILES = {
    "people/zoe.md": person("Zoe Former", "sales", "zoe", extra="left: 2025-01-31\n"),
    "posts/2026/kafka-retention.md": doc("Kafka retention explained", "bob", "2026-01-10",
                                         "How long #kafka keeps messages, and why @alice asked."),
    "questions/why-lag/index.md": doc("Why does the consumer lag?", "alice", "2026-02-01",
                                      "Our #kafka consumer lags after each deploy."),
    "questions/why-lag/answers/bob.md": doc(None, "bob", "2026-02-02", "Rebalancing: use static membership."),
    "questions/why-lag/answers/carol.md": doc(None, "carol", "2026-02-03", "Check the partition count."),
    **{f"posts/2026/note-{i}.md": doc(f"Note {i} on #ops", "bob", f"2026-01-0{i + 1}", f"Ops note number {i}.")
       for i in range(6)},
}


def make_kb(root: Path, email: str = "alice@example.com") -> Path:
    """The scratch knowledge base of these tests, committed, with the cache folder ignored."""
    write_kb(root, FILES, people=PEOPLE, email=email)
    (root / ".gitignore").write_text(".wol-cache/\nsite/\n", encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "ignore the cache", "--no-verify")
    return root


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_kb(tmp_path / "kb")


@pytest.fixture
def serve():
    """A factory: serve(root, identity_header=HEADER) → a running Server, stopped after the test."""
    started = []

    def start(root: Path, identity_header: str | None = HEADER) -> Server:
        server = Server(root, identity_header)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def client(repo, serve) -> Client:
    """A client of a server running behind a (simulated) SSO proxy, acting as nobody until `.as_(handle)`."""
    return serve(repo).client


