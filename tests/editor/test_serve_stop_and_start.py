"""`wol serve` refuses a bad start in one line before building anything, and SIGTERM stops it at once,
even with a connection kept open and a request half sent."""

from __future__ import annotations

import signal
import socket

import pytest
from click.testing import CliRunner

from editor_server import HEADER, Server, make_kb
from knowledge_base import doc, write_kb
from wol.cli import main


def _serve(root, *args):
    return CliRunner().invoke(main, ["-C", str(root), "serve", "--port", "0", *args])


def test_serve_outside_a_git_repository_says_so_in_one_line_before_building(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")}, use_git=False)
    result = _serve(root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "not a Git repository" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (root / ".wol-cache/serve-site").exists()  # nothing was built


def test_serve_with_a_broken_setting_names_the_file_and_the_setting_before_building(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("A", "alice", "2026-01-01", "one")})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  push: sometimes\n", encoding="utf-8")
    result = _serve(root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "mkdocs.yml" in result.output and "wol.push must be true or false" in result.output
    assert not (root / ".wol-cache/serve-site").exists()


@pytest.mark.slow
def test_sigterm_stops_serve_with_a_connection_open_and_a_request_half_sent(tmp_path):
    server = Server(make_kb(tmp_path / "kb"), HEADER)
    host, port = server.url.split("//")[1].rstrip("/").rsplit(":", 1)
    idle = socket.create_connection((host, int(port)))
    idle.sendall(b"GET / HTTP/1.1\r\nHost: wiki\r\n\r\n")
    assert idle.recv(12) == b"HTTP/1.1 200"  # answered, and kept alive
    half = socket.create_connection((host, int(port)))
    half.sendall(b"POST /api/preview HTTP/1.1\r\nHost: wiki\r\nContent-Length: 1000\r\n\r\n{\"body\": ")
    try:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0  # a hang guard, not a timing: it does not wait for either
    finally:
        idle.close()
        half.close()
        server.stop()
    assert server.output().rstrip().endswith("wol: stopped")
