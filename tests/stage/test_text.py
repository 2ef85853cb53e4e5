"""Escaping user text for staged Markdown, and front matter the theme can read."""

from __future__ import annotations

import html
import re

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wol.stage.text import escape_md, excerpt, render_page

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences", "pymdownx.tilde",
              "pymdownx.caret", "pymdownx.mark", "pymdownx.emoji", "pymdownx.inlinehilite", "pymdownx.magiclink"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


def visible(rendered: str, tag: str) -> str:
    """The text a reader sees inside the one `tag` element of the rendered HTML."""
    inner = re.fullmatch(rf"<{tag}[^>]*>(.*?)(?:<a class=\"headerlink\".*)?</{tag}>", rendered, re.S)
    assert inner, rendered
    assert "<" not in inner.group(1), rendered  # no element of any kind inside
    return html.unescape(inner.group(1))


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example('<script>alert(1)</script>')
@example('**bold** _em_')
@example('[x](javascript:alert(1))')
@example(':smile: :+1:')
@example('~~del~~ ^^ins^^ ==mark==')
@example('1. list')
@example('- item')
@example('+ item')
@example('> quote')
@example('http://example.com/x')
@example('www.example.com')
@example('a@b.example')
@example('snake_case_name')
@example('`code`')
@example('&amp; &lt;')
@example('| a | b |')
@example('{: .cls }')
@example('\\\\*')
@example('<!-- c -->')
@example('#tag @alice')
@example('$x$')
@example('!!! note')
@example('---')
@example('=')
@example("C++ & Go: what's new?")
@example('***')
def test_escaped_text_is_shown_as_written_in_a_heading_and_a_link(text):
    expected = " ".join(text.split())
    if not expected:
        return
    md = markdown.Markdown(extensions=EXTENSIONS)
    assert visible(md.convert(f"# {escape_md(text)}"), "h1").strip() == expected.strip()
    md.reset()
    paragraph = md.convert(f"[{escape_md(text)}](page.md)")
    link = re.fullmatch(r'<p><a href="page\.md">(.*)</a></p>', paragraph, re.S)
    assert link and "<" not in link.group(1), paragraph
    assert html.unescape(link.group(1)) == expected


def test_a_staged_page_keeps_its_meta_as_data_without_none_and_its_blocks_apart():
    meta = {"title": 'He said "no" \\ : # - [x] {y} ä 😀 \u2028 \x85', "wol_useful": 3, "hide": ["toc"], "skip": None}
    page = render_page(meta, ["\nFirst *block*.\n", "", "## Second\n"])
    del meta["skip"]
    assert page.meta == meta
    assert page.markdown == "First *block*.\n\n## Second\n"


def test_excerpt_is_the_first_paragraph_of_prose_as_plain_text():
    body = "# Heading\n\n```\ncode\n```\n\n#kafka is **fast**, see [the docs](x.md) and `lag`.\n\nMore."
    assert excerpt(body) == "#kafka is fast, see the docs and lag."
    assert excerpt("word " * 100, 20) == "word word word word…"
