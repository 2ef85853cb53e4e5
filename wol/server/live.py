"""The served site, kept up to date by one worker thread, in two steps per batch of changes.

Writers and the file watcher `request` an update with the paths that changed
(and, from the editor, the ids of the documents or people whose page shows the
change). Requests that arrive while the worker is busy are gathered into its
next batch. For each batch the worker
1. re-renders at once the pages of the changed documents and people
   (a few pages, tenths of a second even at 5,000 documents), then wakes the
   writers waiting for their change to be visible; then, unless another
   change already waits for its pages, brings the live search index
   (`on_updated`) up to date: a save is findable before step 2 starts, and
   the two never share the interpreter (a few tenths of a second at 10,000);
2. once no new change came for QUIET_SECONDS (or the listings are
   STALE_SECONDS behind), brings the rest of the site up to date with the
   incremental updater (`SiteBuilder.update`: listings, topic and person
   pages, feeds, JSON; seconds at 5,000 documents). It cannot be interrupted,
   so waiting a little first keeps it out of the way of a burst of saves.
After step 2, the live search index (for changes without pages of their own,
such as a vote), and then the site's static search index (`site/search/`),
are synced with the new graph on a thread of its own, once the site has been
quiet for INDEX_QUIET_SECONDS (no write under way, no step 1 or 2 due or
running), but never more than INDEX_STALE_SECONDS after step 2: seconds of
CPU at 10,000 documents that would otherwise share the interpreter with the
next save. No step ever starts while a write is under way (`writing`).
Each step that changed pages bumps `version`; open pages poll
`changes_since(version, page)` and reload when their page changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from pathlib import Path

from .. import collector
from ..content.document import is_reply_id, reply_target
from ..pipeline import SiteBuilder
from ..stage import Staged, StagedPage
from ..stage.links import page_of
from ..i18n import ENGLISH, translator
from ..stage.listings import render_person_page, render_topic_page
from ..stage.pages import render_document_page
from ..knowledge import Knowledge

log = logging.getLogger("wol.serve")
GATHER_SECONDS = 0.03  # let a burst of file events (a `git pull`) arrive before updating (not for a save)
QUIET_SECONDS = 0.5  # step 2 waits for this long without new changes (a burst of votes goes first)…
STALE_SECONDS = 10.0  # …but never lets the listings lag the pages by more than this
INDEX_QUIET_SECONDS = 3.0  # the search indexes wait for this long without a change or a step running…
INDEX_STALE_SECONDS = 60.0  # …but never lag step 2 by more than this
HISTORY = 500  # how many versions' changed pages are remembered for polling pages
EVERYTHING = None  # a full rebuild changed every page
LIVE_SEARCH_API = "api/search"  # where the box asks the live index (wol serve), site-relative
COMPLETE = ".wol-complete"  # marks a site folder whose full build finished (MkDocs' clean keeps dot files)
OLD_SITE_GRACE_SECONDS = 5.0  # how long the previous site stays on disk once the new one is served


def page_url(md_path: str) -> str:
    """A staged page's site-relative URL: `index.md` → ``, `topics/index.md` → `topics/`, `a/b.md` → `a/b/`."""
    path = md_path.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("/index") + "/"


def ids_of_paths(settings, paths) -> set[str]:
    """Document and person ids of changed files under content/ (`content/posts/x.md` → `posts/x`)."""
    ids = set()
    for path in paths:
        full = Path(path)
        if not full.is_absolute():
            full = settings.root / full
        if not full.is_relative_to(settings.content_path) or full.suffix != ".md":
            continue
        rel = full.relative_to(settings.content_path).as_posix().removesuffix(".md").removesuffix("/index")
        if rel.startswith(("posts/", "questions/", "people/")):
            ids.add(rel)
    return ids


def stage_pages_of(graph, ids, existing=(), settings=None) -> dict[str, StagedPage]:
    """The staged pages that show these documents or people directly: {page path: StagedPage}.

    Topic pages the documents link to that do not exist yet (a new tag) come
    along, so that every link on the pages resolves.
    """
    pages, t = {}, translator(settings.locale) if settings is not None else ENGLISH
    for item in ids:
        if item.startswith("people/"):
            handle = item.split("/", 1)[1]
            if handle in graph.people:
                pages[page_of(item)] = render_person_page(graph, handle, settings)
            continue
        if is_reply_id(item):  # a reply shows on its target's page (also once withdrawn)
            item = reply_target(item)
        doc = graph.documents.get(item)
        if doc is None:
            continue
        shown = doc.question_id or doc.id
        if shown in graph.documents:
            pages[page_of(shown)] = render_document_page(graph, shown, t)
        for tag in graph.topics_of.get(doc.id, []):
            if tag in graph.topics and page_of(f"topics/{tag}") not in existing:
                pages[page_of(f"topics/{tag}")] = render_topic_page(graph, tag, t)
    return pages


def keep_previous_site(site_dir: Path) -> Path | None:
    """Before a new first build into site_dir: move a complete earlier site aside (`<site_dir>.previous`) and
    return the folder of the last complete site, if any, to serve while building."""
    site_dir = Path(site_dir)
    previous = site_dir.with_name(site_dir.name + ".previous")
    if (site_dir / COMPLETE).is_file():
        shutil.rmtree(previous, ignore_errors=True)
        site_dir.rename(previous)
    return previous if (previous / COMPLETE).is_file() else None


class LiveSite:
    """Builds the site once, then keeps it up to date on a worker thread (see the module docstring)."""

    def __init__(self, settings, site_dir: str | Path, knowledge: Knowledge | None = None,
                 echo=lambda message: None, on_updated=None):
        self.settings = settings
        self.site_dir = Path(site_dir)
        self.knowledge = knowledge or Knowledge(settings)
        self.echo = echo
        self.on_updated = on_updated  # the live search index: called with the graph after step 1 and step 2
        self.builder = SiteBuilder(settings, self.site_dir, echo=echo, knowledge=self.knowledge,
                                   search_api=LIVE_SEARCH_API, search_inline=False, settle=True)
        self.version = 0
        self.last_seconds = {"pages": 0.0, "site": 0.0}
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._pending_ids: set[str] = set()
        self._stale: set[str] = set()  # paths whose step 2 has not run yet
        self._requested = self._done = 0
        self._history: deque[tuple[int, set[str] | None]] = deque(maxlen=HISTORY)
        self._seen: dict[str, tuple | None] = {}
        self._writing: Counter[str] = Counter()  # paths of the writes under way (see `writing`)
        self._last_change = time.monotonic()  # when the last write began or the last request came
        self._site_busy = False  # step 2 is running
        self._burst = False  # a pending request came from the watcher: more events may follow
        self._thread = None
        self._stopping = False
        self._serving = self.site_dir

    @property
    def graph(self):
        return self.knowledge.current()[1]

    @property
    def serving(self) -> Path:
        """The folder whose files are served: the previous site's while the first build runs, then `site_dir`."""
        return self._serving

    def start(self, previous: Path | None = None) -> None:
        """Build the whole site, then start the worker.

        Without `previous` the build blocks. With `previous` (the folder of the last
        complete site, from an earlier run), that site is served at once and the build
        runs on the worker thread; `serving` switches to the new site when it is
        done, open pages reload, and changes that came meanwhile are applied next.
        """
        if previous is None:
            self._build_first()
            self._thread = threading.Thread(target=self._work, name="wol-site-updater", daemon=True)
        else:
            self._serving = Path(previous)
            self._thread = threading.Thread(target=self._build_then_work, args=(Path(previous),),
                                            name="wol-site-updater", daemon=True)
        self._thread.start()

    def _build_first(self) -> None:
        content, graph = self.knowledge.current()
        report = self.builder.build(graph)
        collector.settle()
        (self.site_dir / COMPLETE).write_text("a complete build: `wol serve` may show it at its next start\n")
        with self._cond:
            self._serving = self.site_dir
            self.version = 1
        self.echo(f"wol: built {len(report.pages)} pages in {report.seconds:.1f} s")

    def _build_then_work(self, previous: Path) -> None:
        try:
            self._build_first()
        except Exception as exc:  # e.g. a broken mkdocs.yml: keep serving the previous site
            log.exception("building the site failed")
            self.echo(f"wol: the site was not rebuilt, still serving the previous one: {exc}")
            return
        threading.Thread(target=remove_later, args=(previous,), name="wol-old-site", daemon=True).start()
        self._work()  # at once: a save right after the build does not wait for the old site to go

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    @contextmanager
    def writing(self, paths):
        """While a write of these paths is under way (written, committed, its graph taken as current).

        The watcher's events for them are ignored meanwhile: the writer asks for
        the update itself once done (`request`), with the graph its check derived,
        so no thread re-reads the files and derives the graph again beside the
        save. Step 2 and the search index do not start while a write is under way.
        """
        held = [str(path) for path in paths]
        with self._cond:
            self._writing.update(held)
            self._last_change = time.monotonic()
        try:
            yield
        finally:
            with self._cond:
                self._writing.subtract(held)
                self._writing = +self._writing  # drop the zeros
                self._cond.notify_all()

    def request(self, paths, ids=()) -> int:
        """Ask for an update after these paths changed; `ids`: documents or people whose page shows it.

        Returns a ticket for `wait`. A path whose file is exactly as it was when
        last handed over (the watcher seeing the editor's own write) is ignored,
        and so is a path a write is under way for (see `writing`).
        """
        with self._cond:
            paths = [path for path in paths if str(path) not in self._writing]
        stamps = [(str(path), _stamp(str(path))) for path in paths]
        self.knowledge.touch([path for path, _ in stamps])
        with self._cond:
            fresh = []
            for path, stamp in stamps:
                if path in self._seen and self._seen[path] == stamp:
                    continue
                self._seen[path] = stamp
                fresh.append(path)
            if not fresh and not ids:
                return self._requested
            self._pending.update(fresh)
            self._pending_ids.update(ids)
            self._burst = self._burst or not ids  # the watcher's (a save names its pages and comes alone)
            self._requested += 1
            self._last_change = time.monotonic()
            self._cond.notify_all()
            return self._requested

    def wait(self, ticket: int, timeout: float = 60.0) -> bool:
        """Block until the pages of ticket's changes are served; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._done < ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def changes_since(self, version: int, page: str | None = None) -> dict:
        """{version, reload}: whether a page shown at `version` is out of date now."""
        with self._cond:
            current = self.version
            if version >= current:
                return {"version": current, "reload": False}
            newer = [urls for v, urls in self._history if v > version]
            known = len(newer) == current - version
        if not known or any(urls is EVERYTHING for urls in newer):
            return {"version": current, "reload": True}
        stale = page is None or any(page in urls for urls in newer)
        return {"version": current, "reload": stale}

    # -- the worker ------------------------------------------------------------------------

    def _work(self) -> None:
        stale_since = None
        while True:
            with self._cond:
                while self._requested == self._done and not self._stopping:
                    if not self._stale:
                        self._cond.wait()
                        continue
                    now = time.monotonic()  # quiet since the last change (not since step 1½ ended): step 2
                    if now - stale_since >= STALE_SECONDS or now - self._last_change >= QUIET_SECONDS:
                        break
                    self._cond.wait(min(self._last_change + QUIET_SECONDS, stale_since + STALE_SECONDS) - now)
                if self._stopping:
                    return
                busy = self._requested > self._done
            if busy:
                if self._burst:
                    time.sleep(GATHER_SECONDS)
                with self._cond:
                    self._burst = False
                    paths, self._pending = self._pending, set()
                    ids, self._pending_ids = self._pending_ids, set()
                    target = self._requested
                if paths and not self._stale:
                    stale_since = time.monotonic()
                self._stale |= paths
                self._update_pages(ids | ids_of_paths(self.settings, paths))
                with self._cond:
                    self._done = target
                    self._cond.notify_all()
                self._index_now()
                continue
            if self._stale:
                if not self._after_writes(also_requests=False):
                    continue  # a write came meanwhile: its pages go first
                paths, self._stale = self._stale, set()
                with self._cond:
                    self._site_busy = True
                try:
                    graph = self._update_site(paths)
                finally:
                    with self._cond:
                        self._site_busy = False
                        self._cond.notify_all()
                if graph is not None:
                    self._index(graph)

    def _index_now(self) -> None:
        """Step 1½: hand the graph to on_updated (the live search index) as soon as a change's pages are
        served and no other change waits for its pages, before step 2 can start: the save is findable
        well before the listings are up to date, and the two never share the interpreter."""
        with self._cond:
            if self.on_updated is None or self._writing or self._requested > self._done:
                return  # a write or a request came meanwhile: its pages go first, then this runs again
        try:
            self.on_updated(self.knowledge.current()[1])
        except Exception:
            log.exception("updating the search index failed")

    def _index(self, graph) -> None:
        """Hand the graph to on_updated (the search index), then bring the site's static search index
        up to date, on a thread of its own; only the newest graph waits."""
        with self._cond:
            self._index_next = graph
            if getattr(self, "_indexing", False):
                return
            self._indexing = True

        def run():
            while True:
                self._quiet_for_index(time.monotonic())
                with self._cond:
                    graph, self._index_next = self._index_next, None
                    if graph is None:
                        self._indexing = False
                        return
                try:
                    if self.on_updated:
                        self._after_writes()
                        self.on_updated(graph)
                    self._after_writes()
                    self.builder.write_search(graph)
                    self._after_writes()
                    collector.sweep()  # quiet for a while: what old graphs left in cycles is collected now
                except Exception:
                    log.exception("after-update hook failed")

        threading.Thread(target=run, name="wol-search-index", daemon=True).start()

    def _quiet_for_index(self, since: float) -> None:
        """Wait until the site has been quiet for INDEX_QUIET_SECONDS, or INDEX_STALE_SECONDS have passed
        since `since` and no write is under way nor step 1 due."""
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                free = not self._writing and self._requested == self._done
                quiet = free and not self._stale and not self._site_busy
                stale = now - since >= INDEX_STALE_SECONDS
                if free and stale or quiet and now - self._last_change >= INDEX_QUIET_SECONDS:
                    return
                left = [since + INDEX_STALE_SECONDS - now]
                if quiet:
                    left.append(self._last_change + INDEX_QUIET_SECONDS - now)
                self._cond.wait(max(0.01, min(left)) if free else None)

    def _after_writes(self, also_requests: bool = True) -> bool:
        """Wait while a write is under way (and, with `also_requests`, while step 1 has pages to render):
        the background steps never start beside a save. True when no step 1 is due now."""
        with self._cond:
            while not self._stopping and (self._writing or also_requests and self._requested > self._done):
                self._cond.wait()
            return self._requested == self._done

    def _update_pages(self, ids: set[str]) -> None:
        """Step 1: the pages that show the changed documents and people."""
        if not ids:
            return
        start = time.perf_counter()
        try:
            _, graph = self.knowledge.current()
            renderer = self.builder.renderer
            if renderer.config is None:
                return
            with collector.paused():
                pages = stage_pages_of(graph, ids, renderer.pages, self.settings)
                if not pages:
                    return
                self.builder.copy_attachments(graph)  # before the pages that show them
                result = renderer.render_changed(Staged(pages={**renderer.pages, **pages},
                                                        files=dict(renderer.site_files)))
        except Exception:
            log.exception("rendering the changed pages failed")
            return
        self.last_seconds["pages"] = time.perf_counter() - start
        self._record({page_url(p) for p in result.pages})

    def _update_site(self, paths: set[str]):
        """Step 2: everything else the changes touched (listings, feeds, JSON), or a full build for the theme."""
        start = time.perf_counter()
        try:
            _, graph = self.knowledge.current()
            with collector.paused():  # staging the whole site: a third faster
                report = self.builder.update(sorted(paths), graph=graph)
        except Exception as exc:  # a broken mkdocs.yml: keep serving the last good site
            log.exception("updating the site failed")
            self.echo(f"wol: the site was not updated: {exc}")
            return None
        self.last_seconds["site"] = time.perf_counter() - start
        collector.settle()  # the new graph and staged site live on: no full collection walks them in a save
        if any(self.builder.settings.is_site_config(p) for p in paths):
            self._record(EVERYTHING)
        else:
            self._record({page_url(p) for p in report.pages + report.deleted if p.endswith(".md")},
                         files=bool(report.files))
        self.echo(f"wol: updated {len(report.pages)} page(s) in {self.last_seconds['site']:.2f} s")
        return graph

    def _record(self, urls, files: bool = False) -> None:
        if urls is not EVERYTHING and not urls and not files:
            return
        with self._cond:
            self.version += 1
            self._history.append((self.version, urls))


def remove_later(folder: Path) -> None:
    """Delete the previous site once the requests already reading it are done, in a process of its own at a
    low priority: tens of thousands of deletions in this one would share its interpreter with the saves."""
    time.sleep(OLD_SITE_GRACE_SECONDS)
    code = "import os, shutil, sys\nif hasattr(os, 'nice'): os.nice(10)\nshutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.run([sys.executable, "-c", code, str(folder)], check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)


def _stamp(path: str):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None
