"""The index's life: a whoosh index in the cache folder, kept in step with the graph.

The index lives in `<cache>/search/index/`, next to a manifest (`manifest.json`:
format, language and id → content hash); an update re-indexes only the entries
whose hash changed and deletes the removed ones. A missing, stale or corrupt
index is deleted and rebuilt. A new index of many documents is built in two
processes (`SearchIndex._build`), with progress for whoever waits.

The manifest also keeps the `source` the caller synced from (`wol search`: the
stamps of content/'s files) and the graph's topic aliases, so a process can
answer from a current index without reading content/ (`SearchIndex.current`).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import index
from whoosh.index import LockError

from ...problems import WolError
from ...settings import Settings
from .postings import QualityWeighting
from .query import Filters, Hit, find, find_similar, make_parser
from .schema import FORMAT, Codec, document_of, make_schema

if TYPE_CHECKING:  # the staging step is imported only to index (`_sync`), never to answer a query
    from ...derive.graph import Graph
    from ...stage.search import Entry

NOTIFY_FROM = 500  # documents to index before a long update is announced
PROGRESS_EVERY = 500  # documents between two progress reports of a long update
PARALLEL_FROM = 2000  # documents from which a new index is built in BUILD_PROCS processes (at 800 it did not pay)
BUILD_PROCS = 2
BUILD_BATCH = 100  # documents handed to a build process at a time
WRITE_TIMEOUT = 10.0  # seconds to wait for another process's write lock


@dataclass
class _Manifest:
    format: int
    language: str
    docs: dict[str, str]  # id → Entry digest
    forgotten: str = ""  # forgotten_digest of the graph when the index was written
    source: str = ""  # what the caller synced from (`wol search`: content/'s stamps), "" when unknown
    aliases: dict[str, str] = field(default_factory=dict)  # the graph's topic aliases (alias → tag)


class SearchIndex:
    """The search index of one knowledge repository, owned by whoever searches it.

    `wol search` opens one per process, `wol serve` one for its app and its indexing
    thread. Safe to share between threads: updates take a lock, and each thread
    searches with a whoosh searcher of its own, reopened when the index changed.
    """

    def __init__(self, settings: Settings):
        self.folder = settings.cache_path / "search"
        self.index_dir = self.folder / "index"
        self.manifest_path = self.folder / "manifest.json"
        self.language = settings.language
        self.parser = make_parser(make_schema(self.language))  # whoosh's parser only reads the schema
        self._lock = threading.RLock()
        self._ix = None
        self._synced = None  # weak reference to the last graph synced
        self._local = threading.local()  # whoosh searchers are not shared between threads
        self._vectors = None  # the dense vectors' maker (engines/semantic/dense), made on first need
        self._documents = None  # the index's document vectors (frozen), set by `_sync` or read from disk
        self.dense_path = self.folder / "dense.npz"
        from ..semantic.model import semantic_enabled
        self.semantic = semantic_enabled(self.language)  # meaning beside words (off: the lexical half alone)

    def search(self, graph: Graph, text: str, limit: int = 10, kind: str | None = None, state: str | None = None,
               topic: str | None = None) -> list[Hit]:
        """The best `limit` published documents, people and topics of `graph` for `text`, best first,
        with snippets; only of that `kind`, question `state` or `topic` when given."""
        if not text.strip():
            return []
        self.update(graph)
        return self.find(text, limit, kind, state, topic)

    def find(self, text: str, limit: int = 10, kind: str | None = None, state: str | None = None,
             topic: str | None = None) -> list[Hit]:
        """`search` in the index as it is (after `update`, or when `current` said it is up to date)."""
        if not text.strip():
            return []
        filters = Filters(kind or None, state or None, topic or None)
        meaning = self.meaning if self.semantic else None  # read (numpy, the model) only when a query needs it
        return self._query(lambda searcher: find(searcher, self.parser, text, limit, filters, meaning))

    def meaning(self):
        """(vectors, document vectors) for the dense half of a query, or None with semantics off."""
        if not self.semantic:
            return None
        documents = self._documents
        if documents is None:
            from ..semantic.dense import Documents
            documents = self._documents = Documents.load(self.dense_path)
            if documents is None:
                return None
        return self.vectors, documents


    @property
    def vectors(self):
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    from ..semantic.dense import Vectors
                    self._vectors = Vectors(self.folder)
        return self._vectors

    def current(self, source: str) -> dict[str, str] | None:
        """When the index on disk was synced from `source` (and opens): the topic aliases of its graph,
        so the caller may `find` without reading content/; else None (`update` first)."""
        with self._lock:
            manifest = self._read_manifest()
            if not source or manifest is None or manifest.source != source:
                return None
            if self._ix is None:
                self._ix, manifest = self._open(manifest)
                if self._ix is None:
                    return None
            return dict(manifest.aliases)

    def similar(self, graph: Graph, title: str, limit: int = 5) -> list[Hit]:
        """Posts and questions of `graph` like a title being typed, titles first; no snippets."""
        if not title.strip():
            return []
        self.update(graph)
        meaning = self.meaning if self.semantic else None
        return self._query(lambda searcher: find_similar(searcher, title, limit, meaning))

    def update(self, graph: Graph, notify=None, source: str = "") -> dict:
        """Bring the index up to date with the graph: {added, updated, removed, rebuilt} (all 0 when
        nothing changed). `notify(message, final)` hears about a long update before it starts, then of
        its progress with the time left (final=False), and when it is done (final=True).
        `source`: what the graph was read from, for `current`."""
        with self._lock:
            if self._synced is not None and self._synced() is graph and self._ix is not None:
                return {"added": 0, "updated": 0, "removed": 0, "rebuilt": False}
            try:
                stats = self._sync(graph, notify, source)
            except WolError:
                raise
            except Exception:  # a corrupt index found while writing: start over once
                self._forget_files()
                stats = self._sync(graph, source=source)
            self._synced = weakref.ref(graph)
            return stats

    def searcher(self):
        """This thread's searcher, refreshed when the index changed."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current._ix is self._ix:
            if current.up_to_date():
                return current
            fresh = current.refresh()
        else:
            fresh = self._ix.searcher(weighting=QualityWeighting())
        self._local.searcher = fresh
        return fresh

    def _query(self, run):
        """Run `run(searcher)`; a corrupt index is rebuilt from the last graph and tried again."""
        try:
            return run(self.searcher())
        except WolError:
            raise
        except Exception:
            graph = self._synced() if self._synced else None
            if graph is None:
                raise
            with self._lock:
                self._forget_files()
                self._synced, self._local = None, threading.local()
                self.update(graph)
            return run(self.searcher())

    def _forget_files(self) -> None:
        self._ix = None
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.manifest_path.unlink(missing_ok=True)

    # manifest
    def _read_manifest(self) -> _Manifest | None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return _Manifest(int(data["format"]), str(data["language"]), dict(data["docs"]),
                             str(data.get("forgotten", "")), str(data.get("source", "")),
                             dict(data.get("aliases", {})))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_manifest(self, docs: dict[str, str], forgotten: str, source: str, aliases: dict) -> None:
        tmp = self.manifest_path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "language": self.language, "docs": docs,
                                   "forgotten": forgotten, "source": source, "aliases": aliases}),
                       encoding="utf-8")
        os.replace(tmp, self.manifest_path)

    # opening and writing
    def _open(self, manifest: _Manifest | None = None):
        """Open the index, or None when it is missing, stale or unreadable (`manifest`: already read)."""
        manifest = manifest or self._read_manifest()
        if manifest is None or manifest.format != FORMAT or manifest.language != self.language:
            return None, None
        try:
            ix = index.open_dir(str(self.index_dir))
            searcher = ix.searcher(weighting=QualityWeighting())
            if searcher.doc_count() != len(manifest.docs):
                searcher.close()
                return None, None
            self._local.searcher = searcher  # this thread's first search reads the segments opened here
            return ix, manifest
        except Exception:  # whoosh raises many kinds of errors for damaged files
            return None, None

    def _create(self):
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.index_dir), make_schema(self.language))

    def _sync(self, graph: Graph, notify=None, source: str = "") -> dict:
        from ...stage.search import build_entries, forgotten_digest
        self.folder.mkdir(parents=True, exist_ok=True)
        entries = build_entries(graph)
        digests = {i: e.digest() for i, e in entries.items()}
        ix, manifest = (self._ix, self._read_manifest()) if self._ix is not None else self._open()
        forgotten = forgotten_digest(graph)
        rebuilt = ix is None or manifest is None or manifest.forgotten != forgotten
        if rebuilt:
            ix, old = self._create(), {}
        else:
            old = manifest.docs
        changed = [i for i, d in digests.items() if old.get(i) != d]
        removed = [i for i in old if i not in digests]
        progress = _Progress(len(changed), notify if notify and len(changed) >= NOTIFY_FROM else None)
        progress.start(f"wol: indexing {len(changed)} documents for search "
                       f"({'once' if rebuilt else 'changes'}; later searches update only what changed)")
        aliases = dict(sorted(graph.aliases.items()))
        if rebuilt:
            ix = self._build(ix, [entries[i] for i in changed], progress)
            self._write_manifest(digests, forgotten, source, aliases)
        elif changed or removed:
            writer = self._writer(ix)
            try:
                for doc_id in removed:
                    writer.delete_by_term("id", doc_id)
                for doc_id in changed:
                    writer.update_document(**document_of(entries[doc_id]))
                    progress.step()
            except BaseException:
                writer.cancel()
                raise
            progress.finishing()
            writer.commit()
            self._write_manifest(digests, forgotten, source, aliases)
        elif (manifest.source, manifest.aliases) != (source, aliases):
            self._write_manifest(digests, forgotten, source, aliases)
        if self.semantic and (rebuilt or changed or removed or self._documents is None):
            from ..semantic.dense import Documents
            self._documents = Documents(self.vectors.documents(entries))
            self._documents.save(self.dense_path)
        progress.done()
        self._ix = ix
        added = sum(1 for i in changed if i not in old)
        return {"added": added, "updated": len(changed) - added, "removed": len(removed), "rebuilt": rebuilt}

    def _build(self, ix, entries: list[Entry], progress: _Progress):
        """Write a new index's documents; many are analysed in BUILD_PROCS processes (whoosh's
        MpWriter, one segment each, nothing merged), few or where that fails in this one.
        Only the main thread forks (`wol search`): a server indexing in a background thread
        (`wol serve`) does not fork beside its other threads."""
        procs = min(BUILD_PROCS, os.cpu_count() or 1)
        if procs > 1 and len(entries) >= PARALLEL_FROM and threading.current_thread() is threading.main_thread():
            writer = None
            try:
                writer = ix.writer(procs=procs, batchsize=BUILD_BATCH, limitmb=128, multisegment=True,
                                   codec=Codec(), compound=False)
                for entry in entries:
                    writer.add_document(**document_of(entry))
                    progress.step()
                progress.finishing()
                writer.commit()
                return ix
            except Exception:  # no processes or semaphores here (a sandbox, a daemon thread): one process then
                if writer is not None:
                    try:
                        writer.cancel()
                    except Exception:
                        pass
                ix = self._create()
                progress.restart()
        writer = ix.writer(limitmb=256, codec=Codec(), compound=False)
        try:
            for entry in entries:
                writer.add_document(**document_of(entry))
                progress.step()
        except BaseException:
            writer.cancel()
            raise
        progress.finishing()
        writer.commit()
        return ix

    def _writer(self, ix):
        try:
            return ix.writer(timeout=WRITE_TIMEOUT, codec=Codec(), compound=False)
        except LockError:
            raise WolError(f"{self.index_dir}: the search index is locked by another wol process; "
                           f"try again, or delete {self.folder} if no wol is running") from None


class _Progress:
    """Reports of a long update to `notify(message, final)`: what starts, how far it is with the time left
    (estimated from the pace so far), and how long it took. Silent when `notify` is None."""

    def __init__(self, total: int, notify=None):
        self.total, self.notify, self.done_count = total, notify, 0
        self.started = time.monotonic()

    def start(self, message: str) -> None:
        if self.notify:
            self.notify(message, False)

    def restart(self) -> None:
        self.done_count, self.started = 0, time.monotonic()

    def step(self) -> None:
        self.done_count += 1
        if self.notify and self.done_count % PROGRESS_EVERY == 0 and self.done_count < self.total:
            elapsed = time.monotonic() - self.started
            left = elapsed / self.done_count * (self.total - self.done_count) * 1.15  # the final write
            self.notify(f"wol: indexed {self.done_count} of {self.total} documents "
                        f"({100 * self.done_count // self.total}%), about {left:.0f} s left", False)

    def finishing(self) -> None:
        if self.notify:
            self.notify(f"wol: indexed {self.total} documents, writing the index", False)

    def done(self) -> None:
        if self.notify:
            self.notify(f"wol: search index ready in {time.monotonic() - self.started:.1f} s", True)
