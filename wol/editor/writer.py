"""Every write of the editor: one at a time, checked, one commit by the acting person, pushed.

`Writer.apply` holds one lock for the whole sequence, so concurrent requests
queue instead of interleaving: pull (rebase) from origin, read the content,
build the change, run the pre-commit hook's checks on it in-process, write
the file, commit it alone, push. A rejected push is rebased and pushed again;
when the rebase conflicts, our commit is dropped and the change is built
again on top of origin's (a vote is simply added again; an edit of a document
someone else changed meanwhile is refused with 409 and the person's text).
Any failure leaves the working tree as it was.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engines import gitrepo
from ..actions import Refused, identity_of
from ..content.document import Content
from ..content.parse import parse_file
from ..derive.graph import Graph
from ..problems import ERROR, Problem, WolError
from ..settings import Settings
from ..content.write import inside
from .changes import Change
from .state import Knowledge, derive, replace_files

log = logging.getLogger("wol.serve")
ATTEMPTS = 3


class Invalid(Refused):
    """The change would not pass `wol check`: the problems say why (422)."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(f"{first.message} (line {first.line})" if first.line else first.message, 422)
        self.problems = problems


@dataclass
class Committed:
    """A step that committed by itself (a vote, through wol.actions)."""

    sha: str
    result: dict = field(default_factory=dict)


@dataclass
class Written:
    """What a write did: the commit, the change, warnings worth showing, the graph after it."""

    commit: str
    change: Change | None
    graph: Graph | None
    warnings: list[Problem] = field(default_factory=list)
    result: dict = field(default_factory=dict)


Step = Callable[[Content, Graph, str], "Change | Committed"]


def check_change(settings: Settings, content: Content, change: Change):
    """The pre-commit hook's checks for one changed file, in process.

    Returns (errors, warnings, content with the change, graph with the change).
    """
    path = f"{settings.content_dir}/{change.relpath}"
    item, problems = parse_file(change.relpath, change.text, path)
    new = replace_files(content, {path: (item, problems)})
    graph = derive(new)
    mine = sorted({p for p in graph.problems if p.path == path})
    return [p for p in mine if p.severity == ERROR], [p for p in mine if p.severity != ERROR], new, graph


class Writer:
    """Applies changes to one repository, one at a time."""

    def __init__(self, settings: Settings, knowledge: Knowledge | None = None, sync: bool | None = None):
        """`sync`: pull from and push to origin (None: whenever the repository has an origin)."""
        self.settings = settings
        self.knowledge = knowledge or Knowledge(settings)
        self.sync = sync
        self._lock = threading.Lock()

    def _pull(self) -> None:
        """Rebase onto origin; the files that changed are re-read."""
        before = gitrepo.head_sha(self.settings.root)
        try:
            gitrepo.pull_rebase(self.settings.root)
        finally:
            self._reread_since(before)

    def _reread_since(self, before: str | None) -> None:
        changed = gitrepo.changed_between(self.settings.root, before, gitrepo.head_sha(self.settings.root))
        if changed:
            self.knowledge.touch(changed)

    def apply(self, who: Callable[[Graph], str], step: Step, author=None) -> Written:
        """Run step for the person `who(graph)` names, as one commit; push when there is an origin.

        `author` overrides the commit's author (a first profile, not yet in the graph).
        """
        root = self.settings.root
        with self._lock:
            sync = gitrepo.has_origin(root) if self.sync is None else self.sync
            for attempt in range(1, ATTEMPTS + 1):
                if sync:
                    try:
                        self._pull()
                    except gitrepo.SyncConflict as exc:
                        raise Refused(f"the server's copy of the repository cannot be brought up to date "
                                      f"with origin ({exc}); ask an administrator", 409) from None
                before = gitrepo.head_sha(root)
                content, graph = self.knowledge.current(votes_may_lag=True)
                actor = who(graph)
                written = self._commit(content, graph, actor, step(content, graph, actor), author)
                if not sync:
                    break
                if self._push(before):
                    written.commit = gitrepo.head_sha(root)
                    break
                log.info("write conflicted with origin; building it again on top (attempt %d)", attempt)
            else:
                raise Refused("origin kept changing while saving; nothing was saved, please try again", 409)
        return written

    def _commit(self, content: Content, graph: Graph, actor: str, outcome, author) -> Written:
        if isinstance(outcome, Committed):
            if outcome.result.get("relpath"):
                self.knowledge.touch([self.settings.content_path / outcome.result["relpath"]])
            return Written(outcome.sha, None, None, result=outcome.result)
        change: Change = outcome
        errors, warnings, new_content, new_graph = check_change(self.settings, content, change)
        if errors:
            raise Invalid(errors)
        sha = write_and_commit(self.settings, change, author or identity_of(graph, actor))
        self.knowledge.replace(new_content, new_graph, [self.settings.content_path / change.relpath], content)
        return Written(sha, change, new_graph, warnings, result=dict(change.extra))

    def _push(self, before: str | None) -> bool:
        """Push; on rejection rebase and push again. False when our commit was dropped (conflict)."""
        root = self.settings.root
        for _ in range(ATTEMPTS):
            try:
                gitrepo.push(root)
                return True
            except gitrepo.PushRejected:
                pass
            except WolError as exc:
                self._drop(before)
                raise Refused(f"could not push to origin, so nothing was saved: {exc}", 502) from None
            try:
                self._pull()
            except gitrepo.SyncConflict:
                self._drop(before)
                return False
        self._drop(before)
        return False

    def _drop(self, before: str | None) -> None:
        if before:
            head = gitrepo.head_sha(self.settings.root)
            gitrepo.reset_to(self.settings.root, before)
            self._reread_since(head)


def write_and_commit(settings: Settings, change: Change, author: gitrepo.Identity) -> str:
    """Write the file and commit it alone; on any failure the file is as it was."""
    try:
        path = inside(settings.content_path, change.relpath)
    except WolError as exc:
        raise Refused(str(exc), 400) from None
    old = path.read_bytes() if path.exists() else None
    if change.create and old is not None:
        raise Refused(f"content/{change.relpath} exists already; nothing was overwritten", 409)
    created = _missing_parents(path.parent, settings.content_path.resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(change.text, encoding="utf-8")
    try:
        return gitrepo.commit_paths(settings.root, [f"{settings.content_dir}/{change.relpath}"], change.message, author)
    except BaseException:
        if old is None:
            path.unlink(missing_ok=True)
            for folder in created:
                try:
                    folder.rmdir()
                except OSError:
                    break
        else:
            path.write_bytes(old)
        raise


def _missing_parents(folder: Path, base: Path) -> list[Path]:
    """The folders between base and folder that do not exist yet, deepest first."""
    missing = []
    while folder != base and base in folder.parents and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing
