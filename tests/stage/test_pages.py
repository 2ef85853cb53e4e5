"""Document pages: linked hashtags and mentions, bylines, answers inline, escaping."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

import feedparser
import markdown

from knowledge_base import doc, person

QUESTION = "questions/reset-token.md"


def render(text: str) -> str:
    """Staged Markdown as MkDocs would turn it into HTML (unsanitised, to see what staging itself emits)."""
    return markdown.markdown(text, extensions=["attr_list", "md_in_html"])


def test_every_post_and_question_has_a_page_and_answers_have_none(site):
    pages = site.staged.pages
    assert "posts/2026/kafka-lag.md" in pages
    assert "questions/reset-token.md" in pages and "questions/gpu-nodes.md" in pages
    assert not any("answers" in path for path in pages)


def test_hashtag_at_line_start_is_a_link_to_the_topic_page_not_a_heading(site):
    body = site.body("posts/2026/kafka-lag.md")
    assert "[#kafka](../../topics/kafka.md) lag alerts" in body
    html = render(body)
    assert '<a href="../../topics/kafka.md">#kafka</a> lag alerts' in html
    assert "<h1>kafka" not in html


def test_alias_hashtag_links_to_its_canonical_topic(site):
    assert "[#k8s](../../topics/kubernetes.md)" in site.body("posts/2026/kafka-lag.md")


def test_known_mention_links_to_the_person_and_unknown_stays_text(site):
    body = site.body("posts/2026/kafka-lag.md")
    assert "[@alice](../../people/alice.md)" in body
    assert "@nobody about" in body and "[@nobody]" not in body


def test_every_relative_link_on_every_page_resolves_to_a_staged_page(site):
    for path, text in site.staged.pages.items():
        for link in site.relative_links(path):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(link.split("#")[0])))
            assert target in site.staged.pages, f"{path} links to {link}, which is not staged"


def test_document_pages_leave_title_byline_and_topics_to_the_theme_header(site):
    body = site.body("posts/2026/kafka-lag.md")
    assert body.startswith("[#kafka](../../topics/kafka.md) lag alerts")  # no `# title`, no byline paragraph
    assert "wol-byline" not in body.split("## ")[0]
    meta = site.meta("posts/2026/kafka-lag.md")
    assert meta["wol_author"] == "bob" and meta["wol_author_name"] == "Bob Okafor"
    assert meta["wol_chips"] == [{"title": "kafka", "href": "topics/kafka/"}, {"title": "Kubernetes", "href": "topics/kubernetes/"}]


def test_author_who_left_is_shown_as_former_colleague(site):
    assert "[Dana Kowalczyk](../people/dana.md) (former colleague)" in site.body(QUESTION)  # an answer's byline


def test_answers_are_inline_accepted_first_then_most_useful_then_oldest(site):
    body = site.body(QUESTION)
    positions = [body.index(f'id="{name}"') for name in ("dana", "bob", "alice")]
    assert positions == sorted(positions)
    assert "## 3 answers" in body


def test_accepted_answer_is_marked_once_inside_its_own_article(site):
    html = render(site.body(QUESTION))
    assert html.count("Accepted answer") == 1
    dana = html.index('<article class="wol-answer wol-accepted" id="dana">')
    assert html.index("Accepted answer") > dana
    assert html.index("Accepted answer") < html.index('id="bob"')


def test_each_answer_has_its_author_date_and_usefulness_control(site):
    body = site.body(QUESTION)
    assert '<a href="../people/bob.md">Bob Okafor</a></strong> · 3 February 2026' in render(body)
    assert '<div class="wol-useful" data-id="questions/reset-token/answers/bob" data-count="2" data-author="bob">' in body
    assert '<div class="wol-useful" data-id="questions/reset-token/answers/dana" data-count="1" data-author="dana">' in body
    assert '<div class="wol-useful" data-id="questions/reset-token/answers/alice" data-count="0" data-author="alice">' in body


def test_answer_bodies_are_rendered_as_markdown_inside_their_article(site):
    html = render(site.body(QUESTION))
    assert "<strong>Access → Tokens</strong>" in html
    assert 'Use the portal, <a href="../people/carol.md">@carol</a>.' in html
    assert " markdown>" not in html and "{: " not in html


def test_unanswered_question_says_so_and_how_to_answer_with_git(site):
    body = site.body("questions/gpu-nodes.md")
    assert "## No answers yet" in body
    assert '<p class="wol-answer-hint"><em>Know the answer? Write it with <code>wol new answer</code>' in render(body)


def test_front_matter_gives_the_theme_what_it_shows(site):
    meta = site.meta(QUESTION)
    assert meta["title"] == "How do I reset my VPN token?"
    assert meta["wol_kind"] == "question"
    assert meta["wol_id"] == "questions/reset-token"
    assert meta["wol_useful"] == 0
    assert meta["wol_author"] == "carol" and meta["wol_author_name"] == "Carol Diaz"
    assert meta["wol_date"].startswith("2026-02-01T00:00:00")
    assert meta["wol_state"] == "solved"
    assert meta["wol_topics"] == ["vpn"]
    assert {"type": "application/atom+xml", "href": "people/carol/feed.xml",
            "title": "Carol Diaz (Atom)"} in meta["wol_feeds"]
    assert site.meta("posts/2026/kafka-lag.md")["wol_useful"] == 2


def test_a_title_with_markup_is_escaped_in_every_page_and_kept_as_text_in_front_matter(site):
    assert site.meta("posts/2026/script.md")["title"] == site.script_title
    for path in site.staged.pages:
        html = render(site.body(path))
        assert "<script" not in html, path
        assert "<em>friends</em>" not in html, path
    html = render(site.body("index.md"))  # the theme prints the page's own title, escaped (tests/site)
    assert "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62; &#38; &#42;friends&#42;</a>" in html


def test_drafts_appear_on_no_page(site):
    for path, page in site.staged.pages.items():
        text = page.markdown + repr(page.meta)
        assert "Secret draft plan" not in text and "secret" not in path
        assert "drafttopic" not in text and "drafttopic" not in path
        assert "Draft answer text" not in text and 'id="erin"' not in text


def test_extra_pages_and_files_are_staged_with_the_site(site):
    from wol.stage import Staged, StagedPage, stage_site

    extra = Staged(pages={"health/index.md": StagedPage({"title": "Health"}, "# Health\n")}, files={"api/health.json": "{}"})
    staged = stage_site(site.graph, site.settings, [extra])
    assert staged.pages["health/index.md"].meta == {"title": "Health"}
    assert staged.files["api/health.json"] == "{}"
    assert staged.pages["index.md"] == site.staged.pages["index.md"]


def test_odd_file_names_get_pages_whose_links_resolve(make_site):
    site = make_site({
        "posts/2026/index.md": doc("Named index", "alice", "2026-01-02", "#odd"),
        "posts/My Notes (v2).md": doc("Spaces and brackets", "bob", "2026-01-03", "#odd"),
    })
    assert "posts/2026/index/index.md" in site.staged.pages  # /posts/2026/index/, not /posts/2026/
    assert "posts/My Notes (v2).md" in site.staged.pages
    topic = site.body("topics/odd.md")
    assert "[Named index](../posts/2026/index/index.md)" in topic
    assert "[Spaces and brackets](../posts/My%20Notes%20%28v2%29.md)" in topic
    for path in site.staged.pages:
        for link in site.relative_links(path):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(link.split("#")[0])))
            assert target in site.staged.pages, f"{path} links to {link}"


def test_restaging_after_an_edit_shows_the_edit_in_pages_and_feeds(make_site):
    files = {"posts/a.md": doc("First title", "alice", "2026-01-02", "Hello @dana #odd")}
    before = make_site(files)
    assert "@dana" in before.body("posts/a.md") and "[@dana]" not in before.body("posts/a.md")
    after = make_site({"posts/a.md": doc("Second title", "alice", "2026-01-02", "Hello @dana #odd"),
                       "people/dana.md": person("Dana K", "support", "dana")})
    assert after.meta("posts/a.md")["title"] == "Second title"
    assert "[@dana](../people/dana.md)" in after.body("posts/a.md")
    assert "Second title" in after.staged.files["topics/odd/feed.xml"]
    content = feedparser.parse(after.staged.files["feed.xml"]).entries[0].content[0].value
    assert '<a href="https://wiki.test.example/people/dana/">@dana</a>' in content


def test_a_forgotten_authors_documents_show_a_former_colleague_with_no_name_and_no_link(make_site):
    from wol.content.forgotten import hash_handle

    site = make_site({
        "forgotten.txt": hash_handle("zoe") + "\n",
        "posts/zoe.md": doc("Zoe's notes", "zoe", "2026-01-02", "Notes on #odd, thanks @alice."),
        "posts/thanks.md": doc("Thanks", "alice", "2026-01-03", "Thanks @zoe for the #odd notes."),
    })
    page = site.body("posts/zoe.md") + repr(site.meta("posts/zoe.md"))
    assert site.meta("posts/zoe.md")["wol_author_name"] == "former colleague"
    assert "zoe" not in page.lower().replace("zoe's notes", "").replace("posts/zoe", "")
    assert "wol_author" not in site.meta("posts/zoe.md")  # the theme's byline links no one
    assert "[@zoe]" not in site.body("posts/thanks.md")
    for path, text in site.staged.files.items():
        assert "people/zoe" not in text and "people/former" not in text, path
    assert not any("zoe" in path for path in list(site.staged.pages) + list(site.staged.files) if "posts/" not in path)
