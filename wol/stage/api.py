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


def render_api(graph, settings) -> dict[str, str]:
    """{site-relative path: JSON text} for every API file."""
    root = site_path(settings)
    files = {"api/documents.json": _dump(build_documents(graph, root)),
             "api/replies.json": _dump(build_replies(graph, root)),
             "api/topics.json": _dump(build_topics(graph, root)),
             "api/people.json": _dump(build_people(graph, settings, root))}
    for tag in graph.topics:
        files[f"api/topics/{tag}.json"] = _dump(build_topic(graph, tag))
    for handle in graph.people:
        files[f"api/people/{handle}.json"] = _dump(build_person(graph, handle))
    return files


def build_documents(graph, root: str = "/") -> list[dict]:
    return [{"id": doc_id, "kind": doc.kind, "title": title_of(graph, doc_id), "url": url_from_root(root, doc_id),
             "author": doc.author, "date": doc.date.isoformat(), "topics": graph.topics_of.get(doc_id, []),
             "mentions": graph.mentions_of.get(doc_id, []), "useful": graph.useful.get(doc_id, 0),
             "replies": graph.replies_of.get(doc_id, [])}
            for doc_id, doc in graph.documents.items()]


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
