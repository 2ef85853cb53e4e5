"""Files beside documents on the built site: images inline with their size and lazy loading, other files as links."""

from __future__ import annotations

import json

import pytest

from attachments_data import PDF, png
from knowledge_base import doc, write_kb

FILES = {
    "posts/2026/agents.md": doc("Restarting the agents", "alice", "2026-03-01",
                                "The console:\n\n![The agents console](agents.files/console.png)\n\n"
                                "Details in [the runbook](agents.files/runbook.pdf)."),
    "posts/2026/agents.files/console.png": png(320, 200),
    "posts/2026/agents.files/runbook.pdf": PDF,
    "posts/2026/agents.files/unused.png": b"<script>alert('xss-file')</script>",
    "questions/q/index.md": doc("Why?", "bob", "2026-03-02", "See ![mine](files/q.png)"),
    "questions/q/files/q.png": png(10, 20),
    "questions/q/answers/carol.md": doc(None, "carol", "2026-03-03", "Like this: ![graph](carol.files/graph.png)"),
    "questions/q/answers/carol.files/graph.png": png(30, 40),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from wol.pipeline import build_site
    from wol.settings import load_settings
    root = write_kb(tmp_path_factory.mktemp("files") / "kb", FILES)
    build_site(load_settings(root), root / "site", strict=True, echo=lambda message: None)
    return root / "site"


def test_an_image_is_shown_inline_with_width_height_and_lazy_loading(site):
    html = (site / "posts/2026/agents/index.html").read_text()
    assert ('<img src="../agents.files/console.png" alt="The agents console" width="320" height="200" '
            'loading="lazy">') in html
    assert (site / "posts/2026/agents.files/console.png").read_bytes() == png(320, 200)


def test_another_file_is_a_link_with_its_type_and_size(site):
    html = (site / "posts/2026/agents/index.html").read_text()
    assert f'<a href="../agents.files/runbook.pdf">the runbook</a> <small class="wol-file">(PDF, {len(PDF)} bytes)</small>' \
        in html
    assert (site / "posts/2026/agents.files/runbook.pdf").read_bytes() == PDF


def test_a_file_whose_content_is_refused_is_never_published(site):
    assert not (site / "posts/2026/agents.files/unused.png").exists()


def test_images_of_a_question_and_of_its_answers_resolve_from_the_question_page(site):
    html = (site / "questions/q/index.html").read_text()
    assert 'src="files/q.png"' in html and 'src="answers/carol.files/graph.png"' in html
    assert (site / "questions/q/files/q.png").exists() and (site / "questions/q/answers/carol.files/graph.png").exists()


def test_the_sites_feed_links_images_by_absolute_url(site):
    feed = json.loads((site / "feed.json").read_text())
    item = next(i for i in feed["items"] if i["title"] == "Restarting the agents")
    assert 'src="https://wiki.test.example/posts/2026/agents.files/console.png"' in item["content_html"]


def test_an_update_after_a_reply_and_files_change_writes_the_site_a_full_build_writes(tmp_path):
    from pathlib import Path
    from wol.pipeline import SiteBuilder, build_site
    from wol.settings import load_settings
    root = write_kb(tmp_path / "kb", FILES, use_git=False)
    builder = SiteBuilder(load_settings(root), root / "updated", health_every=0)
    builder.build()
    content = root / "content"
    reply = content / "posts/2026/agents.replies/2026-03-04-bob.md"
    reply.parent.mkdir()
    reply.write_text(doc(None, "bob", "2026-03-04", "Mine looks like this: ![bob's console](2026-03-04-bob.files/c.png)"))
    (content / "posts/2026/agents.replies/2026-03-04-bob.files").mkdir()
    image = content / "posts/2026/agents.replies/2026-03-04-bob.files/c.png"
    image.write_bytes(png(50, 50))
    changed = content / "posts/2026/agents.files/console.png"
    changed.write_bytes(png(640, 400))
    gone = content / "questions/q/files/q.png"
    gone.unlink()
    report = builder.update([reply, image, changed, gone])
    assert "posts/2026/agents.md" in report.pages and "questions/q/files/q.png" in report.deleted
    build_site(load_settings(root), root / "full")

    def files(site: Path) -> dict:
        return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    updated, full = files(root / "updated"), files(root / "full")
    assert updated.keys() == full.keys()
    skipped = {"sitemap.xml", "sitemap.xml.gz"}  # the same entries, in another order
    assert [str(p) for p in full if not str(p).startswith("search/") and str(p) not in skipped
            and updated[p] != full[p]] == []
    page = updated[Path("posts/2026/agents/index.html")].decode()
    assert '<img src="../agents.replies/2026-03-04-bob.files/c.png" alt="bob\'s console" width="50" height="50"' \
        in page  # a reply's own file, from its target's page
    assert 'width="640" height="400"' in page
