"""`wol serve` at start: the last run's site is served at once while the site is built again."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from knowledge_base import doc, write_kb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "editor"))
from editor_server import Client, in_process, wait_for  # noqa: E402


def live_app(root: Path):
    from wol.commands.serve import SITE_FOLDER
    from wol.editor import create_app
    from wol.server.live import LiveSite, keep_previous_site
    from wol.settings import load_settings
    settings = load_settings(root)
    site_dir = settings.cache_path / SITE_FOLDER
    previous = keep_previous_site(site_dir)
    live = LiveSite(settings, site_dir)
    app = create_app(root, settings, site_dir=site_dir, identity_header="X-Wol-User", live=live, host="127.0.0.1")
    return live, previous, Client(in_process(app))


def test_the_last_runs_site_is_served_while_the_site_is_built_again(tmp_path, monkeypatch):
    import wol.server.live
    monkeypatch.setattr(wol.server.live, "OLD_SITE_GRACE_SECONDS", 0)
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("Old title", "alice", "2026-01-01", "old text")})
    live, previous, client = live_app(root)
    assert previous is None  # the first run: nothing to show before the build
    live.start()
    assert "Old title" in client.get("/posts/a/").text
    live.stop()

    (root / "content/posts/a.md").write_text(doc("New title", "alice", "2026-01-01", "new text"))
    live, previous, client = live_app(root)
    assert previous is not None and previous.name == "serve-site.previous"
    release, building = threading.Event(), threading.Event()
    build = live.builder.build

    def slow_build(graph=None):
        building.set()
        release.wait(60)
        return build(graph)
    monkeypatch.setattr(live.builder, "build", slow_build)
    live.start(previous)
    assert building.wait(60)
    page = client.get("/posts/a/")
    assert page.status == 200 and "Old title" in page.text  # the last run's site, at once
    assert client.get("/api/changes?since=0").json()["reload"] is False
    release.set()
    wait_for(lambda: live.serving == live.site_dir, timeout=120)
    assert "New title" in client.get("/posts/a/").text
    assert client.get("/api/changes?since=0").json()["reload"] is True  # open pages reload
    wait_for(lambda: not previous.exists(), timeout=60)
    live.stop()


def test_a_build_killed_halfway_leaves_the_last_complete_site_to_serve(tmp_path):
    from wol.server.live import COMPLETE, keep_previous_site
    site = tmp_path / "serve-site"
    site.mkdir()
    (site / COMPLETE).write_text("")
    (site / "index.html").write_text("<html>complete</html>")
    previous = keep_previous_site(site)
    assert (previous / "index.html").read_text() == "<html>complete</html>"
    site.mkdir()  # a build starts, and is killed before it finishes: no mark
    (site / "index.html").write_text("<html>half</html>")
    assert keep_previous_site(site) == previous
    assert (previous / "index.html").read_text() == "<html>complete</html>"
