"""Small text helpers for staged pages: escaping user text, the staged page itself, dates, excerpts."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..i18n import ENGLISH, Translator
from .kept import Kept

# Every character that could start Markdown, HTML or an extension's syntax
# (emphasis, links, headings, tables, emoji, marks, maths, hashtags) becomes a
# numeric character reference: the reader sees the character, no parser acts on it.
# A leading digit or `-` is escaped too, so no line starts a list or a rule.
_MARKUP = {ord(c): f"&#{ord(c)};" for c in "&\\`*_{}[]()#+!<>|~^=:$@."}  # `.`: no www. autolinks
_LEADING = set("-0123456789")


def escape_md(text: str) -> str:
    """User text (a title, a name) made safe to place inside Markdown or HTML: one line, no markup."""
    text = " ".join(str(text).split()).translate(_MARKUP)
    if text[:1] in _LEADING:
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


def escape_attr(text: str) -> str:
    """Text for an HTML attribute value in double quotes."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class StagedPage:
    """A staged page: the front matter the theme reads (`meta`, no None values) and the Markdown body."""

    meta: dict
    markdown: str


class KeptPage(Kept):
    """A staged page as a step store keeps it (wol/stage/kept.py): its front matter and Markdown are
    unpickled when `meta` or `markdown` is first read."""

    __slots__ = ()

    @property
    def page(self) -> StagedPage:
        return self.value

    @property
    def meta(self) -> dict:
        return self.value.meta

    @property
    def markdown(self) -> str:
        return self.value.markdown

    def __eq__(self, other) -> bool:
        if isinstance(other, Kept):
            return self.digest == other.digest
        return self.value == other

    __hash__ = Kept.__hash__


def markdown_at_hand(page) -> str:
    """A staged page's Markdown, or "" for a kept page not unpickled: what a File's content may be when the
    reader of the page takes its Markdown from the staged page itself (wol's MkDocs plugin does)."""
    return "" if isinstance(page, KeptPage) and not page.read else page.markdown


def render_page(meta: dict, blocks: list[str]) -> StagedPage:
    """A staged page: `meta` without its None values, and the Markdown blocks separated by blank lines."""
    return StagedPage({key: value for key, value in meta.items() if value is not None},
                      "\n\n".join(b.strip("\n") for b in blocks if b and not b.isspace()) + "\n")


def format_date(moment, t: Translator = ENGLISH) -> str:
    """`3 March 2026`, `3 mars 2026`, `3. März 2026`: the translator's long date (wol/i18n.py)."""
    return t.date(moment)


def iso(moment: datetime) -> str:
    return moment.isoformat()


_HEADING_RE = re.compile(r"#{1,6}(?:\s|$)")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS_RE = re.compile(r"\*+|`+|(?<!\w)_+|_+(?!\w)|^>\s?|<[^>]*>", re.MULTILINE)


def excerpt(body: str, length: int = 160) -> str:
    """A plain-text summary: the first paragraph of prose, cut at a word near `length` characters."""
    text = _first_paragraph(body)
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


@lru_cache(maxsize=32768)
def _first_paragraph(body: str) -> str:
    start = 0
    while start < len(body):
        end = body.find("\n\n", start)
        end = len(body) if end < 0 else end
        block, start = body[start:end].strip(), end + 2
        if not block or block.startswith(("```", "~~~", "<", "|", "    ", "!", "---", "{")) or _HEADING_RE.match(block):
            continue
        if "[" in block:
            block = _LINK_RE.sub(r"\1", block)
        if any(c in block for c in "*`_<>"):
            block = _MARKS_RE.sub("", block)
        return " ".join(block.split())
    return ""
