"""Document pages: one per published post and question, answers inlined on their question's page.

A question page lists its answers in the graph's order (accepted first, then
most useful, then oldest), each in an `<article id="<name>">` so
`/questions/<slug>/#<name>` lands on it, with its own usefulness control.
Drafts never reach here: the graph holds published documents only.

Replies follow what they answer, oldest first, in a `<div class="wol-replies">`
(under the post or question, and inside each answer's article), each in a
`<div class="wol-reply" id="reply-…">` with its byline and usefulness control.
The theme's wol.js adds how to reply with Git to every such section on a static
host; on the live server, the editor's live.js adds a "Reply" link instead.
"""

from __future__ import annotations

from ..content.document import ANSWER, POST, QUESTION, reply_anchor
from .links import folder_of, page_of
from .parts import link_body, person_name, render_person_link
from .reuse import Direct
from ..i18n import ENGLISH, N_, Translator, translator
from .text import StagedPage, escape_attr, excerpt, format_date, render_page

ACCEPTED_MARK = N_("✓ Accepted answer")
ANSWER_HINT = ".wol-answer-hint"  # on the live server, wol.js puts an "Answer this question" button there


def render_document_pages(graph, settings, reuse=None) -> dict[str, StagedPage]:
    """Every published post and question → {page path: StagedPage}, each page a step of `reuse`."""
    pages, t, reuse = {}, translator(settings.locale), reuse or Direct(graph)
    for doc_id, doc in graph.documents.items():
        if doc.kind in (POST, QUESTION):
            page = page_of(doc_id)
            pages[page] = reuse.run(("page", page), render_document_page, doc_id, t)
    return pages


def document_meta(graph, doc_id: str, kind: str, t: Translator = ENGLISH) -> dict:
    """The front matter the theme reads for a document page."""
    doc = graph.documents[doc_id]
    return {
        "title": doc.title,
        "description": excerpt(doc.body),
        "wol_kind": kind,
        "wol_id": doc_id,
        "wol_useful": graph.useful.get(doc_id, 0),
        "wol_author": doc.author if doc.author in graph.people else None,  # a forgotten author has no page
        "wol_author_name": person_name(graph, doc.author),
        "wol_date": doc.date.isoformat(),
        "wol_topics": graph.topics_of.get(doc_id, []),
        "wol_chips": topic_chips(graph, doc_id),
        "wol_state": graph.threads[doc_id].state if doc_id in graph.threads else None,
        "wol_feeds": person_feeds(graph, doc.author, t),
    }


def topic_chips(graph, doc_id: str) -> list[dict] | None:
    """The document's topics that have a page, as `{title, href}` (href site-relative) for the theme's chips."""
    chips = [{"title": graph.topics[tag].title, "href": folder_of(f"topics/{tag}")}
             for tag in graph.topics_of.get(doc_id, ()) if tag in graph.topics]
    return chips or None


def person_feeds(graph, handle: str, t: Translator = ENGLISH) -> list[dict]:
    """The author's feeds, offered on their documents' pages (none for a forgotten person)."""
    if handle not in graph.people:
        return []
    return feed_links(folder_of(f"people/{handle}"), person_name(graph, handle), t)


def feed_links(folder: str, title: str, t: Translator = ENGLISH) -> list[dict]:
    """`wol_feeds` entries for the Atom and JSON feeds in a site-relative folder ('' for the root)."""
    return [{"type": "application/atom+xml", "href": f"{folder}feed.xml",
             "title": t.gettext("%(title)s (Atom)", title=title)},
            {"type": "application/feed+json", "href": f"{folder}feed.json",
             "title": t.gettext("%(title)s (JSON Feed)", title=title)}]


def render_document_page(graph, doc_id: str, t: Translator = ENGLISH) -> StagedPage:
    """A post's or question's page: the linked body and, for a question, its answers.

    The title, byline, topics and useful control are the theme's header
    (partials/wol-document.html, from the front matter), not Markdown.
    """
    doc = graph.documents[doc_id]
    at = page_of(doc_id)
    blocks = [link_body(graph, at, doc.body, doc_id), render_replies(graph, at, doc_id, t)]
    if doc.kind == QUESTION:
        blocks.append(render_answers(graph, at, doc_id, t))
    return render_page(document_meta(graph, doc_id, doc.kind, t), blocks)


def render_answers(graph, at: str, question_id: str, t: Translator = ENGLISH) -> str:
    thread = graph.threads.get(question_id)
    answers = thread.answers if thread else []
    if not answers:
        hint = t.gettext("Know the answer? Write it with `wol new answer`.")
        return "## " + t.gettext("No answers yet") + f"\n\n*{hint}*\n{{: {ANSWER_HINT} }}"
    blocks = ["## " + t.ngettext("%(n)s answer", "%(n)s answers", len(answers))]
    blocks += [render_answer(graph, at, a, a == thread.accepted, t) for a in answers]
    return "\n\n".join(blocks)


def render_useful_control(doc_id: str, count: int, author: str | None = None) -> str:
    """The usefulness control's markup; the theme's script turns it into a button ("Your own" for its author)."""
    by = f' data-author="{escape_attr(author)}"' if author else ""
    return f'<div class="wol-useful" data-id="{escape_attr(doc_id)}" data-count="{count}"{by}></div>'


def render_answer(graph, at: str, answer_id: str, accepted: bool, t: Translator = ENGLISH) -> str:
    doc = graph.documents[answer_id]
    assert doc.kind == ANSWER
    classes = "wol-answer wol-accepted" if accepted else "wol-answer"
    blocks = [f'<article class="{classes}" id="{escape_attr(doc.name)}" markdown>']
    if accepted:
        blocks.append(f'<p class="wol-accepted-mark">{t.gettext(ACCEPTED_MARK)}</p>')
    blocks.append(f"**{render_person_link(graph, at, doc.author, t)}** · {format_date(doc.date, t)}\n{{: .wol-byline }}")
    blocks.append(link_body(graph, at, doc.body, answer_id).strip("\n"))
    blocks.append(render_useful_control(answer_id, graph.useful.get(answer_id, 0),
                                        doc.author if doc.author in graph.people else None))
    blocks.append(render_replies(graph, at, answer_id, t))
    blocks.append("</article>")
    return "\n\n".join(blocks)


def render_replies(graph, at: str, target_id: str, t: Translator = ENGLISH) -> str:
    """The replies to a document, oldest first (an empty section when there are none, for the Reply button)."""
    replies = graph.replies_of.get(target_id, [])
    blocks = ['<div class="wol-replies" markdown>']
    if replies:
        title = t.ngettext("%(n)s reply", "%(n)s replies", len(replies))
        blocks.append(f'<p class="wol-replies__title">{title}</p>')
    blocks += [render_reply(graph, at, r, t) for r in replies]
    blocks.append("</div>")
    return "\n\n".join(blocks)


def render_reply(graph, at: str, reply_id: str, t: Translator = ENGLISH) -> str:
    reply = graph.replies[reply_id]
    author = reply.author if reply.author in graph.people else None
    return "\n\n".join([
        f'<div class="wol-reply" id="{escape_attr(reply_anchor(reply_id))}" markdown>',
        f"**{render_person_link(graph, at, reply.author, t)}** · [{format_date(reply.date, t)}](#{reply_anchor(reply_id)})"
        f"\n{{: .wol-byline }}",
        link_body(graph, at, reply.body, reply_id).strip("\n"),
        render_useful_control(reply_id, graph.useful.get(reply_id, 0), author),
        "</div>"])
