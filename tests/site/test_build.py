"""`wol build` on a knowledge base written inline: links, feeds, API, sanitising, warnings, strict mode."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from click.testing import CliRunner

from static_shards import Shards
from knowledge_base import doc, write_kb
from wol.cli import main

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "style", "base", "meta", "link", "frame",
                  "frameset", "applet", "math", "template", "noscript"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))

    handle_startendtag = handle_starttag


def article_of(html: str) -> str:
    """The page's content area (Material's own header, search form and scripts are not user content)."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', html, re.S)
    assert match, "the page has Material's content area"
    return match.group(1)


def unsafe_parts(html: str) -> list[str]:
    """What in an HTML fragment could run script: dangerous elements, handlers, script URLs."""
    found = []
    for tag, attrs in Elements(html).tags:
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "xlink:href", "poster", "data") and squeezed.startswith(BAD_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_build_names_each_skipped_document_with_its_reason(built):
    warning = next(m for m in built.messages if "content/posts/2026/broken.md" in m)
    assert "warning" in warning and "author" in warning
    assert not (built.site / "posts/2026/broken/index.html").exists()


def test_build_shows_its_phases_with_counts(built):
    text = "\n".join(built.messages)
    assert re.search(r"read \d+ documents", text)
    assert re.search(r"rendered \d+ pages", text)


def test_drafts_appear_nowhere_in_the_site(built):
    for path in built.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "A secret draft" not in path.read_text(encoding="utf-8"), path


def test_every_internal_link_in_every_page_resolves_to_a_file(built):
    missing = []
    for page in built.html_pages():
        for tag, attrs in Elements(page.read_text(encoding="utf-8")).tags:
            for name in ("href", "src"):
                url = attrs.get(name)
                if not url or urlsplit(url).scheme or url.startswith(("//", "#", "mailto:")):
                    continue
                path = unquote(urlsplit(url).path)
                # 404.html links from the site root: it is served at any depth
                target = (built.site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    missing.append(f"{page.relative_to(built.site)}: <{tag} {name}={url!r}>")
    assert not missing, "\n".join(missing[:20])


def links_in(built, rel: str) -> dict[str, str]:
    """Link text → href in a page's content area."""
    parser = _Links()
    parser.feed(article_of(built.read(rel)))
    return parser.links


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = {}, None, ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.setdefault(self._text.strip(), self._href)
            self._href = None


def test_hashtags_and_mentions_link_to_their_topic_and_person_pages(built):
    page = "posts/2026/k8s-upgrade/index.html"
    links = links_in(built, page)
    base = built.site / "posts/2026/k8s-upgrade"
    assert (base / links["#k8s"]).resolve() == (built.site / "topics/kubernetes").resolve()
    assert (base / links["@alice"] / "index.html").resolve().is_file()
    assert (base / links["#kafka"] / "index.html").resolve() == (built.site / "topics/kafka/index.html").resolve()
    assert "@nobody-here" not in links and "@nobody-here" in built.read(page)


def test_a_hashtag_at_the_start_of_a_line_is_a_link_not_a_heading(built):
    article = article_of(built.read("posts/2026/k8s-upgrade/index.html"))
    assert not re.search(r"<h1[^>]*>\s*k8s", article)
    assert "#kafka</a>" in article


def test_document_topic_and_person_pages_have_one_title_the_themes_header(built):
    post = article_of(built.read("posts/2026/k8s-upgrade/index.html"))
    assert len(re.findall(r"<h1", post)) == 1 and '<h1 class="wol-doc__title">Upgrading the clusters</h1>' in post
    assert '<p class="wol-byline"' not in post  # the theme shows the byline; the staged one is gone
    assert re.search(r'<a class="wol-chip md-tag wol-topic" href="\.\./\.\./\.\./topics/kubernetes/">Kubernetes</a>', post)
    for page, title in (("topics/kubernetes/index.html", "Kubernetes"), ("people/bob/index.html", "Bob Okafor")):
        article = article_of(built.read(page))
        assert len(re.findall(r"<h1", article)) == 1, page
        assert f'<h1 class="wol-profile__title">{title}</h1>' in article
    home = article_of(built.read("index.html"))
    assert len(re.findall(r"<h1", home)) == 1 and "wol-hero__title" in home


def test_document_pages_show_the_useful_control_with_id_and_count(built):
    html = built.read("posts/2026/k8s-upgrade/index.html")
    assert re.search(r'class="wol-useful" data-id="posts/2026/k8s-upgrade" data-count="1"', html)
    question = built.read("questions/kafka-lag/index.html")
    assert 'data-id="questions/kafka-lag/answers/bob"' in question
    assert "wol.js" in question


def test_pages_advertise_their_feeds_in_head_and_as_subscribe_links(built):
    html = built.read("topics/kafka/index.html")
    head = html.split("</head>")[0]
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="feed.xml"', head)
    assert re.search(r'<link rel="alternate" type="application/feed\+json"[^>]*href="feed.json"', head)
    assert 'class="wol-subscribe__link" href="feed.xml"' in html
    home_head = built.read("index.html").split("</head>")[0]
    assert 'type="application/atom+xml"' in home_head


def feed_paths(built):
    return sorted(built.site.rglob("feed.xml")), sorted(built.site.rglob("feed.json"))


def test_every_atom_feed_parses_in_feedparser_without_complaint(built):
    atom, _ = feed_paths(built)
    assert built.site / "feed.xml" in atom and built.site / "topics/kafka/feed.xml" in atom
    assert built.site / "people/bob/feed.xml" in atom
    for path in atom:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
    site = feedparser.parse((built.site / "feed.xml").read_bytes())
    titles = [e.title for e in site.entries]
    assert "Upgrading the clusters" in titles and "A secret draft" not in titles
    assert all(e.id and e.get("updated") and e.get("author") for e in site.entries)


def test_every_json_feed_is_version_1_1_with_items(built):
    _, feeds = feed_paths(built)
    for path in feeds:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert all(item["id"] for item in data["items"])
    kafka = json.loads((built.site / "topics/kafka/feed.json").read_text(encoding="utf-8"))
    assert any(item["title"] == "Why is consumer lag growing after deploy?" for item in kafka["items"])


def test_api_documents_match_the_graph(built):
    documents = json.loads(built.read("api/documents.json"))
    graph = built.graph
    assert [d["id"] for d in documents] == list(graph.documents)
    for entry in documents:
        assert entry["topics"] == graph.topics_of[entry["id"]]
        assert entry["mentions"] == graph.mentions_of[entry["id"]]
        assert entry["useful"] == graph.useful.get(entry["id"], 0)
        assert entry["author"] == graph.documents[entry["id"]].author
    bob = next(d for d in documents if d["id"] == "questions/kafka-lag/answers/bob")
    assert bob["url"].endswith("questions/kafka-lag/#bob")


def test_api_topics_and_people_match_the_graph(built):
    graph = built.graph
    topics = json.loads(built.read("api/topics.json"))
    assert {t["tag"] for t in topics} == set(graph.topics)
    kube = json.loads(built.read("api/topics/kubernetes.json"))
    assert kube["aliases"] == ["k8s"] and kube["documents"] == graph.topics["kubernetes"].documents
    bob = json.loads(built.read("api/people/bob.json"))
    assert bob["documents"] == graph.by_author["bob"]
    assert {e["tag"]: e["score"] for e in bob["expertise"]["earned"]} == graph.expertise["bob"]


def test_no_xss_payload_survives_in_any_page(built):
    for page in built.html_pages():
        unsafe = unsafe_parts(article_of(page.read_text(encoding="utf-8")))
        assert not unsafe, f"{page.relative_to(built.site)}: {unsafe}"
    html = built.read("posts/2026/xss/index.html")
    assert "Hostile input below" in html
    head = html.split("</head>")[0]
    assert "<script>alert" not in head and "&lt;script&gt;" in head


def test_no_xss_payload_survives_in_any_feed(built):
    atom, feeds = feed_paths(built)
    checked = 0
    for path in atom:
        for element in ET.parse(path).getroot().iter():
            if element.tag in (f"{ATOM}content", f"{ATOM}summary") and element.get("type") == "html":
                assert not unsafe_parts(element.text or ""), path
                checked += "Hostile input" in (element.text or "")
    for path in feeds:
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            assert not unsafe_parts(item.get("content_html", "")), path
            checked += "Hostile input" in item.get("content_html", "")
    assert checked, "the hostile post is in some feed"


def test_markdown_extensions_still_render_after_sanitising(built):
    article = article_of(built.read("posts/2026/deploy-checklist/index.html"))
    assert 'class="admonition warning"' in article and "Before you start" in article
    assert "<table>" in article and "<th>owner</th>" in article
    assert 'class="highlight"' in article and '<span class="k">def</span>' in article
    assert 'class="task-list-item"' in article and 'type="checkbox"' in article


def test_strict_build_fails_on_an_invalid_document_and_names_it(tmp_path):
    root = write_kb(tmp_path / "kb", {
        "posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok"),
        "posts/bad.md": "---\ntitle: Bad\ndate: 2026-01-01\n---\n\nno author\n",
    }, use_git=False)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--strict"])
    assert result.exit_code == 1
    assert "content/posts/bad.md" in result.output and "--strict" in result.output
    assert not (root / "site" / "index.html").exists()


def test_build_without_strict_skips_the_invalid_document_with_a_warning(tmp_path):
    root = write_kb(tmp_path / "kb", {
        "posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok"),
        "posts/bad.md": "---\ntitle: Bad\ndate: 2026-01-01\n---\n\nno author\n",
    }, use_git=False)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--site-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert re.search(r"content/posts/bad\.md: warning: skipped.*author", result.output)
    assert (tmp_path / "out/posts/ok/index.html").is_file()
    assert not (tmp_path / "out/posts/bad").exists()


@pytest.mark.parametrize("text, line", [
    ("site_name: X\ntheme:\n  name: material\n  features: [a\nplugins: []\n", 5),
    ("site_name: X\ntheme:\n  name: no-such-theme\n", 2),
])
def test_broken_mkdocs_yml_gives_a_clear_message_with_file_and_line(tmp_path, text, line):
    root = write_kb(tmp_path / "kb", {}, use_git=False)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 1
    assert f"mkdocs.yml:{line}:" in result.output
    assert "Traceback" not in result.output


def test_mkdocs_yml_is_read_again_after_each_edit_though_its_parse_is_kept(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok")}, use_git=False)
    config = root / "mkdocs.yml"
    out = tmp_path / "out"
    build = ["-C", str(root), "build", "--site-dir", str(out)]
    for name in ("Before Name", "After Name"):
        config.write_text(re.sub(r"(?m)^site_name:.*$", f"site_name: {name}", config.read_text()), encoding="utf-8")
        result = CliRunner().invoke(main, build)
        assert result.exit_code == 0, result.output
        assert f"<title>Home - {name}</title>" in (out / "index.html").read_text(encoding="utf-8")
    assert len(list((root / ".wol-cache").glob("settings-*.pickle"))) == 1  # the parse of the last version only
    config.write_text(config.read_text() + "theme:\n  features: [a\n", encoding="utf-8")
    result = CliRunner().invoke(main, build)
    assert result.exit_code == 1 and "mkdocs.yml:" in result.output and "not valid YAML" in result.output


def test_missing_mkdocs_yml_is_a_clear_message(tmp_path):
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "build"])
    assert result.exit_code == 1 and "mkdocs.yml" in result.output and "Traceback" not in result.output


def test_company_theme_overrides_are_used_before_wols_theme(tmp_path):
    root = write_kb(tmp_path / "kb", {"posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok")}, use_git=False)
    (root / "theme/partials").mkdir(parents=True)
    (root / "theme/partials/copyright.html").write_text("<p>Northwind internal</p>", encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 0, result.output
    html = (root / "site/posts/ok/index.html").read_text(encoding="utf-8")
    assert "Northwind internal" in html and "wol-useful" in html


def test_incremental_update_rerenders_the_edited_document_and_its_listings(tmp_path):
    from wol.settings import load_settings
    from wol.pipeline import SiteBuilder
    root = write_kb(tmp_path / "kb", {
        "posts/a.md": doc("First title", "alice", "2026-01-01", "About #kafka."),
        "posts/b.md": doc("Other post", "bob", "2026-01-02", "About #gpu."),
    }, use_git=False)
    builder = SiteBuilder(load_settings(root), root / "site")
    builder.build()
    post = root / "content/posts/a.md"
    post.write_text(doc("Second title", "alice", "2026-01-01", "About #kafka and @bob."), encoding="utf-8")
    report = builder.update([post])
    assert "posts/a.md" in report.pages and "posts/b.md" not in report.pages
    assert "Second title" in (root / "site/posts/a/index.html").read_text(encoding="utf-8")
    assert "Second title" in (root / "site/index.html").read_text(encoding="utf-8")
    assert "Second title" in (root / "site/topics/kafka/index.html").read_text(encoding="utf-8")
    assert "Second title" in (root / "site/feed.xml").read_text(encoding="utf-8")
    assert [h["title"] for h in Shards(root / "site/search").search("second title")][:1] == ["Second title"]
    assert not [h for h in Shards(root / "site/search").search("first") if h["id"] == "posts/a"]

    (root / "content/posts/c.md").write_text(doc("Brand new", "carol", "2026-01-03", "New #gpu."), encoding="utf-8")
    post.unlink()
    report = builder.update([post, root / "content/posts/c.md"])
    assert (root / "site/posts/c/index.html").is_file()
    assert not (root / "site/posts/a/index.html").exists()
    assert not [h for h in Shards(root / "site/search").search("second title") if h["id"] == "posts/a"]
    assert [h["id"] for h in Shards(root / "site/search").search("brand new")][:1] == ["posts/c"]


@pytest.mark.parametrize("health_every, refreshed", [(3600, False), (0, True)])
def test_an_update_recomputes_the_health_figures_at_most_every_health_every_seconds(tmp_path, health_every,
                                                                                   refreshed):
    from wol.settings import load_settings
    from wol.pipeline import SiteBuilder
    root = write_kb(tmp_path / "kb", {"posts/a.md": doc("First", "alice", "2026-01-01", "About #kafka.")},
                    use_git=False)
    builder = SiteBuilder(load_settings(root), root / "site", health_every=health_every)
    builder.build()
    health = root / "site/health/index.html"
    assert "documents (posts, questions, answers)</td><td>1 (1, 0, 0)" in health.read_text(encoding="utf-8")
    (root / "content/posts/b.md").write_text(doc("Second", "bob", "2026-01-02", "More #kafka."), encoding="utf-8")
    report = builder.update([root / "content/posts/b.md"])
    assert "posts/b.md" in report.pages and ("health/index.md" in report.pages) == refreshed
    shown = "2 (2, 0, 0)" if refreshed else "1 (1, 0, 0)"
    assert f"documents (posts, questions, answers)</td><td>{shown}" in health.read_text(encoding="utf-8")
    builder.build()  # a full build always recomputes them
    assert "documents (posts, questions, answers)</td><td>2 (2, 0, 0)" in health.read_text(encoding="utf-8")


@pytest.mark.parametrize("site_dir", [".", "content", "content/posts/site", ".."])
def test_build_refuses_a_site_folder_whose_cleaning_would_delete_content(tmp_path, site_dir):
    root = write_kb(tmp_path / "kb", {"posts/ok.md": doc("Fine", "alice", "2026-01-01", "ok")}, use_git=False)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--site-dir", str(root / site_dir)])
    assert result.exit_code == 1 and "refusing" in result.output
    assert (root / "content/posts/ok.md").is_file() and (root / "mkdocs.yml").is_file()


def test_a_knowledge_base_without_documents_builds_a_welcoming_site(tmp_path):
    root = write_kb(tmp_path / "kb", {}, use_git=False)
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 0, result.output
    for page in ("index.html", "questions/index.html", "topics/index.html", "people/index.html", "feed.xml"):
        assert (root / "site" / page).is_file(), page


def test_a_useful_control_written_into_a_post_for_another_document_is_inert(built):
    html = built.read("posts/2026/xss/index.html")
    assert 'data-count="999"' not in html and 'data-id="questions/kafka-lag"' not in html
    assert 'data-id="posts/2026/xss"' in html


def site_bytes(site: Path) -> dict:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_an_incremental_update_writes_the_site_a_full_build_writes(tmp_path, site_files):
    """The re-render (wol/engines/mkdocs/private.py) against MkDocs' own build() of the same content."""
    from wol.settings import load_settings
    from wol.pipeline import SiteBuilder, build_site
    root = write_kb(tmp_path / "kb", site_files, use_git=False)
    builder = SiteBuilder(load_settings(root), root / "updated", health_every=0)
    builder.build()
    edited = root / "content/posts/2026/k8s-upgrade.md"
    edited.write_text(doc("Upgrading the clusters again", "bob", "2026-03-02", "Now #gpu too, @carol."),
                      encoding="utf-8")
    added = root / "content/posts/2026/new.md"
    added.write_text(doc("A new post", "carol", "2026-03-10", "About #kafka. Hello @alice."), encoding="utf-8")
    gone = root / "content/posts/2026/deploy-checklist.md"
    gone.unlink()
    report = builder.update([edited, added, gone])
    assert "posts/2026/new.md" in report.pages and "posts/2026/deploy-checklist.md" in report.deleted
    build_site(load_settings(root), root / "full")
    updated, full = site_bytes(root / "updated"), site_bytes(root / "full")
    # an update keeps its generation's statistics and shard counts (a full build may count one fewer `v/` shard)
    searched = {p for p in full.keys() | updated.keys() if str(p).startswith("search/")}
    assert updated.keys() - searched == full.keys() - searched
    assert Path("search/meta.json") in updated and Path("search/meta.json") in full
    ordered = {"sitemap.xml", "sitemap.xml.gz"}  # the same entries, in another order
    assert searched and [str(p) for p in full if p not in searched and str(p) not in ordered
                         and updated[p] != full[p]] == []
    for words in ("upgrading clusters", "new post", "deploy checklist", "kafka", "gpu carol"):
        found = [[h["id"] for h in Shards(root / site / "search").search(words, limit=100)]
                 for site in ("updated", "full")]
        assert sorted(found[0]) == sorted(found[1]), words  # the same documents (close scores may swap)
    assert Shards(root / "updated/search").search("upgrading clusters")[0]["id"] == "posts/2026/k8s-upgrade"


def test_staged_pages_reach_mkdocs_as_data_even_when_a_body_looks_like_front_matter(tmp_path):
    from wol.settings import load_settings
    from wol.pipeline import build_site
    body = "Note: the first line looks like MultiMarkdown metadata.\n\n---\n\nAnd a rule above."
    root = write_kb(tmp_path / "kb", {"posts/note.md": doc("A plain title", "alice", "2026-01-01", body)},
                    use_git=False)
    build_site(load_settings(root), root / "site")
    html = (root / "site/posts/note/index.html").read_text(encoding="utf-8")
    assert "<title>A plain title" in html
    assert "Note: the first line looks like MultiMarkdown metadata." in article_of(html)
