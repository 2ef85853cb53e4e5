"""`wol vote TARGET [--undo]`: the Git user's usefulness vote, as one commit through the commit road."""

from __future__ import annotations

from ..changes import build_vote
from ..commit import apply_change, git_person, identity_of
from ..knowledge import Knowledge
from ..settings import Settings


def vote(settings: Settings, target: str, undo: bool = False) -> str:
    """Record (or withdraw) the Git user's vote for target; return the commit's sha."""
    knowledge = Knowledge(settings)
    content, graph = knowledge.current()
    voter = git_person(settings, graph)
    change = build_vote(settings, graph, voter, target, undo=undo)
    return apply_change(settings, content, graph, change, identity_of(graph, voter)).commit
