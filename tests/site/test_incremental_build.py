"""`wol build` again after changes: only what changed is rendered, and the site equals a cold build's, byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge_base import doc, git, write_kb
from wol.cli import main
from wol.stage.memo import MEMOS

pytestmark = pytest.mark.slow

FILES = {
    "posts/2026/kafka-upgrade.md": doc("Kafka upgrade", "alice", "2026-03-01", "We upgraded #kafka. See @bob."),
    "posts/2026/vpn-outage.md": doc("VPN outage", "bob", "2026-03-02",
                                    "The #vpn broke. [The upgrade](kafka-upgrade.md) was not the cause."),
    "posts/2026/laptops.md": doc("Laptops", "carol", "2026-03-03", "New laptops for the #support team."),
    "questions/reset-token.md": doc("How do I reset a token?", "carol", "2026-03-04", "It expired. #vpn"),
    "questions/reset-token/answers/alice.md": doc(None, "alice", "2026-03-05", "Run `vpn reset`."),
    "votes/bob.txt": "2026-03-06 posts/2026/kafka-upgrade\n",
}


def wol_build(root: Path, site: Path, *extra: str) -> str:
    """One `wol build`, as a new process would run it: staging's memos only from .wol-cache/."""
    for memo in MEMOS.values():
        memo.clear()
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--site-dir", str(site), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cold_build(root: Path, site: Path) -> dict[str, bytes]:
    """The same content built from nothing: no .wol-cache at all (the incremental build's is put back after)."""
    cache = root / ".wol-cache"
    aside = root.parent / "cache-aside"
    shutil.move(cache, aside)
    try:
        shutil.rmtree(site, ignore_errors=True)
        output = wol_build(root, site)
        assert "a full build" in output
        return files_of(site)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(aside, cache)


def assert_same_site(root: Path, site: Path) -> None:
    incremental, cold = files_of(site), cold_build(root, root.parent / "cold")
    assert sorted(incremental) == sorted(cold), "the same files"
    different = [rel for rel in cold if incremental[rel] != cold[rel]]
    assert different == [], f"{len(different)} file(s) differ from a cold build, e.g. {different[:5]}"


def assert_nothing_left_to_do(root: Path, site: Path) -> None:
    """The build recorded the site folder as it left it: the next build, with nothing changed, renders nothing."""
    output = wol_build(root, site)
    assert "a full build" not in output and rendered_count(output) == 0, output


def rendered_count(output: str) -> int:
    line = next(line for line in output.splitlines() if "changed pages" in line)
    return int(line.split("rendered ")[1].split(" ")[0])


@pytest.fixture
def kb(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # sitemap.xml.gz records the build time otherwise
    root = write_kb(tmp_path / "kb", FILES)
    site = tmp_path / "site"
    assert "a full build: no earlier build" in wol_build(root, site)
    return root, site


def test_edit_renders_only_what_changed_and_equals_a_cold_build(kb):
    root, site = kb
    assert "changed pages" in (again := wol_build(root, site)), again
    assert rendered_count(again) == 0, "nothing changed: nothing rendered"
    laptops = root / "content/posts/2026/laptops.md"
    laptops.write_text(laptops.read_text() + "\nAn edit about #python laptops.\n")
    output = wol_build(root, site)
    assert 0 < rendered_count(output) < 10, output
    assert "An edit about" in (site / "posts/2026/laptops/index.html").read_text()
    assert_nothing_left_to_do(root, site)
    assert_same_site(root, site)


FORKING_BUILD = """
import sys
from wol import pipeline
from wol.cli import main
pipeline.SEARCH_BESIDE_FROM = 1  # as a site of thousands of documents
fork = pipeline._search_beside
def said(*args, **kwargs):
    beside = fork(*args, **kwargs)
    print("forked" if beside is not None else "not forked", file=sys.stderr)
    return beside
pipeline._search_beside = said
main(sys.argv[1:])
"""


def test_the_search_files_written_by_a_second_process_equal_a_cold_build(kb):
    """A big site's `wol build` forks to write the search files while it stages and renders (in a process of
    its own here, as on the command line): after an edit, what the fork wrote is what a cold build writes."""
    root, site = kb
    laptops = root / "content/posts/2026/laptops.md"
    laptops.write_text(laptops.read_text() + "\nAn edit about #python laptops and their batteries.\n")
    run = subprocess.run([sys.executable, "-c", FORKING_BUILD, "-C", str(root), "build", "--site-dir", str(site)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "forked" in run.stderr.splitlines() and 0 < rendered_count(run.stdout + run.stderr) < 10, run.stderr
    assert "batteries" in (site / "posts/2026/laptops/index.html").read_text()
    assert_same_site(root, site)
    config = root / "mkdocs.yml"  # a full build, though the fork sends only the search files that changed
    config.write_text(config.read_text().replace("site_name: Test Wiki", "site_name: Renamed Wiki"))
    run = subprocess.run([sys.executable, "-c", FORKING_BUILD, "-C", str(root), "build", "--site-dir", str(site)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "forked" in run.stderr.splitlines() and "a full build" in run.stderr, run.stderr
    assert (site / "search").is_dir()
    assert_same_site(root, site)


def test_rename_delete_and_votes_equal_a_cold_build(kb):
    root, site = kb
    git(root, "mv", "content/posts/2026/kafka-upgrade.md", "content/posts/2026/kafka-upgrade-3-9.md")
    (root / "content/votes/bob.txt").write_text("2026-03-06 posts/2026/kafka-upgrade-3-9\n")
    output = wol_build(root, site)
    assert "changed pages" in output
    assert not (site / "posts/2026/kafka-upgrade").exists()
    assert (site / "posts/2026/kafka-upgrade-3-9/index.html").is_file()
    assert_nothing_left_to_do(root, site)
    assert_same_site(root, site)

    (root / "content/posts/2026/laptops.md").unlink()
    assert "changed pages" in wol_build(root, site)
    assert not (site / "posts/2026/laptops").exists()
    assert_nothing_left_to_do(root, site)
    assert_same_site(root, site)

    (root / "content/votes/carol.txt").write_text("2026-03-07 questions/reset-token/answers/alice\n"
                                                  "2026-03-07 posts/2026/vpn-outage\n")
    assert "changed pages" in wol_build(root, site)
    assert_same_site(root, site)

    (root / "content/posts/2026/new-post.md").write_text(doc("A new post", "bob", "2026-03-08", "Hello #kafka."))
    assert "changed pages" in wol_build(root, site)
    assert_nothing_left_to_do(root, site)
    assert_same_site(root, site)


def test_a_mkdocs_yml_change_builds_everything(kb):
    root, site = kb
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test Wiki", "site_name: Renamed Wiki"))
    output = wol_build(root, site)
    assert "a full build: mkdocs.yml, the theme, the navigation or wol itself changed" in output
    assert "Renamed Wiki" in (site / "index.html").read_text()
    assert_same_site(root, site)


def test_a_corrupt_manifest_or_a_touched_site_falls_back_to_a_full_build(kb):
    root, site = kb
    for manifest in (root / ".wol-cache" / "builds").glob("*.pickle"):
        manifest.write_bytes(b"not a pickle")
    assert "a full build: the build manifest" in wol_build(root, site)
    assert_same_site(root, site)

    (site / "posts/2026/laptops/index.html").write_text("edited by hand")
    output = wol_build(root, site)
    assert "a full build: the site folder was changed since the last build (posts/2026/laptops/index.html" in output
    assert_same_site(root, site)

    shutil.rmtree(site / "posts")
    assert "a full build: the site folder was changed" in wol_build(root, site)
    assert "a full build: --clean" in wol_build(root, site, "--clean")
    assert_same_site(root, site)


def test_a_build_that_stops_halfway_leaves_no_manifest(kb, monkeypatch):
    root, site = kb
    from wol.engines.mkdocs import renderer

    def fail(*args, **kwargs):
        raise RuntimeError("stopped halfway")

    laptops = root / "content/posts/2026/laptops.md"
    laptops.write_text(laptops.read_text() + "\nAn edit.\n")
    monkeypatch.setattr(renderer.SiteRenderer, "render_pages", fail)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["-C", str(root), "build", "--site-dir", str(site)], catch_exceptions=False)
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert "a full build: no earlier build" in wol_build(root, site)
    assert_same_site(root, site)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_staging_memos_are_kept_between_builds_and_their_edits_equal_a_cold_build(kb):
    root, site = kb
    assert (root / ".wol-cache/builds/stage-memos-2.pickle").is_file()

    (root / "content/topics").mkdir(exist_ok=True)
    (root / "content/topics/vpn.md").write_text("---\ntitle: VPN access\n---\n\nHow we reach the network.\n")
    wol_build(root, site)
    assert "VPN access" in (site / "topics/vpn/index.html").read_text()
    assert "VPN access" in (site / "posts/2026/vpn-outage/index.html").read_text(), "the topic's chip"
    assert_same_site(root, site)

    edit(root, "posts/2026/kafka-upgrade.md", "See @bob.", "See @bob and @carol about #kafka.")
    wol_build(root, site)
    assert "Kafka upgrade" in (site / "people/carol/index.html").read_text(), "carol's mentions"
    assert_same_site(root, site)

    (root / "content/questions/kafka-lag").mkdir()
    (root / "content/questions/kafka-lag/index.md").write_text(
        doc("Why is kafka lagging?", "carol", "2026-03-09", "@alice, any idea? #kafka"))
    wol_build(root, site)
    assert "Why is kafka lagging?" in (site / "people/alice/for-you.xml").read_text()
    assert_same_site(root, site)

    (root / "content/votes/carol.txt").write_text("2026-03-10 posts/2026/kafka-upgrade\n")
    wol_build(root, site)
    assert_same_site(root, site)

    edit(root, "people/bob.md", "name: Bob Okafor", "name: Robert Okafor")
    wol_build(root, site)
    assert "Robert Okafor" in (site / "posts/2026/vpn-outage/index.html").read_text()
    assert "Robert Okafor" in (site / "people/bob/feed.xml").read_text()
    assert "Bob Okafor" not in (site / "feed.xml").read_text()
    assert_same_site(root, site)


def test_a_build_after_an_edit_unpickles_none_of_the_pages_it_reuses_but_the_navigations(kb, monkeypatch):
    from wol.stage.text import KeptPage
    root, site = kb
    read = set()
    unpickle = KeptPage.page.fget
    monkeypatch.setattr(KeptPage, "page", property(lambda kept: read.add(kept.digest) or unpickle(kept)))
    laptops = root / "content/posts/2026/laptops.md"
    laptops.write_text(laptops.read_text() + "\nAn edit about laptops.\n")
    output = wol_build(root, site)
    pages = len(list(site.rglob("index.html")))
    assert 0 < rendered_count(output) < pages - 5 and "a full build" not in output, output
    assert len(read) <= 4, "at most the navigation's pages (their titles), of the pages it did not stage again"
    assert_same_site(root, site)
