"""Helpers: knowledge bases with known figures, written inline, some with a real Git history at known dates."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from knowledge_base import doc, git, person


def commit_at(root: Path, when: str, message: str = "change") -> None:
    """Commit everything in the work tree with author and committer date `when` (ISO)."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", message,
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def network(people: dict, posts=(), questions=(), votes=None, topics=None) -> dict[str, str]:
    """Files of a knowledge base described compactly.

    people: handle → team (or (team, extra front matter));
    posts: (author, date, [tags]) → posts/2026/p<i>.md;
    questions: (author, date, [tags], [(answerer, date)], accepted name or None) → questions/q<i>/;
    votes: voter → [target ids]; topics: tag → [facilitators].
    """
    files = {}
    for handle, team in people.items():
        team, extra = team if isinstance(team, tuple) else (team, "")
        files[f"people/{handle}.md"] = person(handle.title(), team, handle, extra)
    for i, (author, date, tags) in enumerate(posts, start=1):
        files[f"posts/2026/p{i}.md"] = doc(f"Post {i}", author, date, f"Post number {i}.", _tags(tags))
    for i, (author, date, tags, answers, accepted) in enumerate(questions, start=1):
        extra = _tags(tags) + (f"accepted: {accepted}\n" if accepted else "")
        files[f"questions/q{i}/index.md"] = doc(f"Question {i}?", author, date, f"Question {i} body.", extra)
        for answerer, when in answers:
            files[f"questions/q{i}/answers/{answerer}.md"] = doc(None, answerer, when, f"Answer by {answerer}.")
    for voter, targets in (votes or {}).items():
        files[f"votes/{voter}.txt"] = "".join(f"{t}\n" for t in targets)
    for tag, facilitators in (topics or {}).items():
        files[f"topics/{tag}.md"] = f"---\ntitle: {tag.title()}\nfacilitators: [{', '.join(facilitators)}]\n---\n\nAbout {tag}.\n"
    return files


def _tags(tags) -> str:
    return f"tags: [{', '.join(tags)}]\n" if tags else ""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def init_git(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "admin@example.com")
    git(root, "config", "user.name", "Admin")
    git(root, "config", "commit.gpgsign", "false")
    return root
