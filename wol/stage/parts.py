"""Pieces of Markdown shared by the staged pages: bylines, links to people, topic chips, list items.

Every function takes the page being written (`at`, its docs-relative path) so
the links it makes are relative to that page.
"""

from __future__ import annotations

import html
from functools import lru_cache

from ..content.attachments import content_prefix, format_size, local_target
from ..content.filetypes import suffix_of
from ..content.document import ANSWER, QUESTION, REPLY
from ..content.spans import find_destinations
from .html import apply_span_links, span_links
from .memo import Memo
from .links import href, href_to, person_page, relative_url, topic_page
from ..i18n import ENGLISH, N_, Translator
from .text import escape_md, format_date

FORMER = N_("former colleague")
_LINKED = Memo(400_000, "linked")  # (page, body, known links) → its links (`span_links`: a few per body, small)


def title_of(graph, doc_id: str, t: Translator = ENGLISH) -> str:
    """A document's title as readers see it: an answer is 'Answer to <question title>', a reply 'Reply to …'
    (in English in the API and the search index, whatever the site's language)."""
    doc = graph.item(doc_id)
    if doc.kind == REPLY:
        target = graph.documents.get(doc.target_id)
        return t.gettext("Reply to %(title)s", title=title_of(graph, doc.target_id, t) if target else doc.target_id)
    if doc.kind == ANSWER:
        question = graph.documents.get(doc.question_id)
        return t.gettext("Answer to %(title)s", title=question.title if question else doc.question_id)
    return doc.title


def person_name(graph, handle: str) -> str:
    person = graph.people.get(handle)
    return person.name if person else handle


def render_person_link(graph, at: str, handle: str, t: Translator = ENGLISH) -> str:
    """`[Alice Martin](../people/alice.md)`, marked when the person has left."""
    person = graph.people.get(handle)
    if person is None:
        return escape_md(handle)
    link = f"[{escape_md(person.name)}]({href(at, person_page(handle))})"
    return f"{link} ({t.gettext(FORMER)})" if person.has_left else link


def render_topic_chip(graph, at: str, tag: str, score: int | None = None) -> str:
    """A topic as a small chip linking to its page (plain text if the topic has no page)."""
    topic = graph.topics.get(tag)
    label = escape_md(topic.title if topic else tag)
    if score is not None:
        label += f" · {score}"
    if topic is None:
        return f"`#{tag}`"
    return f"[{label}]({href(at, topic_page(tag))}){{.md-tag .wol-topic}}"


def render_chips(graph, at: str, tags, scores: dict | None = None) -> str:
    return " ".join(render_topic_chip(graph, at, t, None if scores is None else scores[t]) for t in tags)


KINDS = {"post": N_("post"), "question": N_("question"), "answer": N_("answer"), "reply": N_("reply")}


def render_item(graph, at: str, doc_id: str, kind: bool = False, author: bool = True,
                t: Translator = ENGLISH) -> str:
    """One document (or reply) as a list item: title link, author, date, and answers/usefulness counts."""
    doc = graph.item(doc_id)
    bits = [f"[{escape_md(title_of(graph, doc_id, t))}]({href_to(at, doc_id)})"]
    if kind:
        bits.append(f"*{t.gettext(KINDS[doc.kind]) if doc.kind in KINDS else doc.kind}*")
    if author:
        bits.append(render_person_link(graph, at, doc.author, t))
    bits.append(format_date(doc.date, t))
    thread = graph.threads.get(doc_id) if doc.kind == QUESTION else None
    if thread is not None:
        bits.append(t.gettext("solved") if thread.accepted
                    else t.ngettext("%(n)s answer", "%(n)s answers", len(thread.answers)))
    useful = graph.useful.get(doc_id, 0)
    if useful:
        bits.append(t.ngettext("%(n)s useful", "%(n)s useful", useful))
    return "- " + " · ".join(bits)


def render_list(graph, at: str, doc_ids, limit: int, kind: bool = False, empty: str | None = None,
                author: bool = True, t: Translator = ENGLISH) -> str:
    """A list of documents, at most `limit` of them, saying how many more there are (`empty` is said
    when there are none, already translated)."""
    doc_ids = list(doc_ids)
    if not doc_ids:
        return "*" + (empty or t.gettext("Nothing yet.")) + "*"
    lines = [render_item(graph, at, d, kind, author, t) for d in doc_ids[:limit]]
    if len(doc_ids) > limit:
        more = t.ngettext("The %(limit)s newest of %(n)s is listed; search finds the others.",
                          "The %(limit)s newest of %(n)s are listed; search finds the others.",
                          len(doc_ids), limit=t.number(limit))
        lines.append(f"\n*{more}*")
    return "\n".join(lines)


def link_body(graph, at: str, body: str, doc_id: str | None = None) -> str:
    """A user-written body with hashtags and mentions made relative links from page `at`.

    Memoised by page, body and the links its spans resolve to, so a rebuild
    after one edit relinks only the documents that changed.
    """
    doc = graph.item(doc_id) if doc_id is not None else None
    if doc is not None and graph.attachments and "](" in body:
        body = link_files(graph, doc, body, lambda site_path: relative_url(at, site_path))
    if "#" not in body and "@" not in body:
        return body
    if doc is not None and not doc.hashtags and not doc.mentions:
        return body  # parsing found no span at all
    if doc is not None:
        key = (at, body, tuple(graph.topics_of.get(doc_id, ())), tuple(graph.mentions_of.get(doc_id, ())))
        cached = _LINKED.get(key)
        if cached is not None:
            return apply_span_links(body, cached)
    else:
        key = None

    def tag_href(tag):
        tag = graph.canonical(tag)
        return href(at, topic_page(tag)) if tag in graph.topics else None

    def mention_href(handle):
        return href(at, person_page(handle)) if handle in graph.people else None

    links = span_links(body, tag_href, mention_href)
    if key is not None:
        _LINKED.put(key, links)
    return apply_span_links(body, links)


def link_files(graph, doc, body: str, url) -> str:
    """Links of a body to files beside its document, pointed at where the site serves them (`url(site path)`):
    an image as `<img>` with its width and height and lazy loading, another file as a link with its size."""
    found = [(d, graph.attachments.get(p)) for d, p in file_links(doc.path, body)]
    found = [(d, a) for d, a in found if a is not None and a.type]
    if not found:
        return body
    prefix = content_prefix(doc)
    out, last = [], 0
    for dest, attachment in found:
        src = html.escape(url(attachment.path.removeprefix(prefix)))
        if dest.image:
            size = f' width="{attachment.width}" height="{attachment.height}"' if attachment.width else ""
            tag = f'<img src="{src}" alt="{html.escape(dest.text)}"{size} loading="lazy">'
        else:
            tag = (f'<a href="{src}">{dest.text}</a> '
                   f'<small class="wol-file">({describe_file(attachment)})</small>')
        out += [body[last:dest.start], tag]
        last = dest.end
    out.append(body[last:])
    return "".join(out)


@lru_cache(maxsize=8192)
def file_links(document_path: str, body: str) -> tuple:
    """(Destination, path) of the body's links to files (of an allowed type) beside its document."""
    links = []
    for dest in find_destinations(body):
        path = local_target(document_path, dest.target)
        if path is not None:
            links.append((dest, path))
    return tuple(links)


def describe_file(attachment) -> str:
    """`PDF, 120 KB`: what a reader downloads."""
    kind = suffix_of(attachment.path).lstrip(".").upper()
    return f"{kind}, {format_size(attachment.size)}"
