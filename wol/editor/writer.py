"""Every write of the editor: one at a time, through the commit road (wol/commit.py), then pushed.

`Writer.apply` holds one lock for the whole sequence, so concurrent requests
queue instead of interleaving: pull (rebase) from origin, read the content,
build the change, check, write and commit it (`apply_change`), push. A rejected push is rebased and pushed again;
when the rebase conflicts, our commit is dropped and the change is built
again on top of origin's (a vote is simply added again; an edit of a document
someone else changed meanwhile is refused with 409 and the person's text).
Any failure leaves the working tree as it was.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from contextlib import nullcontext
from typing import Callable

from ..commit import Change, Written, apply_change, identity_of
from ..content.document import Content
from ..derive.graph import Graph
from ..engines import gitrepo
from ..knowledge import Knowledge
from ..problems import Refused, WolError
from ..settings import Settings

log = logging.getLogger("wol.serve")
ATTEMPTS = 3
PUSH_ATTEMPTS = 6  # pushes rejected (origin moved on, or its branch locked by another push) before giving up
LOCK_WAIT = 1.0  # seconds a write waits for another Git process's index.lock

Step = Callable[[Content, Graph, str], Change]


def backoff(attempt: int) -> float:
    """Seconds to wait before push attempt `attempt + 1`: doubling from 0.1 s, at most 2 s, jittered."""
    return min(2.0, 0.1 * 2 ** attempt) * random.uniform(0.5, 1.5)


class Writer:
    """Applies changes to one repository, one at a time."""

    def __init__(self, settings: Settings, knowledge: Knowledge | None = None, sync: bool | None = None,
                 holding=None):
        """`sync`: pull from and push to origin (None: whenever the repository has an origin).
        `holding(paths)`: a context manager around each write of paths, from writing them to taking
        their graph as current (the live site's `writing`: it then ignores the watcher's events for them)."""
        self.settings = settings
        self.knowledge = knowledge or Knowledge(settings)
        self.sync = sync
        self.holding = holding or (lambda paths: nullcontext())
        self._lock = threading.Lock()

    def _check_fit(self) -> None:
        """Repair a lock left by a crashed Git; refuse (503) while the repository cannot take a commit."""
        root = self.settings.root
        repaired = gitrepo.clear_stale_lock(root)
        if repaired:
            log.warning("wol: %s", repaired)
        problem = gitrepo.write_problem(root)
        if problem and "index.lock" in problem:
            time.sleep(LOCK_WAIT)  # a Git command in a terminal holds it for a moment
            problem = gitrepo.write_problem(root)
        if problem:
            log.warning("wol: a write was refused: %s", problem)
            raise Refused(f"nothing was saved: {problem}", 503)

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
            self._check_fit()
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
                if not sync or written.commit is None:
                    break
                if self._push(before):
                    written.commit = gitrepo.head_sha(root)
                    break
                log.info("write conflicted with origin; building it again on top (attempt %d)", attempt)
            else:
                raise Refused("origin kept changing while saving; nothing was saved, please try again", 409)
        return written

    def _commit(self, content: Content, graph: Graph, actor: str, change: Change, author) -> Written:
        paths = [self.settings.content_path / rel for rel in change.files]
        with self.holding(paths):
            written = apply_change(self.settings, content, graph, change, author or identity_of(graph, actor))
            if written.checked.graph is None:  # votes: the graph catches up at the next read
                self.knowledge.touch(paths)
            else:
                self.knowledge.replace(written.checked.content, written.checked.graph, paths, content)
        return written

    def _push(self, before: str | None) -> bool:
        """Push; on rejection rebase and push again. False when our commit was dropped (conflict)."""
        root = self.settings.root
        for attempt in range(PUSH_ATTEMPTS):
            try:
                gitrepo.push(root)
                return True
            except gitrepo.PushRejected:
                time.sleep(backoff(attempt))  # another server pushes now: let it finish
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
