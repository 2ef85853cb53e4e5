"""Staging steps reused while nothing they read changed: what makes a rebuild after one edit cheap.

A step (one page, one feed, one API file, the events of one document) reads the
graph through a `GraphView`, which records every entry it reads (`documents[id]`,
`people[handle]`, `topics_of[id]` …) and every field it iterates or counts (`ALL`).
`Steps` keeps each step's value with what it read. The next staging compares the
graph with the one those steps saw (`snapshot`, `changes`) and `Reuse.run` returns a
step's kept value when none of its reads changed; otherwise it runs the step again.

A step must depend on nothing but its key, the graph and what the store's header
names (mkdocs.yml, the theme, wol's code, the forgotten: `build_manifest.shared_digest`),
and must not change what it is given. Pure: no disk here; wol/build_manifest.py saves
a store for the next `wol build`, and the live server keeps its own in memory.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import fields

from ..derive.graph import Graph

ALL = "\0all"  # a read of a whole field: it was iterated, counted or tested for emptiness
SEEN_DOCUMENTS = ("documents", "replies")  # compared by the digest of their source file when saved
UNTRACKED = ("sources",)  # how the graph was read, not what it says
METHODS = ("item", "votable", "canonical", "url_of", "earned")
FIELDS = frozenset(f.name for f in fields(Graph)) - set(UNTRACKED)
WHOLE = ("forgotten",)  # a change there rewrites documents (their authors, their mentions) where they are read
_MISSING = object()


class TrackedDict:
    """A read-only mapping over one of the graph's dicts that records the keys read into `keys`."""

    __slots__ = ("_data", "_keys")

    def __init__(self, data: dict, keys: set):
        self._data, self._keys = data, keys

    def __getitem__(self, key):
        self._keys.add(key)
        return self._data[key]

    def get(self, key, default=None):
        self._keys.add(key)
        return self._data.get(key, default)

    def __contains__(self, key) -> bool:
        self._keys.add(key)
        return key in self._data

    def _whole(self) -> dict:
        self._keys.add(ALL)
        return self._data

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        return bool(self._whole())

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()


class GraphView:
    """The graph as one step sees it: its dicts are `TrackedDict`s, other fields count as read whole."""

    __slots__ = ("_graph", "reads", "_dicts")

    def __init__(self, graph: Graph):
        self._graph = graph
        self.reads: dict[str, set] = {}  # field → keys read (ALL: the whole field)
        self._dicts: dict[str, TrackedDict] = {}

    def __getattr__(self, name):
        tracked = self._dicts.get(name)
        if tracked is not None:
            return tracked
        if name not in FIELDS:
            raise AttributeError(f"a staging step reads the graph's fields and {', '.join(METHODS)}; not {name!r}")
        value = getattr(self._graph, name)
        keys = self.reads.setdefault(name, set())
        if isinstance(value, dict):
            tracked = self._dicts[name] = TrackedDict(value, keys)
            return tracked
        keys.add(ALL)
        return value

    # Graph's methods read only its fields, so on the view they read tracked fields
    item, votable, canonical, url_of, earned = (getattr(Graph, name) for name in METHODS)


class Steps(dict):
    """{step key: (value, reads)}: reads are ((field, keys read), …), ALL among the keys for a whole field;
    `seen` is the graph snapshot the steps read (`snapshot(graph)`). Plain tuples: quick to save and load."""

    seen: dict = {}


def snapshot(graph: Graph, digests: bool = False) -> dict:
    """{field: {key: what a step read there, ALL: the order of the keys}} for every dict of the graph, and
    {field: {ALL: value}} for its other fields. With `digests`, documents and replies are the digest of
    their source file (for a store saved to disk; the graph must have `sources`), else themselves."""
    seen = {}
    for name, value in vars(graph).items():
        if name in UNTRACKED:
            continue
        if not isinstance(value, dict):
            seen[name] = {ALL: value}
            continue
        if digests and name in SEEN_DOCUMENTS:
            sources = graph.sources
            entries = {key: sources.get(doc.path) or _fingerprint(doc) for key, doc in value.items()}
        else:
            entries = dict(value)
        entries[ALL] = _order(value)
        seen[name] = entries
    return seen


def _order(d: dict) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(tuple(d)).encode("utf-8", "surrogatepass"))
    return h.digest()


def _fingerprint(doc) -> str:
    """A document read without its file's digest (from Git, or re-read by the live server)."""
    return hashlib.blake2b(pickle.dumps(doc, protocol=5), digest_size=20).hexdigest()


def changes(before: dict, after: dict) -> dict[str, set]:
    """{field: keys whose entry differs between two snapshots, with ALL whenever any does}."""
    changed: dict[str, set] = {}
    for name in before.keys() | after.keys():
        old_entries, new_entries = before.get(name, {}), after.get(name, {})
        if old_entries is new_entries:
            continue
        differs = {key for key, new in new_entries.items()
                   if not _same(old_entries.get(key, _MISSING), new)}
        differs.update(old_entries.keys() - new_entries.keys())
        if differs:
            changed[name] = differs | {ALL}
    return changed


def _same(old, new) -> bool:
    if old is new:
        return True
    if old is _MISSING:
        return False
    try:
        return bool(old == new)
    except Exception:  # noqa: BLE001 - values that cannot be compared count as changed
        return False


class Reuse:
    """One staging: `run` each step, reusing `previous` steps whose reads are not in `changed`.
    `steps` is what this staging ran or reused, for the next one."""

    def __init__(self, graph: Graph, previous: Steps | None = None, seen: dict | None = None):
        self.graph = graph
        self.previous = previous if previous is not None else Steps()
        self.steps = Steps()
        self.steps.seen = seen if seen is not None else {}
        self.changed = changes(self.previous.seen, self.steps.seen) if self.previous else {}
        if self.changed.keys() & WHOLE:
            self.previous = Steps()  # everything may read differently
        self.ran = 0

    def run(self, key, step, *args):
        """`step(view, *args)`, or the value it gave for `key` last time if nothing it read changed."""
        old = self.previous.get(key)
        if old is not None and self._unchanged(old[1]):
            self.steps[key] = old
            return old[0]
        view = GraphView(self.graph)
        value = step(view, *args)
        self.steps[key] = (value, tuple((name, tuple(keys)) for name, keys in view.reads.items()))
        self.ran += 1
        return value

    def _unchanged(self, reads: tuple) -> bool:
        changed = self.changed
        if not changed:
            return True
        for name, keys in reads:
            differs = changed.get(name)
            if differs is not None and not differs.isdisjoint(keys):
                return False
        return True


class Direct:
    """Staging without reuse (a check, a test, an export): every step runs on the graph itself."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def run(self, key, step, *args):
        return step(self.graph, *args)
