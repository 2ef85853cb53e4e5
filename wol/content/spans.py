"""Find hashtags and mentions in Markdown source: the one implementation.

The graph uses `find_spans` to derive topics and mentions; the staged pages use
the same spans to turn them into links (`replace_spans`). So what counts as a
hashtag and what becomes a link can never disagree.

Excluded regions (fenced and indented code, inline code, link and image
destinations, reference definitions, autolinks, bare URLs, HTML tags and
comments, backslash escapes) are masked with spaces first, keeping offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

TAG = "tag"
MENTION = "mention"

# A Unicode letter, then letters, digits, `_` or `-`, not ending in `_` or `-`.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining marks
TAG_RE = re.compile(rf"#(?<![\w&/#@]#)([^\W\d_][{_MARKS}]*(?:[\w{_MARKS}-]*[^\W_][{_MARKS}]*)?)")
MENTION_RE = re.compile(r"@(?<![\w./@]@)([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)", re.IGNORECASE)
HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")

_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_LIST_ITEM_RE = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S.*$", re.MULTILINE)
_DESTINATION_RE = re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)")  # link and image destinations
_INLINE_MASKS = [  # (a string the text must hold for the pattern to apply, pattern)
    ("`", re.compile(r"(?<![\\`])(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")),  # code spans
    ("\\", re.compile(r"\\[\\`*_{}\[\]()#+\-.!@<>&]")),  # backslash escapes
    ("<!--", re.compile(r"<!--.*?-->", re.DOTALL)),  # HTML comments
    ("<", re.compile(r"<(?:[a-z][a-z0-9+.-]*:|www\.)[^\s<>]*>", re.IGNORECASE)),  # autolinks
    ("<", re.compile(r"<[^\s<>@]+@[^\s<>]+>")),  # e-mail autolinks
    ("<", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")),  # HTML tags
    ("](", _DESTINATION_RE),
    ("://", re.compile(r"\b(?:https?|ftp|file)://[^\s<>()]+", re.IGNORECASE)),  # bare URLs
    ("www.", re.compile(r"\bwww\.[^\s<>()]+", re.IGNORECASE)),
]
_LINK_TEXT_RE = re.compile(r"!?\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?=[ ]*[(\[])")


@dataclass(frozen=True)
class Span:
    """A hashtag or mention found at [start, end) of the text."""

    kind: str  # TAG or MENTION
    start: int
    end: int
    value: str  # normalised tag, or lower-cased handle
    raw: str  # as written, without the sigil
    in_link: bool = False  # inside a link's text: counts, but is not made a link


def normalise_tag(tag: str) -> str:
    """Case-fold and NFC-normalise a tag; `#Kubernetes` and `kubernetes` are one topic."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", tag).casefold())


MAX_TAG_LENGTH = 50  # a topic is a folder and file names of the site (topics/<tag>/index.html): keep them short


def is_valid_tag(tag: str) -> bool:
    return len(tag) <= MAX_TAG_LENGTH and bool(TAG_RE.fullmatch("#" + tag))


def is_valid_handle(handle: str) -> bool:
    return bool(HANDLE_RE.match(handle))


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank_match(m: re.Match) -> str:
    """The matched text with everything but newlines turned to spaces."""
    return _NOT_NEWLINE.sub(" ", m.group())


def _blank_line(line: str) -> str:
    return " " * (len(line) - 1) + "\n" if line.endswith("\n") else " " * len(line)


def _mask_blocks(text: str) -> str:
    """Blank fenced code, indented code and reference definitions, line by line."""
    out = []
    fence = None  # (char, length) of the open fence
    prev_blank, in_list, in_code = True, False, False
    for line in text.splitlines(keepends=True):
        if fence:
            out.append(_blank_line(line))
            m = _FENCE_RE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not line[m.end():].strip():
                fence = None
            continue
        if not line.strip():
            prev_blank = True
            out.append(line)
            continue
        m = _FENCE_RE.match(line) if line.lstrip(" ")[:1] in ("`", "~") else None
        if m and not (m.group(2)[0] == "`" and "`" in line[m.end():]):
            fence = (m.group(2)[0], len(m.group(2)))
            out.append(_blank_line(line))
            prev_blank = False
            continue
        indented = line.startswith(("    ", "\t", " \t", "  \t", "   \t"))
        if indented and (in_code or (prev_blank and not in_list)):
            in_code = True
            line = _blank_line(line)
        elif indented and in_list and prev_blank and line.expandtabs(4).startswith(" " * 8):
            in_code = True  # a code block inside a list item
            line = _blank_line(line)
        else:
            in_code = False
            if _LIST_ITEM_RE.match(line):
                in_list = True
            elif not indented and prev_blank:
                in_list = False
        out.append(line)
        prev_blank = False
    masked = "".join(out)
    return _REF_DEF_RE.sub(_blank_match, masked) if "]:" in masked else masked


def _mask(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank every region that can hold no hashtag or mention; also return link-text ranges."""
    masked = _mask_blocks(text)
    link_texts = []
    for trigger, pattern in _INLINE_MASKS:
        if trigger not in masked:
            continue
        if pattern is _DESTINATION_RE:
            link_texts = [(m.start(1), m.end(1)) for m in _LINK_TEXT_RE.finditer(masked)]
        masked = pattern.sub(_blank_match, masked)
    return masked, link_texts


def find_spans(text: str) -> list[Span]:
    """All hashtags and mentions of a Markdown body, in order of appearance."""
    if "#" not in text and "@" not in text:
        return []
    return list(_find_spans(text))


@lru_cache(maxsize=8192)  # a build parses each body, then links the same body when staging its page
def _find_spans(text: str) -> tuple[Span, ...]:
    masked, link_texts = _mask(text)

    def in_link(pos: int) -> bool:
        return any(a <= pos < b for a, b in link_texts)

    spans = []
    for m in TAG_RE.finditer(masked):
        spans.append(Span(TAG, m.start(), m.end(), normalise_tag(m.group(1)), m.group(1), in_link(m.start())))
    for m in MENTION_RE.finditer(masked):
        spans.append(Span(MENTION, m.start(), m.end(), m.group(1).lower(), m.group(1), in_link(m.start())))
    spans.sort(key=lambda s: s.start)
    return tuple(spans)


def line_of(text: str, offset: int) -> int:
    """1-based line number of an offset in text."""
    return text.count("\n", 0, offset) + 1


def replace_spans(text: str, spans, replacement) -> str:
    """Rebuild text with each span replaced by `replacement(span)` (None keeps it as it is)."""
    out, last = [], 0
    for span in spans:
        new = replacement(span)
        if new is None:
            continue
        out.append(text[last:span.start])
        out.append(new)
        last = span.end
    out.append(text[last:])
    return "".join(out)


# `[text](dest "title")` and `![alt](dest)`: group 1 `!` for an image, 2 the text, 3 the destination.
_LINK_DEST_RE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # ![text] or [text]
                           r"\(\s*<?([^\s()<>]+)>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")  # (dest "title")


@dataclass(frozen=True)
class Destination:
    """A link or image written in Markdown, outside code: `[text](target)` at [start, end) of the text."""

    start: int
    end: int
    target: str
    text: str
    image: bool


def find_destinations(text: str) -> list[Destination]:
    """The inline links and images of a Markdown body, in order, ignoring those inside code."""
    if "](" not in text:
        return []
    masked = _mask_blocks(text)
    code_spans = _INLINE_MASKS[0][1]
    if "`" in masked:
        masked = code_spans.sub(_blank_match, masked)
    return [Destination(m.start(), m.end(), m.group(3), m.group(2), m.group(1) == "!")
            for m in _LINK_DEST_RE.finditer(masked)]
