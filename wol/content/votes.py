"""A person's votes file, `votes/<handle>.txt`: add or withdraw one line (text → text)."""

from __future__ import annotations

from datetime import date

from .parse import normalise_target, parse_votes


def voted_targets(text: str) -> set[str]:
    votes, _ = parse_votes("x", text, "")
    return {v.target for v in votes}


def add_vote(text: str, target: str, when: date) -> str | None:
    """The file with a vote for target appended, or None if it already holds one."""
    target = normalise_target(target)
    if target in voted_targets(text):
        return None
    if text and not text.endswith("\n"):
        text += "\n"
    return f"{text}{when.isoformat()} {target}\n"


def remove_vote(text: str, target: str) -> str | None:
    """The file without its vote lines for target, or None if it holds none."""
    target = normalise_target(target)
    kept, removed = [], False
    for line in text.splitlines(keepends=True):
        parts = line.split()
        if parts and not parts[0].startswith("#") and normalise_target(parts[-1]) == target and len(parts) <= 2:
            removed = True
            continue
        kept.append(line)
    return "".join(kept) if removed else None
