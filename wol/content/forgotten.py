"""People who asked to be forgotten (`wol forget`): recognised by hash, shown as a former colleague.

`content/forgotten.txt` holds one line per forgotten person: the SHA-256 (hex)
of `wol-forgotten:` + their handle, so the file never lists a name or handle
in clear. It is unsalted on purpose: every clone and every build must
recognise the handle in the documents that still carry it, with no secret to
share. A hash does not hide a handle from someone who already guesses it; it
only keeps the list of forgotten people from being read off the file.

`anonymise` runs before the graph is derived: documents by a forgotten
person stay published with the author FORMER_COLLEAGUE (not a valid handle,
so it can never be a person), mentions of them in any body (documents,
profiles, topic descriptions) become the plain words "a former colleague" —
no name, no handle, no link — and they facilitate no topic.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from .spans import MENTION, find_spans, replace_spans

FORMER_COLLEAGUE = "former colleague"
MENTION_TEXT = "a former colleague"
_PREFIX = "wol-forgotten:"
_HEX = re.compile(r"^[0-9a-f]{64}$")


def hash_handle(handle: str) -> str:
    return hashlib.sha256((_PREFIX + handle.lower()).encode("utf-8")).hexdigest()


def parse_forgotten(text: str) -> frozenset[str]:
    """The hashes in forgotten.txt; blank lines, `#` comments and anything not a SHA-256 are ignored."""
    return frozenset(line.strip().lower() for line in text.splitlines() if _HEX.match(line.strip().lower()))


def render_forgotten(hashes) -> str:
    head = ("# People who asked to be forgotten (`wol forget`): SHA-256 of `wol-forgotten:<handle>`, one a line.\n"
            "# Their documents are published as by a former colleague; see docs/privacy.md.\n")
    return head + "".join(f"{h}\n" for h in sorted(hashes))


def find_forgotten(content) -> set[str]:
    """Handles (authors or mentioned) of the content whose hash is in forgotten.txt and who have no profile."""
    hashes = getattr(content, "forgotten", None)
    if not hashes:
        return set()
    seen = {d.author for d in content.documents.values()}
    for item in list(content.documents.values()) + list(content.people.values()):
        seen.update(item.mentions)
    for topic in content.topic_files.values():
        seen.update(topic.facilitators)
        seen.update(s.value for s in find_spans(topic.body) if s.kind == MENTION)
    return {h for h in seen if h not in content.people and hash_handle(h) in hashes}


def anonymise(content):
    """The content with forgotten people's authorship and mentions made neutral (new objects; the input is untouched)."""
    handles = find_forgotten(content)
    if not handles:
        return content
    documents = {}
    for doc_id, doc in content.documents.items():
        if doc.author in handles or handles & set(doc.mentions):
            author = FORMER_COLLEAGUE if doc.author in handles else doc.author
            meta = dict(doc.meta, author=author) if "author" in doc.meta else doc.meta
            doc = replace(doc, author=author, meta=meta, body=unmention(doc.body, handles),
                          mentions=[h for h in doc.mentions if h not in handles])
        documents[doc_id] = doc
    people = {}
    for handle, person in content.people.items():
        if handles & set(person.mentions):
            person = replace(person, body=unmention(person.body, handles),
                             mentions=[h for h in person.mentions if h not in handles])
        people[handle] = person
    topic_files = {}
    for tag, topic in content.topic_files.items():
        if handles & set(topic.facilitators) or "@" in topic.body:
            topic = replace(topic, body=unmention(topic.body, handles),
                            facilitators=[h for h in topic.facilitators if h not in handles])
        topic_files[tag] = topic
    return replace(content, documents=documents, people=people, topic_files=topic_files)


def unmention(body: str, handles: set[str]) -> str:
    """The body with every `@handle` of a forgotten person replaced by "a former colleague"."""
    return replace_spans(body, find_spans(body),
                         lambda s: MENTION_TEXT if s.kind == MENTION and s.value in handles else None)
