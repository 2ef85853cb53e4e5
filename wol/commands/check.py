"""`wol check`: every problem of a repository, or of what the next commit holds."""

from __future__ import annotations

from ..content.attachments import find_attachment_problems
from ..content.document import QUESTION
from ..derive.graph import build_graph
from ..problems import ERROR, WARNING, Problem
from ..settings import Settings


def check_repository(settings: Settings, staged: bool = False) -> list[Problem]:
    """Problems in content/ as it is on disk, or as Git's index would commit it."""
    if staged:
        return check_staged(settings)
    from ..knowledge import Knowledge
    content, graph = Knowledge(settings).current()
    problems = list(graph.problems)  # the content's own problems come first in it
    problems += find_foreign_accepts(settings, content)
    problems += find_attachment_problems(content, settings.attachment_max_bytes)
    return sorted(set(problems))


def check_staged(settings: Settings) -> list[Problem]:
    """The problems of the files the next commit adds or changes, and every problem it causes elsewhere
    (one that is not there at HEAD: an answer whose question it deletes, mentions of a person it renames)."""
    from ..knowledge import read_staged
    staged = read_staged(settings)
    if not staged.changed and not staged.deleted:
        return []
    before = set(_problems_of(staged.before, settings))
    problems = [p for p in _problems_of(staged.content, settings) if p.path in staged.changed or p not in before]
    problems += find_foreign_accepts(settings, staged.content, only=staged.changed)
    return sorted(set(problems))


def _problems_of(content, settings: Settings) -> list[Problem]:
    return content.problems + build_graph(content).problems + find_attachment_problems(
        content, settings.attachment_max_bytes)


def find_foreign_accepts(settings: Settings, content, only=None) -> list[Problem]:
    """Warn where `accepted` was last changed by a person other than the question's author.

    Only the commit that last changed the `accepted:` line counts, and only when
    its author is a known person: an import by an unknown identity is not judged.
    `only`: the paths to judge (all when None).
    """
    questions = [d for d in content.documents.values() if d.kind == QUESTION and d.accepted
                 and (only is None or d.path in only)]
    if not questions:
        return []
    from ..engines import gitrepo  # GitPython: only when there is something to ask it
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
