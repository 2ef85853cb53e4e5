"""`wol serve` end to end: a real process under waitress, started, written to over HTTP, stopped by a signal."""

from __future__ import annotations

import signal

import pytest

from editor_server import git_log, wait_for

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("sig,background", [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
                         ids=["ctrl-c", "sigterm", "ctrl-c-started-in-the-background"])
def test_serve_starts_writes_through_waitress_and_stops_on_a_signal(repo, serve, sig, background):
    server = serve(repo, background=background)
    assert server.url.startswith("http://127.0.0.1:")
    assert "not pushed" in server.output() and "X-Wol-User" in server.output()
    alice = server.client.as_("alice")
    page = alice.get("posts/2026/kafka-retention/")
    assert page.status == 200 and page.headers["Server"] == "wol"
    assert "live.js" in page.text
    voted = alice.post("api/votes", {"target": "posts/2026/kafka-retention"})
    assert voted.status == 200, voted.text
    assert git_log(repo, "-1") == ["Alice Martin|alice@example.com|Vote: posts/2026/kafka-retention was useful"]
    wait_for(lambda: 'data-count="1"' in server.client.get("posts/2026/kafka-retention/").text)
    for path in ("..%2F..%2Fmkdocs.yml", "%2e%2e/%2e%2e/content/people/alice.md", "edit/static/..%2F..%2F__init__.py"):
        answer = server.client.get(path)  # what waitress hands on, not only what a test client builds
        assert answer.status == 404, path
        assert "site_name" not in answer.text and "email:" not in answer.text
    assert server.stop(sig) == 0
    assert server.process.poll() == 0 and "wol: stopped" in server.output()  # stopped cleanly, and says so
