"""Atom 1.0 (feedgen) and JSON Feed 1.1 (json) feeds of the whole site, every topic and every person.

Each feed holds the newest `settings.feed_length` published documents; the
feeds of a topic and of a person hold its replies too (the site's feed does
not: it would be a flood room). Ids are
stable: the document's absolute URL when `site_url` is set, else a `tag:` URI
derived from the document id. Links are absolute from the site root (absolute
URLs with `site_url`), so a feed reader resolves them outside the site.

The site's feed carries each document in full, rendered by `markdown_to_html`
(sanitised; memoised per document, so a rebuild renders only what changed).
Topic and person feeds carry a summary (the first paragraph as escaped text)
and a link: rendering full HTML for the newest entries of every topic and
every person would render most of a large site's Markdown on every build
(3,900 of 5,000 synthetic documents, about 1 ms each; see
benchmarks/bench_stage.py).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from ..i18n import translator
from .html import link_spans, markdown_to_html
from .links import folder_of, site_root, url_from_root
from .parts import file_links, link_files, person_name, title_of
from .memo import Memo
from .reuse import Direct
from .text import excerpt

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # `updated` of a feed with no entries
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_HTML = Memo(20_000, "entry-html")  # (document id, body, extensions, root, known links) → HTML
_FEEDS = Memo(4_096, "feeds")  # everything a feed depends on → (Atom text, JSON Feed text)


@dataclass(frozen=True)
class Feed:
    """One feed: where it lives, what it is called, and the documents it holds (newest first)."""

    folder: str  # site-relative folder, '' for the root: the feed is `<folder>feed.xml`
    title: str
    subtitle: str
    page: str  # site-relative URL of the page the feed belongs to
    documents: tuple[str, ...]
    full: bool = False  # entries carry the whole document, not a summary
    name: str = "feed"  # the files are `<folder><name>.xml` and `<folder><name>.json`


@dataclass(frozen=True)
class Entry:
    """What a feed shows of one document (the same in Atom and JSON Feed)."""

    id: str
    url: str
    title: str
    author: str
    author_url: str | None  # None for an author with no page (forgotten)
    date: datetime
    categories: tuple  # (tag, title) pairs
    html: str  # the whole document, or its summary and a link
    summary: str  # plain text
    extension: tuple = ()  # (key, value) pairs of JSON Feed's `_wol` extension object (none: no object)


SITE, TOPIC, PERSON = "site", "topic", "person"


def find_feeds(graph, settings) -> list[Feed]:
    """The site's feed, then one per topic and one per person."""
    return [find_feed(graph, settings, kind, name) for kind, name in feed_subjects(graph)]


def feed_subjects(graph) -> list[tuple[str, str]]:
    """(kind, tag or handle) of every feed: the site's, each topic's, each person's."""
    return [(SITE, ""), *((TOPIC, tag) for tag in graph.topics), *((PERSON, handle) for handle in graph.people)]


def find_feed(graph, settings, kind: str, name: str) -> Feed:
    """The site's feed (full entries), a topic's or a person's (summaries, with replies)."""
    n, t, site = settings.feed_length, translator(settings.locale), settings.site_name
    if kind == SITE:
        return Feed("", site, settings.site_description or t.gettext("Everything new on %(site)s", site=site),
                    "", tuple(list(graph.documents)[:n]), full=True)
    if kind == TOPIC:
        topic, folder = graph.topics[name], folder_of(f"topics/{name}")
        return Feed(folder, f"{topic.title} · {site}", t.gettext("New on the topic %(topic)s", topic=topic.title),
                    folder, newest(graph, topic.documents, topic.replies, n))
    person, folder = graph.people[name], folder_of(f"people/{name}")
    return Feed(folder, f"{person.name} · {site}", t.gettext("What %(name)s wrote", name=person.name), folder,
                newest(graph, graph.by_author.get(name, []), graph.replies_by.get(name, []), n))


def newest(graph, documents: list[str], replies: list[str], n: int) -> tuple[str, ...]:
    """The n newest of two lists that are each newest first."""
    if not replies:
        return tuple(documents[:n])
    both = documents[:n] + replies[:n]
    return tuple(sorted(both, key=lambda i: (graph.item(i).date, i), reverse=True)[:n])


def render_feeds(graph, settings, reuse=None) -> dict[str, str]:
    """{site-relative path: text} for `feed.xml` and `feed.json` of every feed, each feed a step of `reuse`
    (a rebuild after one edit renders only the feeds it touched)."""
    files, reuse = {}, reuse or Direct(graph)
    for kind, name in feed_subjects(graph):
        folder = "" if kind == SITE else folder_of(f"{'topics' if kind == TOPIC else 'people'}/{name}")
        files[f"{folder}feed.xml"], files[f"{folder}feed.json"] = reuse.run(("feed", kind, name), _feed_texts,
                                                                            settings, kind, name)
    return files


def _feed_texts(graph, settings, kind: str, name: str) -> tuple[str, str]:
    feed = find_feed(graph, settings, kind, name)
    return render_feed_texts(settings, feed, [find_entry(graph, settings, d, feed.full) for d in feed.documents])


def render_feed_texts(settings, feed: Feed, entries: list[Entry], memo: Memo = _FEEDS) -> tuple[str, str]:
    """(Atom text, JSON Feed text) of a feed, reused from `memo` while nothing it depends on changed."""
    key = (settings.site_url, settings.locale, feed, tuple(entries))
    texts = memo.get(key)
    if texts is None:
        texts = render_atom(settings, feed, entries), render_json_feed(settings, feed, entries)
        memo.put(key, texts)
    return texts


def find_entry(graph, settings, doc_id: str, full: bool) -> Entry:
    """A document (or reply) as a feed entry: in full (rendered Markdown) or as a summary."""
    doc = graph.item(doc_id)
    root = site_root(settings)
    url = url_from_root(root, doc_id)
    summary = excerpt(doc.body, 300)
    if full:
        content = render_entry_html(graph, settings, doc_id)
    else:
        lead = f"<p>{html.escape(summary)}</p>" if summary else ""
        content = f'{lead}<p><a href="{html.escape(url)}">Read it on {html.escape(settings.site_name)}</a></p>'
    categories = tuple((t, graph.topics[t].title if t in graph.topics else t) for t in graph.topics_of.get(doc_id, ()))
    return Entry(id=entry_id(settings, doc_id), url=url, title=title_of(graph, doc_id),
                 author=person_name(graph, doc.author),
                 author_url=url_from_root(root, f"people/{doc.author}") if doc.author in graph.people else None,
                 date=doc.date, categories=categories, html=content, summary=summary)


def entry_id(settings, doc_id: str) -> str:
    """A stable id: the absolute URL with `site_url`, else a tag: URI from the document id."""
    if settings.site_url.strip():
        return url_from_root(site_root(settings), doc_id)
    return f"tag:wol.invalid,2026:{quote(doc_id)}"


def feed_id(settings, feed: Feed) -> str:
    if settings.site_url.strip():
        return site_root(settings) + quote(feed.folder) + f"{feed.name}.xml"
    return f"tag:wol.invalid,2026:{quote(feed.folder)}{feed.name}"


def render_entry_html(graph, settings, doc_id: str) -> str:
    """A document's body as sanitised HTML, its hashtags and mentions linked from the site root."""
    doc = graph.item(doc_id)
    root = site_root(settings)
    key = (doc_id, doc.body, tuple(settings.markdown_extensions), repr(settings.mdx_configs), root,
           tuple(graph.topics_of.get(doc_id, ())), tuple(graph.mentions_of.get(doc_id, ())),
           tuple(graph.attachments.get(path) for _, path in file_links(doc.path, doc.body)))
    cached = _HTML.get(key)
    if cached is not None:
        return cached

    def tag_href(tag):
        tag = graph.canonical(tag)
        return url_from_root(root, f"topics/{tag}") if tag in graph.topics else None

    def mention_href(handle):
        return url_from_root(root, f"people/{handle}") if handle in graph.people else None

    body = link_files(graph, doc, doc.body, lambda site_path: root + quote(site_path)) \
        if graph.attachments and "](" in doc.body else doc.body
    body = link_spans(body, tag_href, mention_href)
    rendered = markdown_to_html(body, settings.markdown_extensions, settings.mdx_configs)
    _HTML.put(key, rendered)
    return rendered


def render_atom(settings, feed: Feed, entries: list[Entry]) -> str:
    """An Atom 1.0 feed, written by feedgen."""
    root = site_root(settings)
    fg = FeedGenerator()
    fg.id(feed_id(settings, feed))
    fg.title(feed.title)
    fg.subtitle(feed.subtitle)
    fg.link(href=root + quote(feed.page), rel="alternate", type="text/html")
    fg.link(href=root + quote(feed.folder) + f"{feed.name}.xml", rel="self", type="application/atom+xml")
    fg.language(settings.locale)
    fg.generator("wol")
    fg.updated(max((e.date for e in entries), default=EPOCH))
    for item in entries:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.author({"name": item.author})
        entry.published(item.date)
        entry.updated(item.date)
        for term, label in item.categories:
            entry.category(term=term, label=label)
        if feed.full:
            entry.content(item.html, type="html")
        else:
            entry.summary(item.html, type="html")
    return fg.atom_str(pretty=False).decode("utf-8")


def render_json_feed(settings, feed: Feed, entries: list[Entry]) -> str:
    """A JSON Feed 1.1."""
    root = site_root(settings)
    items = []
    for item in entries:
        data = {"id": item.id, "url": item.url, "title": item.title, "content_html": item.html,
                "date_published": item.date.isoformat(), "date_modified": item.date.isoformat(),
                "authors": [{"name": item.author, "url": item.author_url} if item.author_url else {"name": item.author}],
                "tags": [term for term, _ in item.categories]}
        if item.summary:
            data["summary"] = item.summary
        if item.extension:
            data["_wol"] = dict(item.extension)
        items.append(data)
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "description": feed.subtitle,
        "home_page_url": root + quote(feed.page),
        "feed_url": root + quote(feed.folder) + f"{feed.name}.json",
        "language": settings.locale,
        "items": items,
    }
    return json.dumps(data, ensure_ascii=False) + "\n"
