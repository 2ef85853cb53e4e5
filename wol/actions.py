"""Changes a person makes, checked and committed: shared by the CLI and the web editor."""

from __future__ import annotations

from datetime import date

from .engines import gitrepo
from .derive.graph import Graph
from .problems import WolError
from .settings import Settings
from .content.votes import add_vote, remove_vote
from .content.parse import normalise_target
from .content.write import inside


class Refused(WolError):
    """The change is not allowed; `status` is the HTTP status that fits."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def person_by_email(graph: Graph, email: str) -> str | None:
    email = (email or "").strip().lower()
    for handle, person in graph.people.items():
        if person.email.strip().lower() == email:
            return handle
    return None


def identity_of(graph: Graph, handle: str) -> gitrepo.Identity:
    person = graph.people[handle]
    return gitrepo.Identity(person.name, person.email)


def cast_vote(settings: Settings, graph: Graph, voter: str, target: str, undo: bool = False,
              today: date | None = None) -> str:
    """Record (or withdraw) voter's vote for target as one commit; return its sha."""
    target = normalise_target(target)
    if voter not in graph.people:
        raise Refused(f"`{voter}` has no profile, so cannot vote (create content/people/{voter}.md)", 403)
    doc = graph.documents.get(target)
    if doc is None and not undo:
        raise Refused(f"`{target}` is not a published document; give an id such as posts/2026/my-post "
                      f"or questions/my-question/answers/alice", 404)
    if doc is not None and doc.author == voter and not undo:
        raise Refused(f"`{target}` is your own {doc.kind}: votes are for what helped you", 403)
    relpath = f"{settings.content_dir}/votes/{voter}.txt"
    path = inside(settings.content_path, f"votes/{voter}.txt")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if undo:
        new = remove_vote(text, target)
        if new is None:
            raise Refused(f"you have no vote for `{target}` to withdraw", 409)
        message = f"Withdraw vote for {target}"
    else:
        new = add_vote(text, target, today or date.today())
        if new is None:
            raise Refused(f"you already found `{target}` useful; your vote counts once", 409)
        message = f"Vote: {target} was useful"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    try:
        return gitrepo.commit_paths(settings.root, [relpath], message, identity_of(graph, voter))
    except WolError:
        path.write_text(text, encoding="utf-8") if text else path.unlink(missing_ok=True)
        raise
