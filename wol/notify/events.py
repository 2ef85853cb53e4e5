"""Two graphs → the events between them: mentions (in documents and replies), answers, accepted answers,
usefulness votes, new questions, and questions still unanswered after the delay. Pure.

An event's id is stable (it names what happened, never when wol saw it), so a record of sent ids makes
sending exactly-once whatever run finds the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..content.document import ANSWER, QUESTION, REPLY, reply_target
from ..derive.graph import UNANSWERED, Graph, url_of

MENTION, ANSWER_KIND, ACCEPTED, USEFUL, QUESTION_KIND = "mention", "answer", "accepted", "useful", "question"
EXCERPT_CHARACTERS = 600


@dataclass(frozen=True)
class Event:
    """Something that happened to a document, that some people should hear about."""

    id: str  # e.g. `question:questions/x`, `mention:posts/y>alice`
    kind: str  # mention | answer | accepted | useful | question (also an escalated question)
    doc_id: str
    title: str
    url: str  # site-relative
    actor: str  # the handle who did it ("" for votes)
    date: str  # ISO date-time of the document (or of the run, for votes)
    topics: tuple = ()
    excerpt: str = ""  # Markdown: the opening of the text
    subject: str = ""  # the person it is about (mention: who was mentioned; answer: the asker; …)
    fresh: int = 0  # usefulness: how many people found it useful since the last run …
    total: int = 0  # … and in all
    hours: int = 0  # an escalated question: unanswered this many hours after its date
    escalated: bool = False


def find_events(before: Graph | None, after: Graph, now: datetime, escalate_after_hours: int) -> list[Event]:
    """What `after` holds that `before` did not, plus questions that just became overdue (all, when before is None)."""
    return find_changes(before, after, now) + find_overdue(after, now, escalate_after_hours)


def find_standing_events(graph: Graph) -> list[Event]:
    """Every event `graph` holds, as if all of it were new, but none the clock makes: no usefulness counts
    (dated by the run) and no overdue questions. What a static feed lists, the same on every rebuild.
    Item by item (`standing_events_of`); `find_changes(None, graph, …, votes=False)` holds the same events."""
    return [event for item_id in (*graph.documents, *graph.replies) for event in standing_events_of(graph, item_id)]


def standing_events_of(graph: Graph, item_id: str) -> list[Event]:
    """The standing events about one document or reply (`event.doc_id == item_id`), in `find_changes`' order:
    its mentions and its own event (question, answer, reply), then its acceptance. Reads only what they say,
    so a staging step can reuse them while that is unchanged (wol/stage/foryou.py)."""
    doc = graph.documents.get(item_id)
    if doc is None:
        return _reply_events(graph, item_id)
    events = [_event(graph, f"mention:{item_id}>{handle}", MENTION, item_id, subject=handle)
              for handle in graph.mentions_of.get(item_id, [])]
    if doc.kind == QUESTION:
        events.append(_event(graph, f"question:{item_id}", QUESTION_KIND, item_id))
    if doc.kind == ANSWER:
        question_id = doc.question_id
        events.append(_event(graph, f"answer:{item_id}", ANSWER_KIND, item_id,
                             subject=graph.documents[question_id].author))
        thread = graph.threads.get(question_id)
        if thread is not None and thread.accepted == item_id:
            events.append(_event(graph, f"accepted:{item_id}", ACCEPTED, item_id, subject=doc.author,
                                 actor=graph.documents[question_id].author))
    return events


def _reply_events(graph: Graph, reply_id: str) -> list[Event]:
    target = graph.item(reply_target(reply_id))
    events = [_event(graph, f"reply:{reply_id}", REPLY, reply_id, subject=target.author)] \
        if target is not None and target.author else []
    return events + [_event(graph, f"mention:{reply_id}>{handle}", MENTION, reply_id, subject=handle)
                     for handle in graph.mentions_of.get(reply_id, [])]


def find_changes(before: Graph | None, after: Graph, now: datetime, votes: bool = True) -> list[Event]:
    """What `after` holds that `before` did not (everything, when before is None); `now` dates vote counts
    (with votes=False, there are none)."""
    events = []
    old_docs = before.documents if before else {}
    for doc_id, doc in after.documents.items():
        new = doc_id not in old_docs
        old_mentions = set() if new else set(before.mentions_of.get(doc_id, []))
        for handle in after.mentions_of.get(doc_id, []):
            if handle not in old_mentions:
                events.append(_event(after, f"mention:{doc_id}>{handle}", MENTION, doc_id, subject=handle))
        if new and doc.kind == QUESTION:
            events.append(_event(after, f"question:{doc_id}", QUESTION_KIND, doc_id))
        if new and doc.kind == ANSWER:
            question = after.documents[doc.question_id]
            events.append(_event(after, f"answer:{doc_id}", ANSWER_KIND, doc_id, subject=question.author))
        voters = set(after.voters.get(doc_id, []) if votes else [])
        fresh = voters - set((before.voters.get(doc_id, []) if before else []))
        if fresh:
            count = len(voters)
            events.append(_event(after, f"useful:{doc_id}>{count}", USEFUL, doc_id, subject=doc.author,
                                 actor="", date=now.isoformat(), fresh=len(fresh), total=count))
    old_replies = before.replies if before else {}
    for reply_id in after.replies:  # a mention in a reply reaches the mentioned like any mention
        target = after.item(reply_target(reply_id))
        if reply_id not in old_replies and target is not None and target.author:
            events.append(_event(after, f"reply:{reply_id}", REPLY, reply_id, subject=target.author))
        old_mentions = set(before.mentions_of.get(reply_id, [])) if reply_id in old_replies else set()
        for handle in after.mentions_of.get(reply_id, []):
            if handle not in old_mentions:
                events.append(_event(after, f"mention:{reply_id}>{handle}", MENTION, reply_id, subject=handle))
    for question_id, thread in after.threads.items():
        old = before.threads.get(question_id) if before else None
        if thread.accepted and (old is None or old.accepted != thread.accepted):
            answer = after.documents[thread.accepted]
            events.append(_event(after, f"accepted:{thread.accepted}", ACCEPTED, thread.accepted,
                                 subject=answer.author, actor=after.documents[question_id].author))
    return events


def find_overdue(graph: Graph, now: datetime, escalate_after_hours: int) -> list[Event]:
    """Questions still unanswered `escalate_after_hours` after their date: each goes to the next experts once."""
    due = now - timedelta(hours=escalate_after_hours)
    return [_event(graph, f"escalated:{q}", QUESTION_KIND, q, escalated=True,
                   hours=escalate_after_hours)
            for q, thread in graph.threads.items()
            if thread.state == UNANSWERED and graph.documents[q].date <= due]


def _event(graph: Graph, event_id: str, kind: str, doc_id: str, **extra) -> Event:
    doc = graph.item(doc_id)
    shown = graph.documents[doc.target_id] if doc.kind == REPLY else doc  # a reply: titled by what it answers
    question = graph.documents.get(shown.question_id) if shown.kind == ANSWER else None
    values = dict(id=event_id, kind=kind, doc_id=doc_id, title=(question or shown).title, url=url_of(doc_id),
                  actor=doc.author, date=doc.date.isoformat(), topics=tuple(graph.topics_of.get(doc_id, [])),
                  excerpt=_excerpt(doc.body))
    values.update(extra)
    return Event(**values)


def _excerpt(body: str) -> str:
    """The opening paragraphs of a body, cut at a paragraph or word near EXCERPT_CHARACTERS."""
    text = body.strip()
    if len(text) <= EXCERPT_CHARACTERS:
        return text
    cut = text.rfind("\n\n", 0, EXCERPT_CHARACTERS)
    if cut < EXCERPT_CHARACTERS // 3:
        cut = text.rfind(" ", 0, EXCERPT_CHARACTERS)
    return text[:cut if cut > 0 else EXCERPT_CHARACTERS].rstrip() + " …"
