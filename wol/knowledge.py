"""The one reader of a repository's content: load once through the parse cache, then re-read only what changed.

Every command, the live server, the health figures and the privacy commands
read `content/` through a `Knowledge`. Reading all of content/ again after
every change costs a second at 5,000 documents (walking the folders, reading
the parse cache); a changed file costs a fraction of a millisecond to parse.
So it reads everything once, then re-parses only the paths it is told about
(`touch`: the file watcher, the editor's own writes, the files a `git pull`
changed) and derives the graph again (`current`). Paths whose file is as it
was when last read are ignored. `read_staged` reads what Git's index holds
instead (the pre-commit hook).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .content.document import Content
from .content.load import (is_content_file, stat_readable, iter_content_files, load_content,
                           load_content_from_blobs, parse_bytes, replace_files)
from .content.attachments import HEAD_BYTES, is_attachment_path
from .derive.graph import Graph, build_graph
from .engines import gitrepo
from .health.history import History, build_history
from .problems import ERROR, Problem
from .settings import Settings


def derive(content: Content) -> Graph:
    """The graph of content, with the content's own problems first."""
    graph = build_graph(content)
    graph.problems[:0] = content.problems
    return graph


def load_graph(settings: Settings) -> Graph:
    """Read content/ (through the parse cache) and derive the graph: a Knowledge used once."""
    return Knowledge(settings).graph


def read_staged(settings: Settings) -> Content:
    """The content as Git's index would commit it (what `wol check --staged` judges)."""
    return load_content_from_blobs(gitrepo.read_index(settings.root), settings.content_dir)


class Knowledge:
    """Content and graph of one repository, in memory; thread-safe (one lock guards its state)."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._content: Content | None = None
        self._graph: Graph | None = None
        self._dirty: set[str] = set()
        self._stamps: dict[str, tuple | None] = {}
        self._history: tuple[str | None, History] | None = None  # (HEAD, History): it changes only with commits

    @property
    def content(self) -> Content:
        return self.current()[0]

    @property
    def graph(self) -> Graph:
        return self.current()[1]

    def history(self) -> History:
        """Solution and vote dates from Git (for the health figures), or an empty History saying why not."""
        s = self.settings
        state = gitrepo.history_state(s.root)
        if state != gitrepo.FULL:
            return History(state=state)
        head = gitrepo.head_commit(s.root)
        with self._lock:
            cached = self._history
        if cached is not None and cached[0] == head:
            return cached[1]
        graph = self.graph
        questions = f"{s.content_dir}/questions"
        undated = {f"{s.content_dir}/votes/{voter}.txt" for (voter, _), when in graph.vote_dates.items()
                   if when is None}  # only these need `git blame`
        history = build_history(state, gitrepo.first_dates(s.root, questions),
                                gitrepo.first_dates(s.root, questions, changing=r"^accepted:"),
                                gitrepo.line_dates(s.root, f"{s.content_dir}/votes", undated), s.content_dir)
        with self._lock:
            self._history = (head, history)
        return history

    def current(self, votes_may_lag: bool = False) -> tuple[Content, Graph]:
        """The content and graph as the files are now (re-reading only what was touched).

        `votes_may_lag`: when only votes files changed, the last graph will do
        (the writer checks a vote or a document with it; the counts catch up
        at the next call without this flag, once per batch of votes).
        """
        with self._lock:
            s = self.settings
            votes = str(s.content_path / "votes") + os.sep
            if self._content is None:
                self._content = load_content(s.content_path, s.root, s.cache_path)
                self._graph = derive(self._content)
                self._dirty.clear()
            elif votes_may_lag and all(p.startswith(votes) for p in self._dirty):
                pass
            elif self._dirty:
                paths, self._dirty = self._dirty, set()
                self._content = self._reread(self._content, paths)
                self._graph = derive(self._content)
            return self._content, self._graph

    def touch(self, paths) -> None:
        """These paths (absolute, or relative to the repository) may have changed."""
        root = Path(self.settings.root)
        with self._lock:
            for path in paths:
                full = Path(path) if Path(path).is_absolute() else root / path
                if full == self.settings.content_path or full.is_relative_to(self.settings.content_path):
                    if self._stamps.get(str(full), "unknown") != _stamp(full):
                        self._dirty.add(str(full))

    def replace(self, content: Content, graph: Graph, paths, based_on: Content) -> None:
        """After a write of `paths` whose result the caller derived from `based_on`: take it as current.

        If the state moved on meanwhile (another thread re-read files), the
        result would undo that, so the written paths are re-read instead.
        """
        with self._lock:
            if self._content is not based_on:
                self._dirty.update(str(path) for path in paths)
                return
            self._content, self._graph = content, graph
            for path in paths:
                self._stamps[str(path)] = _stamp(Path(path))
                self._dirty.discard(str(path))

    def _reread(self, content: Content, paths: set[str]) -> Content:
        base = self.settings.content_path
        prefix = self.settings.content_dir.rstrip("/")
        parsed, gone = {}, []
        for full in sorted(paths):
            path = Path(full)
            rel = path.relative_to(base).as_posix() if path != base else ""
            if path.is_dir() and not path.is_symlink():
                for sub, sub_full in iter_content_files(path):
                    sub_rel = f"{rel}/{sub}" if rel else sub
                    parsed[f"{prefix}/{sub_rel}"] = self._parse(sub_rel, Path(sub_full), prefix)
            elif path.is_file():
                if not is_content_file(path.name):
                    continue
                parsed[f"{prefix}/{rel}"] = self._parse(rel, path, prefix)
            else:
                gone.append(f"{prefix}/{rel}" if rel else prefix)
                self._stamps[full] = None
        return replace_files(content, parsed, gone)

    def _parse(self, rel: str, path: Path, prefix: str):
        self._stamps[str(path)] = _stamp(path)
        _, refused = stat_readable(str(path), self.settings.root, f"{prefix}/{rel}")
        if refused is not None:
            return None, [refused]
        try:
            with open(path, "rb") as f:
                data = f.read(HEAD_BYTES) if is_attachment_path(rel) else f.read()
            size = path.stat().st_size
        except OSError as exc:
            return None, [Problem(f"{prefix}/{rel}", 0, ERROR, "unreadable", f"cannot be read: {exc.strerror}")]
        return parse_bytes(rel, data, f"{prefix}/{rel}", size)


def _stamp(path: Path):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return None
