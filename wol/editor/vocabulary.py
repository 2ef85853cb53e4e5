"""What the editor completes and checks words against: the site's people and topics.

`build_vocabulary` is the small JSON the editor's `@`/`#` completion loads
(GET /api/vocabulary). `find_new_topics` is the warning shown with a saved
document whose topic nobody used before: a mistyped topic silently makes a
new one, so the nearest known tag or alias is offered ("did you mean
#kubernetes?").
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from ..derive.graph import Graph
from ..problems import WARNING, Problem

NEAR_ENOUGH = 75  # rapidfuzz's ratio (0–100) above which a known tag is offered as the one meant


def build_vocabulary(graph: Graph) -> dict:
    """{people: [{handle, name}], topics: [{tag, aliases, count}]}: current people, topics most used first."""
    people = [{"handle": h, "name": p.name or h} for h, p in sorted(graph.people.items()) if not p.has_left]
    aliases: dict[str, list[str]] = {}
    for alias, tag in sorted(graph.aliases.items()):
        aliases.setdefault(tag, []).append(alias)
    topics = [{"tag": tag, "aliases": aliases.get(tag, []), "count": len(topic.documents)}
              for tag, topic in graph.topics.items()]
    return {"people": people, "topics": topics}


def known_tags(graph: Graph) -> set[str]:
    """Tags in use or described (topic files), and their aliases."""
    return {t for t, topic in graph.topics.items() if topic.documents or topic.path} | set(graph.aliases)


def find_new_topics(before: Graph, tags, path: str = "") -> list[Problem]:
    """A warning for each canonical tag no document used before this save, with the nearest known one."""
    known = known_tags(before)
    warnings = []
    for tag in dict.fromkeys(before.canonical(t) for t in tags):
        if tag in known:
            continue
        near = process.extractOne(tag, sorted(known), scorer=fuzz.ratio, score_cutoff=NEAR_ENOUGH)
        if near is not None:
            meant = before.canonical(near[0])
            message = f"#{tag} is a new topic: nobody used it before. Did you mean #{meant}?"
        else:
            message = f"#{tag} is a new topic: nobody used it before"
        warnings.append(Problem(path, 0, WARNING, "topic-new", message))
    return warnings
