"""`wol check`: every problem of a repository, or of what the next commit holds."""

from __future__ import annotations

from ..content.attachments import find_attachment_problems
from ..content.document import QUESTION
from ..derive.graph import build_graph
from ..knowledge import Knowledge, read_staged
from ..problems import ERROR, WARNING, Problem
from ..engines import gitrepo
from ..settings import Settings


def check_repository(settings: Settings, staged: bool = False) -> list[Problem]:
    """Problems in content/ as it is on disk, or as Git's index would commit it."""
    if staged:
        content = read_staged(settings)
        graph = build_graph(content)
        problems = content.problems + graph.problems
    else:
        content, graph = Knowledge(settings).current()
        problems = list(graph.problems)  # the content's own problems come first in it
    problems += find_foreign_accepts(settings, content)
    problems += find_attachment_problems(content, settings.attachment_max_bytes)
    if staged:
        changed, deleted = gitrepo.staged_paths(settings.root)
        problems = [p for p in problems if p.path in changed or (deleted and p.severity == ERROR)]
    return sorted(set(problems))


def find_foreign_accepts(settings: Settings, content) -> list[Problem]:
    """Warn where `accepted` was last changed by a person other than the question's author.

    Only the commit that last changed the `accepted:` line counts, and only when
    its author is a known person: an import by an unknown identity is not judged.
    """
    questions = [d for d in content.documents.values() if d.kind == QUESTION and d.accepted]
    if not questions:
        return []
    authors = gitrepo.last_authors(settings.root, settings.content_dir + "/questions", changing="^accepted:")
    emails = {p.email.lower(): h for h, p in content.people.items()}
    problems = []
    for q in questions:
        who = authors.get(q.path)
        if who is None:
            continue
        handle = emails.get(who.email.lower())
        if handle is not None and handle != q.author:
            problems.append(Problem(q.path, q.lines.get("accepted", 2), WARNING, "accepted-by-other",
                                    f"only the asker (@{q.author}) may accept an answer, but the last change "
                                    f"to this question was committed by {who.name} <{who.email}>"))
    return problems


def count(problems) -> tuple[int, int]:
    errors = sum(p.severity == ERROR for p in problems)
    return errors, len(problems) - errors
