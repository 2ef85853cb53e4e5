"""Graph → search entries: what the search index holds (pure, engine-free).

One entry per published post and question, person and topic; a question
carries its answers' words, so that an answer's words find its question, a
document its replies' words (docs/replies.md), and
remembers where each answer starts so that a hit can link to the answer
holding the words. Drafts and forgotten people are never in the graph, so
never in an entry. The prior
(`quality_of`) ranks answered, useful threads above quiet ones.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from ..content.document import PERSON, POST, QUESTION, TOPIC
from ..derive.graph import SOLVED, UNANSWERED, Graph


@dataclass(frozen=True)
class Entry:
    """What the index holds for one document (a question carries its answers), as Markdown."""

    id: str
    kind: str
    title: str
    url: str
    body: str
    answers: tuple[tuple[str, str], ...]  # (url, Markdown) of each answer, in reading order
    topics: str
    author: str
    date: str
    quality: float
    state: str = ""  # a question's: unanswered, answered or solved
    accepted: str = ""  # a solved question's accepted answer (its URL)
    tags: tuple[str, ...] = ()  # its topics (canonical tags), for filters
    accepted_author: str = ""  # the name of a solved question's accepted answer's author

    def digest(self) -> str:
        """A hash of everything indexed: the document is re-indexed when it changes (computed once)."""
        found = self.__dict__.get("_digest")
        if found is None:
            found = self._hash()
            object.__setattr__(self, "_digest", found)  # a cache, not a field: frozen all the same
        return found

    def _hash(self) -> str:
        values = (self.id, self.kind, self.title, self.url, self.body, *(u + "\x1e" + a for u, a in self.answers),
                  self.topics, self.author, self.date, repr(self.quality), self.state, self.accepted,
                  " ".join(self.tags), self.accepted_author)
        return hashlib.sha1("\x1f".join(values).encode("utf-8", "surrogatepass")).hexdigest()

    def text(self) -> tuple[str, list[tuple[int, str]]]:
        """(plain text of the document and its answers, [(where each answer starts in it, its URL)]).

        One text holds a question and its answers, so a word counts once per document wherever
        in the thread it is. Markdown becomes plain text only here, for the documents that changed."""
        text, starts = plain_text(self.body), []
        for url, body in self.answers:
            text += "\n\n"
            starts.append((len(text), url))
            text += plain_text(body)
        return text, starts


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_BLOCK = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+\.\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(?=[*_`])(?:(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`+)")  # the lookahead: a fast scan
_CELL = r"[ \t]*:?-+:?[ \t]*"
_TABLE = re.compile(  # a GFM table: a row with a pipe, its delimiter row (with a pipe), its rows
    rf"^([^\n]*\|[^\n]*)\n(?=[^\n]*\|)[ \t]*\|?{_CELL}(?:\|{_CELL})*\|?[ \t]*$((?:\n[^\n]*\|[^\n]*)*)",
    re.MULTILINE)
_PIPE = re.compile(r"(?<!\\)\|")


def plain_text(markdown: str) -> str:
    """Markdown → readable text for indexing and snippets (links keep their words, markup goes;
    a table keeps its cells' words, not its pipes and delimiter row)."""
    text = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "|" in text:
        text = _TABLE.sub(lambda m: _PIPE.sub(" ", m[1] + m[2]), text)
    text = _FENCE.sub(" ", text)
    text = _BLOCK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip(): the same whitespace


SOLVED_WEIGHT = 3.0  # a solved question leads a post on equal words by a quarter


def quality_of(graph: Graph, doc_id: str) -> float:
    """A document's prior, between 1.0 and 1.4: + 0.1 × how answered it is (an unanswered
    question 0, a post ½, an answered question 1, a solved question `SOLVED_WEIGHT`) + 0.1 ×
    its usefulness (votes on it and its answers, log2(1 + votes) / 4, at most 1).

    It multiplies the text score, so it orders equal matches (an answered question
    above an unanswered one) and tips close ones, most of all towards a solved
    question, which is an answer (a post about the same words comes after it);
    a weak match of a popular page never beats a clearly better match of a quiet one.
    """
    doc = graph.documents[doc_id]
    votes = graph.useful.get(doc_id, 0)
    answered = 0.5  # a post: about half an answered question
    if doc.kind == QUESTION:
        thread = graph.threads.get(doc_id)
        state = thread.state if thread else UNANSWERED
        answered = {UNANSWERED: 0.0, SOLVED: SOLVED_WEIGHT}.get(state, 1.0)
        votes += sum(graph.useful.get(a, 0) for a in (thread.answers if thread else []))
    return round(1 + 0.1 * answered + 0.1 * min(1.0, math.log2(1 + votes) / 4), 4)


def build_entries(graph: Graph) -> dict[str, Entry]:
    """One entry per published post and question (answers folded into their question), then
    one per person and per topic."""
    entries = {}
    for doc_id, doc in graph.documents.items():
        if doc.kind not in (POST, QUESTION):
            continue
        thread = graph.threads.get(doc_id)
        answers = [graph.documents[a] for a in thread.answers] if thread else []
        authors = [doc.author] + [a.author for a in answers]
        names = [f"{h} {graph.people[h].name}" if h in graph.people else h for h in dict.fromkeys(authors)]
        tags = graph.topics_of.get(doc_id, [])
        accepted = graph.documents.get(thread.accepted) if thread and thread.accepted else None
        entries[doc_id] = Entry(
            id=doc_id, kind=doc.kind, title=doc.title, url=graph.url_of(doc_id),
            body=_with_replies(graph, doc),
            answers=tuple((graph.url_of(a.id), _with_replies(graph, a)) for a in answers),
            topics=_topic_words(graph, tags), author=" ".join(names),
            date=doc.date.isoformat(), quality=quality_of(graph, doc_id),
            state=thread.state if thread else "",
            accepted=graph.url_of(accepted.id) if accepted else "", tags=tuple(tags),
            accepted_author=_name(graph, accepted.author) if accepted else "")
    for handle, person in graph.people.items():
        doc_id = f"people/{handle}"
        about = " · ".join(x for x in (person.title, person.team, person.location) if x)
        entries[doc_id] = Entry(
            id=doc_id, kind=PERSON, title=person.name or handle, url=graph.url_of(doc_id),
            body=(about + "\n\n" + person.body).strip(), answers=(), topics=_topic_words(graph, person.expertise),
            author=handle, date="", quality=1.0, tags=tuple(person.expertise))
    for tag, topic in graph.topics.items():
        doc_id = f"topics/{tag}"
        entries[doc_id] = Entry(
            id=doc_id, kind=TOPIC, title=topic.title or tag, url=graph.url_of(doc_id), body=topic.description,
            answers=(), topics=_topic_words(graph, [tag]), author="", date="", quality=1.0, tags=(tag,))
    return entries


def _with_replies(graph: Graph, doc) -> str:
    """A document's Markdown followed by its replies' (oldest first): a reply's words find its thread,
    and, under an answer, link to that answer."""
    replies = [graph.replies[r].body for r in graph.replies_of.get(doc.id, ()) if r in graph.replies]
    return "\n\n".join([doc.body, *replies]) if replies else doc.body


def _topic_words(graph: Graph, tags) -> str:
    """The words of some topics: each tag, its aliases (`k8s` finds #kubernetes) and title."""
    words = []
    for tag in tags:
        topic = graph.topics.get(tag)
        words += [tag] + (topic.aliases + [topic.title] if topic else [])
    return " ".join(dict.fromkeys(words))


def _name(graph: Graph, handle: str) -> str:
    person = graph.people.get(handle)
    return person.name if person and person.name else handle


def forgotten_digest(graph: Graph) -> str:
    """A hash of who was forgotten: an index written before a `wol forget` must be rebuilt, since
    deleted documents keep their words in a search engine's old segments."""
    return hashlib.sha1(",".join(sorted(getattr(graph, "forgotten", ()))).encode()).hexdigest()
