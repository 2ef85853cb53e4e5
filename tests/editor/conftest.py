"""Fixtures for the editor: a knowledge base in a real Git repository, and `wol serve` as a real process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from editor_server import HEADER, Client, Server, make_kb  # noqa: E402

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


