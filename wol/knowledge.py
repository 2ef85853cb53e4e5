"""The one reader of a repository's content: load once through the parse cache, then re-read only what changed.

Every command, the live server, the health figures and the privacy commands
read `content/` through a `Knowledge`. Reading all of content/ again after
every change costs a second at 5,000 documents (walking the folders, reading
the parse cache); a changed file costs a fraction of a millisecond to parse.
So it reads everything once, then re-parses only the paths it is told about
(`touch`: the file watcher, the editor's own writes, the files a `git pull`
changed) and derives the graph again (`current`). Paths whose file is as it
was when last read are ignored. `read_staged` reads what Git's index holds
instead, beside HEAD, over only the files a commit can affect (the pre-commit
hook: docs/speed.md).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .content.document import Content
from .content.cachefiles import load_pickle, save_pickle
from .content.load import (build_content, is_content_file, stat_readable, iter_content_files, load_content,
                           parse_bytes, replace_files)
from .content.attachments import HEAD_BYTES
from .content.filetypes import is_attachment_path
from .derive.graph import Graph, build_graph
from .engines import gitindex
from .engines.renderpool import find_slow_renders
from .problems import ERROR, Problem
from .settings import Settings

if TYPE_CHECKING:
    from .health.history import History

HISTORY_FILE = "history.pickle"  # in the cache: the last History and the HEAD (and votes files) it was read at
HISTORY_FORMAT = 1


def derive(content: Content) -> Graph:
    """The graph of content, with the content's own problems first."""
    graph = build_graph(content)
    graph.problems[:0] = content.problems
    return graph


def without_slow_renders(settings: Settings, content: Content, only=None) -> Content:
    """content less the files (of `only`, when given) whose body takes too long to render: each becomes an
    error naming it, so `wol check` refuses it, the editor will not commit it and a build skips it, and one
    hostile text never stalls the others (engines/renderpool.py)."""
    slow = find_slow_renders(settings, content, only=only)
    return replace_files(content, {path: (None, [problem]) for path, problem in slow.items()}) if slow else content


def load_graph(settings: Settings) -> Graph:
    """Read content/ (through the parse cache) and derive the graph: a Knowledge used once."""
    return Knowledge(settings).graph


@dataclass(frozen=True)
class StagedContent:
    """What the next commit holds beside what HEAD holds, over the same files: every file (`whole`), or
    only those the commit can affect (see `read_staged`)."""

    content: Content
    before: Content
    changed: frozenset[str]  # paths from the repository root that the commit adds or changes
    deleted: frozenset[str]
    whole: bool


SHARED = ("people/", "topics/", "votes/", "forgotten.txt")  # files every check may need: few and small
REACHES_ALL = ("people/", "topics/", "forgotten.txt")  # a change to one of these can affect any file


def read_staged(settings: Settings) -> StagedContent:
    """The content as Git's index would commit it, and as it is at HEAD (what `wol check --staged` judges).

    A commit that adds or changes documents, replies, votes or attachments can only
    affect its own files, the folder of each document it touches (a question's
    answers and replies, a post's replies and files) and the votes: those files
    are read from Git, with people, topics and votes, and nothing else. A commit that
    deletes a file or changes a person, a topic or forgotten.txt can affect any file:
    then everything is read (through the parse cache for files as they are on disk).
    """
    root, prefix = settings.root, settings.content_dir.rstrip("/")
    index = {p: sha for p, sha in gitindex.index_blobs(root, prefix).items() if _is_content(p, prefix)}
    changes = [c for c in gitindex.staged_changes(root, prefix) if _is_content(c.path, prefix)]
    changed = frozenset(c.path for c in changes if c.status != "D")
    deleted = frozenset(c.path for c in changes if c.status == "D")
    at_head = {c.path: c.before for c in changes if c.before}  # the HEAD blob of each path the commit changes
    whole = bool(deleted) or any(p[len(prefix) + 1:].startswith(REACHES_ALL) for p in changed)
    if whole:
        content = _read_index_whole(settings, index)
        parsed = _parse_blobs(root, prefix, {p: sha for p, sha in at_head.items()})
        before = replace_files(content, parsed, [p for p in changed if p not in at_head])
        return StagedContent(without_slow_renders(settings, content, only=changed), before, changed, deleted, True)
    blobs = gitindex.read_blobs(root, [index[p] for p in changed] + [at_head[p] for p in changed if p in at_head])
    parsed_changed = {p: parse_bytes(p[len(prefix) + 1:], blobs[index[p]], p) for p in changed}
    parsed_then = {p: parse_bytes(p[len(prefix) + 1:], blobs[at_head[p]], p) for p in changed if p in at_head}
    paths = _reach(prefix, index, changed, parsed_changed)
    now = {p: index[p] for p in paths if p in index}
    then = {p: at_head.get(p) if p in changed else sha for p, sha in now.items()}
    parsed = {**_parse_blobs(root, prefix, {p: sha for p, sha in now.items() if p not in changed}), **parsed_changed}
    before = [(p, parsed_then[p] if p in changed else parsed[p]) for p, sha in sorted(then.items()) if sha]
    content = without_slow_renders(settings, build_content(sorted(parsed.items())), only=changed)
    return StagedContent(content, build_content(before), changed, deleted, False)


def _is_content(path: str, prefix: str) -> bool:
    """A file under content/ that wol reads, in no hidden folder (each part follows a `/`)."""
    return (path.startswith(prefix) and path[len(prefix):len(prefix) + 1] == "/"
            and "/." not in path[len(prefix):] and is_content_file(path.rsplit("/", 1)[-1]))


def _parse_blobs(root, prefix: str, blobs: dict[str, str]) -> dict[str, tuple]:
    """{path: (item, problems)} of these {path: blob id}, read from Git."""
    data = gitindex.read_blobs(root, blobs.values())
    return {p: parse_bytes(p[len(prefix) + 1:], data[sha], p) for p, sha in blobs.items()}


def _owner(rel: str) -> str:
    """The folder or stem under content/ that holds a file and everything that depends on it."""
    parts = rel.split("/")
    if parts[0] == "questions" and len(parts) > 2:
        return "/".join(parts[:2]) + "/"  # a question with its answers, replies and files
    for i, part in enumerate(parts):
        if part.endswith((".replies", ".files")):
            return "/".join(parts[:i] + [part.rsplit(".", 1)[0]])
    return rel[:-3] if rel.endswith(".md") else rel


def _reach(prefix: str, index: dict[str, str], changed, parsed_changed) -> set[str]:
    """The paths a commit of `changed` (documents, replies, votes, attachments) can affect."""
    owners = {_owner(p[len(prefix) + 1:]) for p in changed}
    for _, (item, _problems) in parsed_changed.items():
        if isinstance(item, list):  # a votes file: what it votes for must be read too
            owners.update(_owner(f"{v.target}/index.md" if v.target.startswith("questions/") else f"{v.target}.md")
                          for v in item)
    stems = tuple(o for o in owners if o.endswith("/"))
    files = {f"{o}.md" for o in owners if not o.endswith("/")}
    dependants = tuple(f"{o}.replies/" for o in owners) + tuple(f"{o}.files/" for o in owners)
    reach = set(changed)
    for path in index:
        rel = path[len(prefix) + 1:]
        if rel.startswith(SHARED) or rel.startswith(stems) or rel in files or rel.startswith(dependants):
            reach.add(path)
    return reach


def _read_index_whole(settings: Settings, index: dict[str, str]) -> Content:
    """Every file of Git's index: the files on disk that match it through the parse cache, the rest from Git."""
    root, prefix = settings.root, settings.content_dir.rstrip("/")
    content = load_content(settings.content_path, root, settings.cache_path)
    on_disk = {f"{prefix}/{rel}" for rel, _ in iter_content_files(settings.content_path)}
    differs = {p for p in gitindex.worktree_differs(root, prefix) if p in index}
    return replace_files(content, _parse_blobs(root, prefix, {p: index[p] for p in differs}),
                         sorted(on_disk - index.keys()))


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
        from .engines import gitindex
        from .health.history import FULL, History, build_history
        s = self.settings
        state, head = gitindex.head_state(s.root)  # GitPython only when the history must be read again
        if state != FULL:
            return History(state=state)
        with self._lock:
            cached = self._history
        if cached is not None and cached[0] == head:
            return cached[1]
        graph = self.graph
        questions = f"{s.content_dir}/questions"
        undated = {f"{s.content_dir}/votes/{voter}.txt" for (voter, _), when in graph.vote_dates.items()
                   if when is None}  # only these need `git blame`
        key = (HISTORY_FORMAT, head, s.content_dir, sorted(undated))
        saved = load_pickle(s.cache_path, HISTORY_FILE)  # a second a build at 10,000: `wol build` again
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == key and isinstance(saved[1], History):
            history = saved[1]
        else:
            from .engines import gitrepo
            history = build_history(state, gitrepo.first_dates(s.root, questions),
                                    gitrepo.first_dates(s.root, questions, changing=r"^accepted:"),
                                    gitrepo.line_dates(s.root, f"{s.content_dir}/votes", undated), s.content_dir)
            save_pickle(s.cache_path, HISTORY_FILE, (key, history))
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
                self._content = without_slow_renders(s, load_content(s.content_path, s.root, s.cache_path))
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
        return without_slow_renders(self.settings, replace_files(content, parsed, gone), only=set(parsed))

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
