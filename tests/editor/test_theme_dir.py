"""The company's theme folder is one setting (`theme.custom_dir`): the live site watches and uses it."""

from __future__ import annotations

import time

from knowledge_base import MKDOCS_YML, doc, write_kb
from wol.server.live import LiveSite
from wol.server.watch import watch
from wol.settings import load_settings


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def text_of(path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:  # a full rebuild cleans the folder first
        return ""


def test_an_edited_partial_in_custom_dir_reaches_the_live_site(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok")}, use_git=False)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace("  name: material\n",
                                                        "  name: material\n  custom_dir: branding\n"))
    partial = root / "branding/partials/copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>Northwind v1</p>", encoding="utf-8")
    settings = load_settings(root)
    assert settings.theme_path == root / "branding"
    live = LiveSite(settings, tmp_path / "live")
    live.start()
    watcher = watch(lambda: live.builder.settings, live.request)
    page = tmp_path / "live/posts/ok/index.html"
    try:
        assert "Northwind v1" in page.read_text(encoding="utf-8")
        partial.write_text("<p>Northwind v2</p>", encoding="utf-8")
        assert wait_for(lambda: "Northwind v2" in text_of(page)), \
            "the edited partial never reached the live site"
    finally:
        watcher.stop()
        live.stop()
