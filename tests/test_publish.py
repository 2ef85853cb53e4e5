"""wol publish: a reader of DEST sees the old site or the new one, never a failure; releases for rollback."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest
from click.testing import CliRunner

from knowledge_base import doc
from wol.cli import main
from wol.problems import WolError
from wol.commands.publish import list_releases, publish_site
from wol.settings import load_settings


def post(title: str) -> str:
    return doc(title, "alice", "2026-01-05", "A post about #publishing.")


@pytest.mark.slow
def test_readers_never_fail_while_the_site_is_published_again_and_again(kb, tmp_path):
    root = kb({"posts/2026/news.md": post("Release zero")})
    settings = load_settings(root)
    dest = tmp_path / "www"
    publish_site(settings, dest, keep=2)
    reads, failures, stop = [0], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with open(dest / "index.html", encoding="utf-8") as f:
                    text = f.read()
                if "</html>" not in text:
                    failures.append("incomplete index.html")
                reads[0] += 1
            except OSError as exc:
                failures.append(repr(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(1, 5):
            (root / "content/posts/2026/news.md").write_text(post(f"Release {n}"), encoding="utf-8")
            publish_site(settings, dest, keep=2)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert reads[0] > 0
    assert "Release 4" in (dest / "index.html").read_text(encoding="utf-8")
    assert len(list_releases(dest)) == 2
    assert os.path.realpath(dest) == str(list_releases(dest)[-1])


@pytest.mark.slow
def test_rollback_points_dest_at_an_older_release(kb, tmp_path):
    root = kb({"posts/2026/news.md": post("First edition")})
    settings = load_settings(root)
    dest = tmp_path / "www"
    publish_site(settings, dest)
    (root / "content/posts/2026/news.md").write_text(post("Second edition"), encoding="utf-8")
    publish_site(settings, dest)
    assert "Second edition" in (dest / "index.html").read_text(encoding="utf-8")
    older = list_releases(dest)[-2]
    # As docs/administrators.md says: a new link beside DEST, renamed over it.
    subprocess.run(["ln", "-sfn", f"www.releases/{older.name}", "www.rollback"], cwd=tmp_path, check=True)
    subprocess.run(["mv", "-T", "www.rollback", "www"], cwd=tmp_path, check=True)
    assert "First edition" in (dest / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_failed_build_leaves_the_live_site_and_no_release_behind(kb, tmp_path):
    root = kb({"posts/2026/news.md": post("Still live")})
    settings = load_settings(root)
    dest = tmp_path / "www"
    live = publish_site(settings, dest)
    (root / "content/posts/2026/broken.md").write_text("---\ntitle: No author\n---\nOops.\n", encoding="utf-8")
    with pytest.raises(WolError):
        publish_site(settings, dest, strict=True)
    assert list_releases(dest) == [live]
    assert "Still live" in (dest / "index.html").read_text(encoding="utf-8")


def test_an_existing_folder_is_refused_with_how_to_migrate(kb, tmp_path):
    root = kb({})
    (tmp_path / "www").mkdir()
    result = CliRunner().invoke(main, ["-C", str(root), "publish", str(tmp_path / "www")])
    assert result.exit_code == 1
    assert "is a folder" in result.output and f"mv {tmp_path / 'www'} {tmp_path / 'www'}.old" in result.output
    assert not (tmp_path / "www.releases").exists()


def test_a_destination_that_cannot_be_written_is_a_clear_error(kb, tmp_path):
    root = kb({})
    (tmp_path / "afile").write_text("x")
    result = CliRunner().invoke(main, ["-C", str(root), "publish", str(tmp_path / "afile" / "www")])
    assert result.exit_code == 1 and "does not exist" in result.output and "Traceback" not in result.output
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        result = CliRunner().invoke(main, ["-C", str(root), "publish", str(locked / "www")])
        assert result.exit_code == 1 and "permission denied" in result.output


def test_a_destination_inside_the_repository_is_refused(kb):
    root = kb({})
    result = CliRunner().invoke(main, ["-C", str(root), "publish", str(root / "live")])
    assert result.exit_code == 1 and "inside the knowledge repository" in result.output
    assert not (root / "live.releases").exists()


def test_keep_must_leave_the_previous_release(kb, tmp_path):
    root = kb({})
    result = CliRunner().invoke(main, ["-C", str(root), "publish", str(tmp_path / "www"), "--keep", "1"])
    assert result.exit_code == 2 and "--keep" in result.output


@pytest.mark.slow
def test_a_publish_after_an_edit_renders_only_it_and_leaves_the_live_release_as_it_was(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # sitemap.xml.gz records the build time otherwise
    root = kb({"posts/2026/news.md": post("First edition"), "posts/2026/other.md": post("Other news")})
    settings = load_settings(root)
    dest = tmp_path / "www"
    said = []
    first = publish_site(settings, dest, echo=said.append)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file()}
    (root / "content/posts/2026/news.md").write_text(post("Second edition"), encoding="utf-8")
    said.clear()
    second = publish_site(settings, dest, echo=said.append)
    assert not any("a full build" in line for line in said), [line for line in said if "full" in line]
    assert any("changed pages" in line for line in said), said
    assert {p: p.read_bytes() for p in first.rglob("*") if p.is_file()} == before, "the old release is untouched"
    assert "Second edition" in (second / "posts/2026/news/index.html").read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--clean", "--site-dir", str(cold)])
    assert result.exit_code == 0, result.output
    files = lambda folder: {p.relative_to(folder).as_posix(): p.read_bytes()  # noqa: E731
                            for p in sorted(folder.rglob("*")) if p.is_file()}
    assert files(second) == files(cold), "the new release equals a cold build"
