"""Each person's "for you" feed: what `wol notify` would tell them, to read instead of to receive. Pure.

`people/<handle>/for-you.xml` (Atom) and `for-you.json` (JSON Feed 1.1), newest first, `feed_length`
entries: mentions of the person, answers to their questions, their answers accepted, and new questions
routed to them. The events and the routing are wol/notify/'s own (`standing_events_of`,
`find_recipients`), so the feed and the notifications cannot disagree; only the person's `notify:`
choices are ignored (a feed is read, not sent). It is derived from the graph alone, with no Git history
and no record of what was sent, so a rebuild writes the same files: events the clock makes (a question
still unanswered after the delay, usefulness counts) are messages only. A person who has left has no
feed; a forgotten person is not in the graph.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from ..i18n import ENGLISH, N_, translator
from ..notify.events import standing_events_of
from ..notify.routing import find_recipients
from ..notify.wording import headline_of, say_why
from .feeds import Entry, Feed, render_feed_texts
from .links import folder_of, site_root, url_from_root
from .kept import Kept
from .memo import Memo, key_digest
from .parts import person_name
from .reuse import Direct
from .text import excerpt

FOR_YOU = "for-you"  # the files' name in the person's folder
SUBTITLE = N_("New questions for you, mentions and answers")
_FEEDS = Memo(8_192, "for-you")  # one per person, apart from the site's feeds so that neither pushes the other out


def find_for_you(graph, settings, reuse=None) -> dict[str, list[tuple[Kept, str]]]:
    """handle → [(the event, kept with its digest; why it is there)], newest first, at most `feed_length`,
    for everyone who has not left.

    The events of each document and reply, and who they reach, are one step each (`reuse`): a rebuild
    routes again only what an edit touched. Each event is kept (wol/stage/kept.py) with its digest, taken
    once, when it is routed: a rebuild unpickles only the events of the feeds it writes again."""
    reuse = reuse or Direct(graph)
    cfg = settings.notify
    found = {handle: [] for handle, person in graph.people.items() if not person.has_left}
    for item_id in (*graph.documents, *graph.replies):
        for event_id, doc_id, recipients, kept in reuse.run(("events", item_id), _routed, item_id, cfg.experts,
                                                           cfg.escalate_experts, cfg.escalate_after_hours):
            for handle, reason in recipients:
                found[handle].append((graph.item(doc_id).date, event_id, kept, reason))
    return {handle: [(kept, reason) for *_, kept, reason in sorted(items, key=_newest, reverse=True)
                     [:settings.feed_length]]
            for handle, items in found.items()}


def _newest(item) -> tuple:
    return item[0], item[1]


def _routed(graph, item_id: str, experts: int, escalate_experts: int, escalate_after_hours: int) -> tuple:
    """((event id, document id, ((handle, reason), …), the event kept with its digest), …) of one item's
    standing events: wol/notify's own rule (`find_recipients`), which tells a person of one document once,
    so each item can be routed on its own."""
    events = standing_events_of(graph, item_id)
    if not events:
        return ()
    return tuple((event.id, event.doc_id, tuple((handle, reason) for handle, reason, _ in recipients),
                  Kept.of(event, key_digest(event)))
                 for event, recipients in find_recipients(events, graph, experts, escalate_experts,
                                                          escalate_after_hours))


def render_for_you_feeds(graph, settings, reuse=None) -> dict[str, str]:
    """{site-relative path: text} of `for-you.xml` and `for-you.json` for everyone who has not left."""
    reuse = reuse or Direct(graph)
    files = {}
    for handle, found in find_for_you(graph, settings, reuse).items():
        folder = folder_of(f"people/{handle}")
        key = key_digest(tuple(part for kept, reason in found for part in (reason, kept.digest)))
        files[f"{folder}{FOR_YOU}.xml"], files[f"{folder}{FOR_YOU}.json"] = reuse.run(
            ("for-you", handle, key), _for_you_texts, settings, handle, found)
    return files


def _for_you_texts(graph, settings, handle: str, items) -> tuple[str, str]:
    person = graph.people[handle]
    folder = folder_of(f"people/{handle}")
    t = translator(settings.locale)
    feed = Feed(folder, t.gettext("For %(name)s · %(site)s", name=person.name, site=settings.site_name),
                t.gettext(SUBTITLE), folder, tuple(kept.value.doc_id for kept, _ in items), name=FOR_YOU)
    entries = [find_for_you_entry(graph, settings, handle, kept.value, reason) for kept, reason in items]
    return render_feed_texts(settings, feed, entries, _FEEDS)


def find_for_you_entry(graph, settings, handle: str, event, reason) -> Entry:
    """One event as an entry of a person's feed: what happened, why it is there, the opening and a link."""
    doc = graph.item(event.doc_id)  # a document, or a reply that mentions them
    root = site_root(settings)
    url = url_from_root(root, event.doc_id)
    summary = excerpt(doc.body, 300)
    t = translator(settings.locale)
    said = say_why(reason, t)
    why = t.gettext("Why it is here: %(why)s.", why=said)
    read = t.gettext("Read it on %(site)s", site=settings.site_name)
    content = (f"<p>{html.escape(why)}</p>" + (f"<p>{html.escape(summary)}</p>" if summary else "")
               + f'<p><a href="{html.escape(url)}">{html.escape(read)}</a></p>')
    categories = tuple((t, graph.topics[t].title if t in graph.topics else t) for t in event.topics)
    return Entry(id=for_you_entry_id(settings, handle, event.id), url=url, title=headline_of(event, t),
                 author=person_name(graph, event.actor),
                 author_url=url_from_root(root, f"people/{event.actor}") if event.actor in graph.people else None,
                 date=doc.date, categories=categories, html=content, summary=f"{why} {summary}".strip(),
                 extension=(("event", event.id), ("kind", event.kind), ("reason", said)))


def for_you_entry_id(settings, handle: str, event_id: str) -> str:
    """Stable and unique: the feed's address (a tag: URI without `site_url`) and the event's id as a fragment."""
    folder = quote(folder_of(f"people/{handle}"))
    if settings.site_url.strip():
        return f"{site_root(settings)}{folder}{FOR_YOU}.xml#{quote(event_id, safe='')}"
    return f"tag:wol.invalid,2026:{folder}{FOR_YOU}#{quote(event_id, safe='')}"


def for_you_links(graph, handle: str, t=ENGLISH) -> list[dict]:
    """`wol_feeds` entries for a person's "for you" feeds (none for someone who left), marked `for_you`."""
    person = graph.people.get(handle)
    if person is None or person.has_left:
        return []
    folder = folder_of(f"people/{handle}")
    return [{"type": "application/atom+xml", "href": f"{folder}{FOR_YOU}.xml",
             "title": t.gettext("For %(name)s (Atom)", name=person.name), "for_you": True},
            {"type": "application/feed+json", "href": f"{folder}{FOR_YOU}.json",
             "title": t.gettext("For %(name)s (JSON Feed)", name=person.name), "for_you": True}]
