"""The repository's Content and Graph, kept in memory by the live server and refreshed file by file.

Reading all of content/ again after every change costs a second at 5,000
documents (walking the folders, reading the parse cache); a changed file costs
a fraction of a millisecond to parse. So the server reads everything once,
then re-parses only the paths it is told about (`touch`: the file watcher,
the editor's own writes, the files a `git pull` changed) and derives the graph
again (`current`). Paths whose file is as it was when last read are ignored.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ..content.document import Content
from ..content.load import TEXT_SUFFIXES, iter_content_files, load_content, parse_bytes
from ..derive.graph import Graph, build_graph
from ..problems import ERROR, Problem


def derive(content: Content) -> Graph:
    """The graph of content, with the content's own problems first (as wol.knowledge.load_graph)."""
    graph = build_graph(content)
    graph.problems[:0] = content.problems
    return graph


def replace_files(content: Content, parsed: dict[str, tuple], gone: list[str] = ()) -> Content:
    """A copy of content where each path of `parsed` holds its (item, problems), and `gone` paths
    (files, or folders with everything under them) hold nothing."""
    replaced = set(parsed) | set(gone)
    prefixes = tuple(p.rstrip("/") + "/" for p in gone)

    def keep(path: str) -> bool:
        return path not in replaced and not (prefixes and path.startswith(prefixes))

    new = Content(
        documents={k: d for k, d in content.documents.items() if keep(d.path)},
        people={k: p for k, p in content.people.items() if keep(p.path)},
        topic_files={k: t for k, t in content.topic_files.items() if keep(t.path)},
        votes=[v for v in content.votes if keep(v.path)],
        problems=[p for p in content.problems if keep(p.path)],
        invalid={k: v for k, v in content.invalid.items() if keep(k)},
    )
    for path, (item, problems) in parsed.items():
        new.problems.extend(problems)
        if item is None:
            first = next((p.message for p in problems if p.severity == ERROR), None)
            if first:
                new.invalid[path] = first
        else:
            new.add(item)
    return new


class Knowledge:
    """Content and graph of one repository, in memory; thread-safe."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._content: Content | None = None
        self._graph: Graph | None = None
        self._dirty: set[str] = set()
        self._stamps: dict[str, tuple | None] = {}

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
            if path.is_dir():
                for sub, sub_full in iter_content_files(path):
                    sub_rel = f"{rel}/{sub}" if rel else sub
                    parsed[f"{prefix}/{sub_rel}"] = self._parse(sub_rel, Path(sub_full), prefix)
            elif path.is_file():
                if path.name.startswith(".") or not path.name.endswith(TEXT_SUFFIXES):
                    continue
                parsed[f"{prefix}/{rel}"] = self._parse(rel, path, prefix)
            else:
                gone.append(f"{prefix}/{rel}" if rel else prefix)
                self._stamps[full] = None
        return replace_files(content, parsed, gone)

    def _parse(self, rel: str, path: Path, prefix: str):
        self._stamps[str(path)] = _stamp(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, [Problem(f"{prefix}/{rel}", 0, ERROR, "unreadable", f"cannot be read: {exc.strerror}")]
        return parse_bytes(rel, data, f"{prefix}/{rel}")


def _stamp(path: Path):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return None
