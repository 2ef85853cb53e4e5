"""Markdown → safe HTML, and hashtags/mentions → links: the site's one way to render user text.

The staged pages, the feeds and the web editor's preview all go through these
functions, so a reader sees the same thing everywhere, and no user-written HTML
reaches a reader unsanitised (nh3, an allowlist sanitiser).
"""

from __future__ import annotations

import html
import threading

import markdown
import nh3

from ..content.spans import MENTION, TAG, find_spans

_TAGS = set(nh3.ALLOWED_TAGS) | {"input", "label", "svg", "path"} - {"map", "area"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("td", "th"):
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | {"style"}
_ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir"}
_ATTRIBUTES["a"] = {"href", "hreflang", "title"}
_ATTRIBUTES["img"] = {"src", "alt", "title", "width", "height", "loading"}
_ATTRIBUTES["input"] = {"type", "checked", "disabled"}
_ATTRIBUTES["details"] = {"open"}
_ATTRIBUTES["ol"] = {"start"}
_ATTRIBUTES["svg"] = {"viewbox", "width", "height", "aria-hidden", "xmlns"}
_ATTRIBUTES["path"] = {"d"}
# The health page's inline charts (wol/health/charts.py): shapes and text, no links, no script.
_TAGS |= {"g", "rect", "line", "text", "title", "desc"}
_ATTRIBUTES["svg"] |= {"viewBox", "role", "aria-labelledby"}
_ATTRIBUTES["g"] = {"transform"}
_ATTRIBUTES["rect"] = {"x", "y", "width", "height", "fill", "fill-opacity"}
_ATTRIBUTES["line"] = {"x1", "y1", "x2", "y2", "stroke", "stroke-opacity"}
_ATTRIBUTES["text"] = {"x", "y", "text-anchor", "transform", "fill", "font-size", "font-family"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise(html: str) -> str:
    """Remove everything that could run script: script/style/iframe/object/form, handlers, bad URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"},
        attributes=_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def link_spans(body: str, tag_href, mention_href) -> str:
    """Markdown with each hashtag and mention made a link.

    `tag_href(tag)` and `mention_href(handle)` return a URL, or None to leave
    the text as it is (an unknown handle stays plain text). Spans inside a
    link's text count for the graph but are not linked again.
    """
    return apply_span_links(body, span_links(body, tag_href, mention_href))


def span_links(body: str, tag_href, mention_href) -> tuple[tuple[int, int, str], ...]:
    """What `link_spans` changes in `body`: (start, end, link) of each span it links, in order (a few
    per body, where the linked body is the whole text again: what a memo keeps)."""
    def replace(span):
        if span.in_link:
            return None
        if span.kind == TAG:
            href = tag_href(span.value)
            return None if href is None else f"[#{span.raw}]({href})"
        if span.kind == MENTION:
            href = mention_href(span.value)
            return None if href is None else f"[@{span.raw}]({href})"
        return None

    links = []
    for span in find_spans(body):
        new = replace(span)
        if new is not None:
            links.append((span.start, span.end, new))
    return tuple(links)


def apply_span_links(body: str, links) -> str:
    """`body` with each (start, end, link) of `span_links` in place of its span."""
    if not links:
        return body
    out, last = [], 0
    for start, end, new in links:
        out.append(body[last:start])
        out.append(new)
        last = end
    out.append(body[last:])
    return "".join(out)


_RENDERERS = threading.local()  # Python-Markdown is not thread-safe: each thread owns its instances
RENDERERS_PER_THREAD = 4  # extension sets in use at once (mkdocs.yml's, and the one it had before a change)


def _renderer(extensions: tuple, configs_items: tuple) -> markdown.Markdown:
    """This thread's Markdown instance for one extension set (built once, reset before each use)."""
    owned = getattr(_RENDERERS, "by_key", None)
    if owned is None:
        owned = _RENDERERS.by_key = {}
    key = (extensions, configs_items)
    md = owned.pop(key, None)
    if md is None:
        configs = {name: dict(items) for name, items in configs_items}
        md = markdown.Markdown(extensions=list(extensions), extension_configs=configs)
        if len(owned) >= RENDERERS_PER_THREAD:
            del owned[next(iter(owned))]  # the least recently used
    owned[key] = md  # most recently used last
    return md


def markdown_to_html(text: str, extensions=(), configs=None) -> str:
    """Render Markdown with the given extensions (those of mkdocs.yml), then sanitise. Thread-safe."""
    configs = configs or {}
    items = tuple(sorted((name, tuple(sorted((k, _freeze(v)) for k, v in conf.items())))
                         for name, conf in configs.items()))
    md = _renderer(tuple(extensions), items)
    md.reset()
    try:
        return sanitise(md.convert(text))
    except RecursionError:  # nesting deeper than Python-Markdown can follow: show the text as it is
        _RENDERERS.by_key.pop((tuple(extensions), items), None)  # its state is half-reset: never reuse it
        return f"<pre>{html.escape(text)}</pre>"


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value
