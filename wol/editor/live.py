"""The served site, kept up to date: one worker thread runs the incremental updater for each batch of changes.

Writers and the file watcher `request` an update with the paths that changed;
requests that arrive while an update runs are gathered into the next one.
A writer can `wait` until the site shows its change before it answers, so the
page it redirects to is already up to date. Each update that changed pages
bumps `version`; open pages poll `changes_since(version, page)` and reload when
their page changed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from pathlib import Path

from ..site import SiteBuilder

log = logging.getLogger("wol.serve")
GATHER_SECONDS = 0.05  # let a burst of file events (a `git pull`) arrive before updating
HISTORY = 200  # how many versions' changed pages are remembered for polling pages
EVERYTHING = None  # a full rebuild changed every page


def page_url(md_path: str) -> str:
    """A staged page's site-relative URL: `index.md` → ``, `topics/index.md` → `topics/`, `a/b.md` → `a/b/`."""
    path = md_path.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("/index") + "/"


class LiveSite:
    """Builds the site once, then updates it in place, one batch at a time, on a worker thread."""

    def __init__(self, settings, site_dir: str | Path, echo=lambda message: None, on_updated=None):
        self.settings = settings
        self.site_dir = Path(site_dir)
        self.echo = echo
        self.on_updated = on_updated  # called with the new graph after each update
        self.builder = SiteBuilder(settings, self.site_dir, echo=echo)
        self.version = 0
        self.graph = None
        self.last_seconds = 0.0
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._requested = self._done = 0
        self._history: deque[tuple[int, set[str] | None]] = deque(maxlen=HISTORY)
        self._seen: dict[str, tuple | None] = {}
        self._thread = None
        self._stopping = False

    def start(self) -> None:
        """Build the whole site (blocking), then start the worker."""
        report = self.builder.build()
        self.graph = self.builder.graph
        self.version = 1
        self.echo(f"wol: built {len(report.pages)} pages in {report.seconds:.1f} s")
        self._thread = threading.Thread(target=self._work, name="wol-site-updater", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def request(self, paths) -> int:
        """Ask for an update after these paths changed; returns a ticket for `wait`.

        A path whose file is exactly as it was when last handed to the updater
        (the watcher seeing the editor's own write) does not cause another update.
        """
        stamps = [(str(path), _stamp(str(path))) for path in paths]
        with self._cond:
            fresh = []
            for path, stamp in stamps:
                if path in self._seen and self._seen[path] == stamp:
                    continue
                self._seen[path] = stamp
                fresh.append(path)
            if not fresh:
                return self._requested if self._requested > self._done else self._done
            self._pending.update(fresh)
            self._requested += 1
            self._cond.notify_all()
            return self._requested

    def wait(self, ticket: int, timeout: float = 60.0) -> bool:
        """Block until the update for ticket is done; False on timeout."""
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

    def _work(self) -> None:
        while True:
            with self._cond:
                while self._requested == self._done and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
            time.sleep(GATHER_SECONDS)
            with self._cond:
                paths, self._pending = self._pending, set()
                target = self._requested
            updated = self._update(paths)
            with self._cond:
                self._done = target
                self._cond.notify_all()
            if updated and self.on_updated:  # after waking the writers: search indexing is not on their path
                try:
                    self.on_updated(self.graph)
                except Exception:
                    log.exception("after-update hook failed")

    def _update(self, paths: set[str]) -> bool:
        start = time.perf_counter()
        try:
            report = self.builder.update(sorted(paths))
        except Exception as exc:  # a broken mkdocs.yml: keep serving the last good site
            log.exception("updating the site failed")
            self.echo(f"wol: the site was not updated: {exc}")
            return False
        self.graph = self.builder.graph
        self.last_seconds = time.perf_counter() - start
        full = any(_is_config(p, self.settings.root) for p in paths)
        urls = EVERYTHING if full else {page_url(p) for p in report.pages + report.deleted if p.endswith(".md")}
        if full or urls or report.files:
            with self._cond:
                self.version += 1
                self._history.append((self.version, urls if urls is EVERYTHING else set(urls)))
        self.echo(f"wol: updated {len(report.pages)} page(s) in {self.last_seconds:.2f} s")
        return True


def _stamp(path: str):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


def _is_config(path: str, root: Path) -> bool:
    rel = Path(path)
    if rel.is_absolute():
        try:
            rel = rel.relative_to(root)
        except ValueError:
            return False
    return rel.parts[:1] in (("mkdocs.yml",), ("theme",))
