"""The build pipeline: load the graph → stage pages, feeds and API → render with MkDocs → write.

`build_site` is `wol build`: one full, clean build. `SiteBuilder` keeps the
renderer's state between builds for the live server (`wol serve`).
"""

from __future__ import annotations

import gc
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import collector
from .health.page import stage_health
from .health.verdict import build_health
from .knowledge import Knowledge
from .engines.output import copy_changed, digest_of, write_changed, write_digest_changed
from .problems import ERROR, WolError
from .stage.search import build_entries

DEFAULT_SITE_DIR = "site"
HEALTH_EVERY = 300.0  # seconds: how stale the health figures may get between full builds (SiteBuilder.update)
SEARCH_BESIDE_FROM = 500  # entries from which a full build writes the search index in a second process


@dataclass
class BuildReport:
    """What a build did, for the command line and the live server."""

    pages: list[str] = field(default_factory=list)  # staged pages rendered (docs-relative .md paths)
    files: list[str] = field(default_factory=list)  # feeds and API files written (site-relative)
    deleted: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # invalid document → reason
    warnings: list[str] = field(default_factory=list)  # from MkDocs (e.g. a link to a missing page)
    seconds: float = 0.0


def _quiet(message: str) -> None:
    pass


class SiteBuilder:
    """Builds a site once in full, then updates it in place after edits.

    Contract:
    - `build()` first: a clean, full build into `site_dir` (as `wol build`).
    - then `update(changed_paths)` after files changed on disk, as often as
      wanted, one call at a time (not thread-safe: serialise calls). It reloads
      the graph (unchanged files come from the parse cache), stages again what
      the change touched (each step of the last staging whose reads of the graph
      did not change is reused: wol/stage/reuse.py), and re-renders only the
      pages whose staged Markdown changed,
      which includes the listings (home, topic, person pages) whose content
      the edit changed; feeds and API files are rewritten when their text
      changed. Afterwards the site equals what a full build would write, except
      `sitemap.xml`'s order. The search index is updated for exactly the
      re-rendered pages.
    - A change to mkdocs.yml or the theme folder makes `update` run a full
      build again (new MkDocs config and theme environment).
    - Invalid documents are skipped (as in `wol build`); `update` never raises
      for bad content, only WolError for a broken mkdocs.yml.
    - `graph` holds the graph of the last build or update (for the editor's
      similar-questions and permission checks).
    - A full build is MkDocs' own `build()`, serial; `update` re-renders in process.
    - The health pages (figures from Git history) are recomputed by `build`
      and by an `update` at most every `health_every` seconds; in between, an
      update keeps the last ones.
    - The reader's search index (`site/search/`) is written by every build, and
      by every update unless `search_inline` is False: then the caller writes it
      with `write_search(graph)`, from another thread if it likes (the live
      server, so that a save's pages never wait for it). Only the shards whose
      text changed are written. `search_api` (the live server's) tells the box
      where to ask instead.
    """

    def __init__(self, settings, site_dir: str | Path | None = None, extras=None, echo=_quiet,
                 health_every: float = HEALTH_EVERY, knowledge: Knowledge | None = None,
                 search_api: str | None = None, search_beside: bool = False, search_inline: bool = True,
                 one_off: bool = False, settle: bool = False):
        from .engines.mkdocs import SiteRenderer
        self.settings = settings
        self.knowledge = knowledge or Knowledge(settings)  # the one reader (the live server shares its own)
        self.site_dir = Path(site_dir or settings.root / DEFAULT_SITE_DIR)
        self.extras = extras
        self.echo = echo
        self.health_every = health_every
        self.renderer = SiteRenderer(settings, self.site_dir, progress=self._progress)
        self.graph = None
        self._health = None  # (monotonic time, Staged) of the last health pages
        self.search_api = search_api
        self.search_beside = search_beside  # a one-off full build (`wol build`) may fork for the search index
        self.search_inline = search_inline
        self.one_off = one_off  # the process ends with this build (`wol build`): see build_site
        self.settle = settle  # a full build settles what it staged out of the collector's walks (the live server)
        self._search = None  # the static search index's writer (`search`), made when first needed
        self._search_files: dict[str, str] = {}  # what the last build or update wrote into site/search/
        self._attachments: dict[str, tuple] = {}  # files beside documents copied into site/: path → stamp
        self._search_lock = threading.Lock()  # a full build cleans the site folder: not while shards are written
        self._steps = None  # the last staging's steps (wol/stage/reuse.py): replaced whole, never changed

    def build(self, graph=None) -> BuildReport:
        """A clean, full build (of `graph`, when the caller already loaded it); see the class docstring."""
        return self._run(full=True, graph=graph)

    def build_again(self, graph, manifest_file: Path, clean: bool = False, seed: Path | None = None) -> BuildReport:
        """`wol build`: render only what changed since the complete build `manifest_file` records, when
        the site folder and everything besides the staged pages are as it says; else (or with `clean`)
        a full build, saying why in one line. Leaves the manifest of this build in `manifest_file`.

        `seed`: the folder the manifest describes, when it is not site_dir (`wol publish`: site_dir then
        holds hard links to the live release's files, made by the caller)."""
        from . import build_manifest as bm
        from .stage import Reuse, snapshot, stage_site
        from .engines.mkdocs.config import NAV
        start = clock = time.perf_counter()
        self.graph = graph
        read = (None, "--clean") if clean else bm.read_manifest(manifest_file)
        # the search files, in a second process while this one stages; it sends back those that changed
        beside = self._start_search(graph, read[0].search if read[0] is not None else {})
        scan = _scan_beside(self.site_dir, read[0])  # the site folder's files, in a thread while this one stages
        shared = bm.shared_digest(self.settings)
        memos = bm.load_stage_memos(self.settings, shared)
        with collector.paused():
            previous, since = bm.load_stage_steps(self.settings, shared, graph.forgotten)
            reuse = Reuse(graph, previous, snapshot(graph, digests=True))
            staged = stage_site(graph, self.settings, [self._health_pages(graph, True), *self._extras(graph)], reuse)
            digests = {rel: bm.page_digest(page) for rel, page in staged.pages.items()}  # kept on reused pages
            bm.save_stage_steps(self.settings, shared, graph.forgotten, reuse.steps, since)
            if self.one_off:
                gc.freeze()  # the staged site lives until the process ends: the collector never walks it
        bm.save_stage_memos(self.settings, shared, memos)
        self._steps = reuse.steps
        config = bm.config_digest(self.settings, [page for _, page in NAV if page in staged.pages], shared)
        clock = self._phase(f"staged {len(staged.pages)} pages and {len(staged.files)} feed and API files", clock)
        site = bm.site_key(self.settings, self.site_dir)
        manifest, why = bm.check_manifest(read, bm.site_key(self.settings, seed or self.site_dir), config)
        scanned = scan.result() if scan else None  # finished before anything writes to the folder
        outputs, file_digests = {}, None
        if manifest is not None:
            outputs, why = bm.site_changes(self.site_dir, manifest, scanned)
            clock = self._phase(f"checked the {len(outputs)} files of {self.site_dir}", clock)
        bm.forget_manifest(manifest_file)
        if not outputs:
            self.echo(f"wol: a full build: {why}")
            report, rendered = self._run(full=True, graph=graph, staged=staged, with_render=True, beside=beside)
            warned = [("", message) for message in report.warnings]
            search = {rel: digest_of(text.encode("utf-8")) for rel, text in self._search_files.items()}
            outputs = bm.scan_site(self.site_dir, {})
        else:
            render, gone = bm.pages_to_render(manifest, staged, digests)
            with self._search_lock:
                rendered = self.renderer.render_pages(
                    staged, render, gone, {rel: dest for rel, (_, dest) in manifest.pages.items()}, manifest.theme)
                clock = self._phase(f"rendered {len(rendered.pages)} changed pages, deleted {len(gone)}", clock)
                file_digests, written, deleted = write_digest_changed(staged.files, self.site_dir, manifest.files)
                search, found, lost = beside.write_changed(self.site_dir, manifest.search) if beside else \
                    write_digest_changed(self.search.files(build_entries(graph), graph.aliases), self.site_dir,
                                         manifest.search)
                self._phase(f"wrote {len(written)} feed and API files and {len(found)} search files", clock)
            self._attachments = dict(manifest.attachments)
            copied, gone_files = self.copy_attachments(graph)
            report = BuildReport(pages=rendered.pages, files=written + found + copied,
                                 deleted=rendered.deleted + deleted + lost + gone_files, skipped=dict(graph.skipped))
            outputs = bm.rescan_site(self.site_dir, outputs, [
                *(rendered.outputs[rel] for rel in render if rel in rendered.outputs), *gone.values(),
                "sitemap.xml", "sitemap.xml.gz", *report.files, *deleted, *lost, *gone_files])
            kept = [(rel, m) for rel, m in manifest.warnings if rel in staged.pages and rel not in render]
            warned = kept + [(_page_named(m, render), m) for m in rendered.warnings]
            report.warnings = [m for _, m in warned]
        bm.save_manifest(manifest_file, bm.Manifest(
            site_dir=site, config=config,
            pages={rel: (digests[rel], dest) for rel, dest in rendered.outputs.items() if rel in digests},
            files=file_digests if file_digests is not None else
            {rel: digest_of(text.encode("utf-8")) for rel, text in staged.files.items()},
            search=search, attachments=dict(self._attachments), warnings=warned,
            outputs=outputs, theme=rendered.theme))
        report.seconds = time.perf_counter() - start
        return report

    @property
    def search(self):
        """The writer of `site/search/` (numpy and the index code are imported only when it is needed: a build
        after an edit writes its search files in the forked process)."""
        if self._search is None:
            from .engines.search.static import StaticIndex
            self._search = StaticIndex(self.settings.language, api=self.search_api,
                                       cache=_search_cache(self.settings))
        return self._search

    def _extras(self, graph) -> list:
        return list(self.extras(graph) if callable(self.extras) else (self.extras or ()))

    def update(self, changed_paths=(), graph=None) -> BuildReport:
        """Bring the site up to date after `changed_paths` (repository-relative or absolute) changed.

        `graph`: the graph of the content as it is now, when the caller keeps one (the live server).
        """
        if graph is None:
            self.knowledge.touch(changed_paths)  # re-read just these
        if any(self.settings.is_site_config(path) for path in changed_paths):
            from .engines.mkdocs import SiteRenderer
            from .settings import load_settings
            self.settings = load_settings(self.settings.root)
            self.renderer = SiteRenderer(self.settings, self.site_dir, progress=self._progress)
            self._steps = None  # staged with the old settings
            return self._run(full=True, graph=graph)
        return self._run(full=False, graph=graph)

    def _run(self, full: bool, graph=None, staged=None, with_render: bool = False, beside=None):
        """A build or an update (BuildReport); with `with_render`, (BuildReport, RenderResult).
        `beside`: the search files a full build's caller already started computing (`_start_search`)."""
        from .stage import Reuse, snapshot, stage_site
        start = clock = time.perf_counter()
        report = BuildReport()
        if graph is None:
            graph = self.knowledge.graph
            if full:
                clock = self._phase(describe_graph(graph), clock)
        self.graph = graph
        report.skipped = dict(graph.skipped)
        if full and beside is None:
            beside = self._start_search(graph)  # the index's process, as early as possible
        if staged is None:
            with collector.paused():
                reuse = Reuse(graph, self._steps, snapshot(graph))
                staged = stage_site(graph, self.settings, [self._health_pages(graph, full), *self._extras(graph)],
                                    reuse)
                self._steps = reuse.steps  # for the next update: it stages again only what this graph changes
            if full:
                if self.settle:
                    collector.settle()  # the graph and the staged site live through rendering, and after
                clock = self._phase(f"staged {len(staged.pages)} pages and {len(staged.files)} feed and API files",
                                    clock)
        if full:
            with self._search_lock:
                rendered = self.renderer.render_all(staged)
                clock = self._phase(f"rendered {len(rendered.pages)} pages into {self.site_dir}", clock)
                self._search = None  # a new generation
                self._search_files = {}  # MkDocs cleaned the site folder
                written, deleted = self._write_search(beside.result() if beside else
                                                      self.search.files(build_entries(graph), graph.aliases))
                self._phase(f"wrote the search index: {len(self._search_files)} files", clock)
        else:
            rendered = self.renderer.render_changed(staged)
            written, deleted = self.write_search(graph) if self.search_inline else ([], [])
        if full:
            self._attachments = {}  # MkDocs cleaned the site folder
        copied, gone = self.copy_attachments(graph)
        report.pages, report.files = rendered.pages, rendered.files + written + copied
        report.deleted = rendered.deleted + deleted + gone
        report.warnings = rendered.warnings
        report.seconds = time.perf_counter() - start
        return (report, rendered) if with_render else report

    def _start_search(self, graph, known: dict[str, str] | None = None):
        """A one-off build's search index, computed in a forked process from now on (None: inline).
        `known`: {site-relative path: digest} of the search files in the site folder (a build manifest's)."""
        if not self.search_beside or len(graph.documents) + len(graph.replies) < SEARCH_BESIDE_FROM:
            return None
        return _search_beside(self.settings.language, self.search_api, graph, _search_cache(self.settings), known)

    def write_search(self, graph) -> tuple[list[str], list[str]]:
        """Bring `site/search/` up to date with `graph`: (written, deleted) site-relative paths."""
        with self._search_lock:
            return self._write_search(self.search.files(build_entries(graph), graph.aliases))

    def _write_search(self, files: dict[str, str]) -> tuple[list[str], list[str]]:
        written, deleted = write_changed(files, self.site_dir, self._search_files)
        self._search_files = files
        return written, deleted

    def copy_attachments(self, graph) -> tuple[list[str], list[str]]:
        """Copy the files beside documents that changed into the site, where their links point (their
        place under content/); remove those that are gone. Returns (written, deleted)."""
        prefix = self.settings.content_dir.rstrip("/") + "/"
        sources = {a.path.removeprefix(prefix): self.settings.root / a.path
                   for a in graph.attachments.values() if a.type and a.path.startswith(prefix)}
        self._attachments, written, deleted = copy_changed(sources, self.site_dir, self._attachments)
        return written, deleted

    def _health_pages(self, graph, full: bool):
        """The /health/ and "What wol publishes about you" pages (figures from the graph + Git history).

        Their figures read Git history (a `git blame` per votes file): a full
        build computes them, an update reuses them until `health_every`
        seconds have passed, so an edit on the live server does not wait for Git.
        """
        now = time.monotonic()
        if full or self._health is None or now - self._health[0] >= self.health_every:
            health = build_health(graph, self.knowledge.history())
            self._health = (now, stage_health(graph, self.settings, health.figures, health.verdict))
        return self._health[1]

    def _phase(self, what: str, since: float) -> float:
        now = time.perf_counter()
        self.echo(f"wol: {what} ({now - since:.1f} s)")
        return now

    def _progress(self, done: int, total: int) -> None:
        if total >= 1000 and 0 < done < total:
            self.echo(f"wol:   rendering… {done}/{total} pages")


class _Beside:
    """The search index computed in a second process while MkDocs renders in this one. It sends the files
    whose digest differs from those the site folder holds (`known`), and the digests of all: a build after
    an edit receives a few files, not the whole index (17 MB at 10,000 documents)."""

    def __init__(self, pool, future):
        self.pool, self.future = pool, future

    def result(self) -> dict[str, str]:
        """Every search file: {site-relative path: text}."""
        try:
            digests, texts = self.future.result()
            return texts if len(texts) == len(digests) else self.pool.submit(_forked_all_files).result()
        finally:
            self.pool.shutdown()

    def write_changed(self, folder: Path, previous: dict[str, str]) -> tuple[dict[str, str], list[str], list[str]]:
        """`write_digest_changed` of the search files into `folder`, which holds `previous` (digests)."""
        try:
            digests, texts = self.future.result()
            if any(previous.get(rel) != digest and rel not in texts for rel, digest in digests.items()):
                texts = self.pool.submit(_forked_all_files).result()  # `previous` is not what it was told
            return write_digest_changed(texts, folder, previous, digests)
        finally:
            self.pool.shutdown()


def _scan_beside(site_dir: Path, manifest):
    """`build_manifest.scan_site` of the folder against `manifest`'s files, in a thread of its own (a Future;
    None without a manifest). Listing 10,000 folders is system calls, which run while staging holds the GIL;
    the thread owns what it builds and only reads the manifest, which nothing changes meanwhile."""
    if manifest is None or not Path(site_dir).is_dir():
        return None
    from . import build_manifest as bm
    pool = ThreadPoolExecutor(1, thread_name_prefix="wol-scan")
    try:
        return pool.submit(bm.scan_site, site_dir, manifest.outputs)
    finally:
        pool.shutdown(wait=False)


def _search_cache(settings) -> Path:
    return settings.cache_path / "search"  # beside `wol search`'s whoosh index


_FORKED_GRAPH = None  # the graph a forked search process reads (inherited, not sent through a pipe)


def _search_beside(language: str, api, graph, cache=None, known: dict[str, str] | None = None) -> _Beside | None:
    """Start writing the search index of `graph` in a forked process, which finds the entries itself; None
    where forking is unsafe or impossible (other threads running, no fork on this system): the caller then
    computes it itself. `known`: the digests of the files the caller already has (`_Beside`)."""
    global _FORKED_GRAPH
    if threading.active_count() > 1:
        return None
    try:
        pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
        _FORKED_GRAPH = graph
        try:  # a fork context starts its worker at the first submit: it inherits the graph
            return _Beside(pool, pool.submit(_forked_search_files, language, api, cache, known or {}))
        finally:
            _FORKED_GRAPH = None
    except (ValueError, OSError):
        return None


_FORKED_FILES: dict[str, str] = {}  # in the forked process: the search files it made, for `_forked_all_files`


def _forked_search_files(language: str, api, cache, known: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """({path: digest} of every search file, {path: text} of those whose digest is not `known`'s)."""
    global _FORKED_FILES
    from .engines.search.static import StaticIndex
    graph = _FORKED_GRAPH
    _FORKED_FILES = StaticIndex(language, api=api, cache=cache).files(build_entries(graph), graph.aliases)
    digests = {rel: digest_of(text.encode("utf-8")) for rel, text in _FORKED_FILES.items()}
    return digests, {rel: _FORKED_FILES[rel] for rel, digest in digests.items() if known.get(rel) != digest}


def _forked_all_files() -> dict[str, str]:
    return _FORKED_FILES


def _page_named(message: str, pages) -> str:
    """The page a warning of MkDocs is about ("Doc file 'x.md' contains …"), or ""."""
    found = re.search(r"'([^']+\.md)'", message)
    return found.group(1) if found and found.group(1) in pages else ""


def describe_graph(graph) -> str:
    return f"read {len(graph.documents)} documents, {len(graph.people)} people, {len(graph.topics)} topics"


def build_site(settings, site_dir: str | Path | None = None, strict: bool = False, echo=_quiet,
               extras=None, clean: bool = False, manifest_for: Path | None = None,
               seed: Path | None = None, one_off: bool = False) -> BuildReport:
    """`wol build`: the whole site into `site_dir` (default `site/`), rendering only what changed since
    the last complete build into that folder (wol/build_manifest.py); `clean` forces a full build.
    `wol publish` keeps its manifest under `manifest_for` (DEST) and gives the live release as `seed`.

    Invalid documents are skipped, each named with its reason; with `strict`,
    any error in the content or warning from MkDocs fails the build (WolError).

    `one_off`: the process ends with the build (`wol build`, `wol publish` on the command line). The graph
    and the staged site then live until the end, so the cyclic garbage collector is told to stop visiting
    them (`gc.freeze`): at 10,000 documents it otherwise spends seconds walking them again and again.
    """
    start = time.perf_counter()
    knowledge = Knowledge(settings)
    with collector.paused():  # reading makes millions of objects that live on: no collection walks them meanwhile
        graph = knowledge.graph
        if one_off:
            gc.freeze()
    echo(f"wol: {describe_graph(graph)} ({time.perf_counter() - start:.1f} s)")
    if strict:
        errors = [p for p in graph.problems if p.severity == ERROR]
        for problem in errors:
            echo(problem.render())
        if errors:
            raise WolError(f"{len(errors)} error(s) in the content; not building (--strict). "
                           f"Fix them, or build without --strict to skip the invalid documents.")
    if not settings.site_url:  # feeds, the API and notifications need absolute URLs; a project path breaks
        message = (f"{settings.config_path.name}: site_url is empty: feeds and the API get no absolute URLs and a "
                   f"site served under a path (https://org.github.io/repo/) breaks; set it to the site's address")
        if strict:
            raise WolError(message + " (--strict)")
        echo(f"warning: {message}")
    builder = SiteBuilder(settings, site_dir, extras=extras, echo=echo, knowledge=knowledge, search_beside=True,
                          one_off=one_off)
    from .build_manifest import manifest_path
    report = builder.build_again(graph, manifest_path(settings, manifest_for or builder.site_dir), clean=clean,
                                 seed=seed)
    report.seconds = time.perf_counter() - start
    for path, reason in sorted(report.skipped.items()):
        echo(f"{path}: warning: skipped, not published: {reason}")
    for message in report.warnings:
        echo(f"warning: {message}")
    if strict and report.warnings:
        raise WolError(f"{len(report.warnings)} warning(s) from MkDocs (--strict)")
    echo(f"wol: built {len(report.pages)} pages and {len(report.files)} files into {builder.site_dir} "
         f"in {report.seconds:.1f} s" + (f"; skipped {len(report.skipped)} invalid document(s)"
                                         if report.skipped else ""))
    return report
