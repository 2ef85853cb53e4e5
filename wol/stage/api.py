"""The static JSON API, exactly as SPEC.md's table says.

`api/documents.json`, `api/topics.json`, `api/topics/<tag>.json` and
`api/people/<handle>.json`; `api/replies.json` lists the replies (each with its
`target`), and each document says its `replies` (ids, oldest first). `api/people.json` is the people
directory's "who knows what": each person's team (and its name) and earned expertise, best first. URLs are absolute paths from the site root
(`/questions/q/#dana`), prefixed by the path of `site_url` when it has one.
"""

from __future__ import annotations

import json

from .links import site_path, url_from_root
from .parts import title_of
from .reuse import Direct


def render_api(graph, settings, reuse=None) -> dict[str, str]:
    """{site-relative path: JSON text} for every API file, each a step of `reuse`; `api/documents.json`
    is a step per document, joined (what `_dump` of the whole list writes)."""
    root, reuse = site_path(settings), reuse or Direct(graph)
    rows = [reuse.run(("api-document", doc_id), _document_row, doc_id, root) for doc_id in graph.documents]
    files = {"api/documents.json": "[" + ",".join(rows) + "]\n",
             "api/replies.json": reuse.run(("api", "replies"), _json, build_replies, root),
             "api/topics.json": reuse.run(("api", "topics"), _json, build_topics, root),
             "api/people.json": reuse.run(("api", "people"), _json, build_people, settings, root)}
    for tag in graph.topics:
        files[f"api/topics/{tag}.json"] = reuse.run(("api-topic", tag), _json, build_topic, tag)
    for handle in graph.people:
        files[f"api/people/{handle}.json"] = reuse.run(("api-person", handle), _json, build_person, handle)
    return files


def _json(graph, build, *args) -> str:
    return _dump(build(graph, *args))


def document_entry(graph, doc_id: str, root: str = "/") -> dict:
    """One document as `api/documents.json` lists it."""
    doc = graph.documents[doc_id]
    return {"id": doc_id, "kind": doc.kind, "title": title_of(graph, doc_id), "url": url_from_root(root, doc_id),
            "author": doc.author, "date": doc.date.isoformat(), "topics": graph.topics_of.get(doc_id, []),
            "mentions": graph.mentions_of.get(doc_id, []), "useful": graph.useful.get(doc_id, 0),
            "replies": graph.replies_of.get(doc_id, [])}


def _document_row(graph, doc_id: str, root: str) -> str:
    return _dump(document_entry(graph, doc_id, root))[:-1]  # without the newline


def build_replies(graph, root: str = "/") -> list[dict]:
    return [{"id": reply_id, "kind": reply.kind, "target": reply.target_id, "url": url_from_root(root, reply_id),
             "author": reply.author, "date": reply.date.isoformat(), "topics": graph.topics_of.get(reply_id, []),
             "mentions": graph.mentions_of.get(reply_id, []), "useful": graph.useful.get(reply_id, 0)}
            for reply_id, reply in graph.replies.items()]


def build_topics(graph, root: str = "/") -> list[dict]:
    return [{"tag": tag, "title": topic.title, "count": len(topic.documents),
             "url": url_from_root(root, f"topics/{tag}")} for tag, topic in graph.topics.items()]


def build_topic(graph, tag: str) -> dict:
    topic = graph.topics[tag]
    return {"tag": tag, "title": topic.title, "aliases": topic.aliases, "documents": topic.documents,
            "experts": [{"handle": h, "score": s} for h, s in topic.experts], "related": topic.related}


def build_person(graph, handle: str) -> dict:
    person = graph.people[handle]
    return {"handle": handle, "name": person.name, "team": person.team,
            "expertise": {"declared": person.expertise,
                          "earned": [{"tag": t, "score": s} for t, s in graph.earned(handle)]},
            "documents": graph.by_author.get(handle, []), "replies": graph.replies_by.get(handle, []),
            "mentioned_in": graph.mentioned_in.get(handle, [])}


def build_people(graph, settings, root: str = "/") -> list[dict]:
    """Everyone, for the directory's filters and "Who knows about…?": earned expertise ranks, declared follows."""
    return [{"handle": handle, "name": person.name, "url": url_from_root(root, f"people/{handle}"),
             "title": person.title, "team": person.team,
             "team_name": settings.team_name(person.team) if person.team else "", "left": person.has_left,
             "earned": [{"tag": t, "score": s} for t, s in graph.earned(handle)],
             "declared": person.expertise}
            for handle, person in graph.people.items()]


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
