"""What Git adds to the figures: when a vote was cast and when a question was solved.

Front matter says when a document was written. Git tells when an `accepted:`
line was first committed (the moment of the solution) and when a vote line
without a date was committed. When history is absent or shallow (a shallow
clone has lost the old commits, so every old line seems written at the
boundary), wol ignores Git and falls back: a solution counts at the accepted
answer's date, and a vote without a date has no month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..i18n import ENGLISH, Translator
from ..content.parse import parse_votes

FULL, SHALLOW, NO_HISTORY = "full", "shallow", "none"


@dataclass
class History:
    """Dates from Git, keyed by what the graph knows (question id, (voter, target))."""

    state: str = NO_HISTORY
    accepted_at: dict[str, datetime] = field(default_factory=dict)  # question id → when solved
    voted_at: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (voter, target) → when

    @property
    def used(self) -> bool:
        return self.state == FULL

    @property
    def note(self) -> str:
        """One sentence saying where the dates come from."""
        return say_history(self.state)


def say_history(state: str, t: Translator = ENGLISH) -> str:
    """Where the health figures' dates come from, for a history state, in the translator's language."""
    if state == FULL:
        return t.gettext("Dates come from front matter; solution times and undated votes from Git history.")
    if state == SHALLOW:
        return t.gettext("Git history is not used because the repository is a shallow clone (run `git fetch "
                         "--unshallow` for full history): a solution counts at the accepted answer's date, and "
                         "votes without a date in their file have no month.")
    return t.gettext("Git history is not used because there is no Git history: a solution counts at the accepted "
                     "answer's date, and votes without a date in their file have no month.")


def build_history(state: str, first_commits: dict[str, datetime], accepted_commits: dict[str, datetime],
                  vote_lines: dict[str, dict[str, datetime]], content_dir: str = "content") -> History:
    """Turn wol/engines/gitrepo.py's raw dates into a History; with shallow or no history, an empty one.

    first_commits: question file → first commit date; accepted_commits:
    question file → first commit that added or removed an `accepted:` line;
    vote_lines: votes file → {line: commit date}. A question committed
    already solved (an import) says nothing about when it was solved, so only
    an `accepted:` set in a later commit than the question's first counts.
    """
    if state != FULL:
        return History(state=state)
    prefix = content_dir.rstrip("/") + "/"
    accepted_at = {}
    for path, when in accepted_commits.items():
        if not (path.startswith(prefix + "questions/") and path.endswith("/index.md")):
            continue
        first = first_commits.get(path)
        if first is not None and when > first:
            accepted_at[path[len(prefix):-len("/index.md")]] = _utc(when)
    voted_at = {}
    for path, lines in vote_lines.items():
        name = path[len(prefix):] if path.startswith(prefix) else path
        if not (name.startswith("votes/") and name.endswith(".txt")):
            continue
        voter = name[len("votes/"):-len(".txt")]
        for line, when in lines.items():
            votes, _ = parse_votes(voter, line, path)
            for vote in votes:
                voted_at.setdefault((voter, vote.target), _utc(when))
    return History(state=FULL, accepted_at=accepted_at, voted_at=voted_at)


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)
