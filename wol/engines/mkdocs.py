"""Staged pages → the HTML site, rendered by MkDocs with Material: the only module that drives MkDocs.

`SiteRenderer` runs the steps of `mkdocs/commands/build.py` (files → nav →
pages → theme → write) itself, so that it can keep MkDocs' state (config,
Files, nav, Jinja environment, the search index) between builds and re-render
only the pages whose staged Markdown changed.

The theme: wol's templates and assets ship inside the package
(`wol/resources/theme/`, the single source of truth). A repository's own
`theme/` folder (or `theme.custom_dir` in mkdocs.yml) holds only the company's
overrides and is searched first; wol's theme comes next, Material last.
"""

from __future__ import annotations

from contextlib import contextmanager

import functools
import html
import json
import logging
import multiprocessing
import os
import re
import secrets
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's MkDocs-2 banner, printed on import

from mkdocs import utils as mkdocs_utils  # noqa: E402
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import MkDocsException  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402
from mkdocs.structure.files import File, get_files, set_exclusions  # noqa: E402
from mkdocs.structure.nav import get_navigation  # noqa: E402
from mkdocs.structure import pages as mkdocs_pages  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
import markdown  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402
from mkdocs.utils.yaml import get_yaml_loader, yaml_load  # noqa: E402

from ..problems import WolError  # noqa: E402
from ..stage import REQUIRED_EXTENSIONS  # noqa: E402
from ..stage.html import sanitise  # noqa: E402

PACKAGED_THEME = Path(__file__).parents[1] / "resources" / "theme"
DOCS_FOLDER = "docs"  # under the cache folder: where staged pages are written for MkDocs
NAV = (("Home", "index.md"), ("Questions", "questions/index.md"),
       ("Topics", "topics/index.md"), ("People", "people/index.md"),
       ("Health", "health/index.md"), ("Your data", "about/privacy.md"))  # the last two: wol/health/page.py
ESCAPED_META = ("title", "description", "author")  # Material prints these unescaped
UNSEARCHED_KINDS = ("home", "questions", "topics", "people")  # listings: search finds what they list
LISTED_KINDS = ("topic", "person")  # searchable for their description, not for the documents they list

log = logging.getLogger("mkdocs")


# -- configuration -----------------------------------------------------------------------------

def load_mkdocs_config(settings, site_dir: Path, docs_dir: Path, pages=(), strict: bool = False) -> MkDocsConfig:
    """The repository's mkdocs.yml without `wol:`, pointed at the staged pages, with wol's theme and nav.

    Read with MkDocs' own YAML loader, so `!ENV`, `!relative` and `INHERIT` keep
    working. A missing or broken file is a WolError naming the file and line.
    """
    path = Path(settings.config_path)
    if not path.is_file():
        raise WolError(f"{path}: not found. Run wol in the root of a knowledge repository.")
    config = MkDocsConfig(config_file_path=str(path))
    try:
        with open(path, "rb") as fd:
            data = yaml_load(fd, get_yaml_loader(config=config))
    except MkDocsException as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise WolError(f"{path}:{match.group(1) if match else 0}: {exc}") from None
    if not isinstance(data, dict):
        raise WolError(f"{path}:1: must be a mapping of settings (key: value)")
    data.pop("wol", None)
    theme = data.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    company = settings.theme_path if settings.theme_path.is_dir() else None
    theme["custom_dir"] = str(company or PACKAGED_THEME)
    theme.setdefault("font", False)  # system fonts: an intranet site makes no requests to Google Fonts
    data["theme"] = theme
    extensions = data.get("markdown_extensions") or []
    named = {e if isinstance(e, str) else next(iter(e), None) for e in extensions}
    data["markdown_extensions"] = extensions + [e for e in REQUIRED_EXTENSIONS if e not in named]
    data.update(docs_dir=str(docs_dir), site_dir=str(site_dir), strict=strict,
                nav=[{title: page} for title, page in NAV if page in pages])
    config.load_dict(data)
    errors, warnings = config.validate()
    if errors:
        key, error = errors[0]
        raise WolError(f"{path}:{_line_of_key(path, key)}: {key}: {error}")
    for key, warning in warnings:
        log.warning(f"{path}:{_line_of_key(path, key)}: {key}: {warning}")
    if company:
        config.theme.dirs.insert(1, str(PACKAGED_THEME))
    config.plugins["wol"] = WolPlugin()
    return config


def _line_of_key(path: Path, key: str) -> int:
    top = key.split(".")[0]
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if re.match(rf"{re.escape(top)}\s*:", line):
            return number
    return 0


# -- sanitising --------------------------------------------------------------------------------

_USEFUL = re.compile(r'<div class="wol-useful"(?:\s+data-[a-z-]+="[^"<>&]*")+\s*>\s*</div>')
_DATA_ID = re.compile(r'data-id="([^"]*)"')
_LIST = re.compile(r"<(ul|ol)([\s>])")


class WolPlugin(BasePlugin):
    """wol's hooks into MkDocs: sanitising, and the template filters of wol's theme.

    Makes what readers see safe: page HTML goes through `sanitise`, and the
    meta fields Material prints unescaped are escaped. (Staged pages whose
    header the theme renders carry no title or byline of their own.)

    The `.wol-useful` placeholders (data attributes the sanitiser would drop)
    of the page's own document and its answers are set aside before
    sanitising and put back after; their attribute values cannot contain
    quotes or angle brackets. Any other (a user's imitation) is sanitised.
    """

    def __init__(self):
        self.nonce = secrets.token_hex(8)

    def on_page_markdown(self, markdown, *, page, config, files):
        if page.meta.get("wol_kind") in UNSEARCHED_KINDS:
            page.meta.setdefault("search", {"exclude": True})
        if "navigation.tabs" in (config.theme.get("features") or []):
            hide = page.meta.get("hide")
            hide = list(hide) if isinstance(hide, list) else []
            page.meta["hide"] = hide + ["navigation"] * ("navigation" not in hide)  # the tabs are the nav
        for key in ESCAPED_META:
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        return markdown

    def on_env(self, env, *, config, files):
        env.filters["wol_date"] = format_date
        env.filters["wol_initials"] = initials
        env.filters["wol_feed_name"] = lambda title: re.sub(r"\s*\([^()]*\)\s*$", "", str(title))
        return env

    @event_priority(100)  # before anything else reads the content (search, other plugins)
    def on_page_content(self, content, *, page, config, files):
        kept = []
        own = str(page.meta.get("wol_id") or "\0")

        def keep(match):
            target = _DATA_ID.search(match.group(0))
            if not target or not (target.group(1) == own or target.group(1).startswith(own + "/answers/")):
                return match.group(0)  # a control for another page: written by a user, sanitised inert
            kept.append(match.group(0))
            return f"WOLKEEP{self.nonce}N{len(kept) - 1}E"

        clean = sanitise(_USEFUL.sub(keep, content))
        clean = re.sub(rf"WOLKEEP{self.nonce}N(\d+)E", lambda m: kept[int(m.group(1))], clean)
        if page.meta.get("wol_kind") in LISTED_KINDS:
            clean = _LIST.sub(r'<\1 data-search-exclude="1"\2', clean)
        return clean


def format_date(value) -> str:
    """`2026-03-05T09:30:00Z` (or a date/datetime) → `5 March 2026`."""
    text = str(value)
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return html.escape(text)
    year, month, day = (int(g) for g in match.groups())
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{day} {months[month - 1]} {year}" if 1 <= month <= 12 else html.escape(text)


def initials(name) -> str:
    """`Alice Martin` → `AM`, for the avatar circle (escaped)."""
    words = [w for w in re.split(r"[\s._-]+", str(name)) if w]
    return html.escape("".join(w[0] for w in words[:2]).upper() or "?")


# -- staged pages and files on disk ------------------------------------------------------------

def write_changed(texts: dict[str, str], folder: Path, previous: dict[str, str] | None = None,
                  delete_stale: bool = True) -> tuple[list[str], list[str]]:
    """Write each text whose content changed (mtimes of the others stay); delete files no longer staged.

    `previous` is what the folder is known to hold (skips reading it back);
    returns (written, deleted) relative paths.
    """
    folder = Path(folder)
    written = []
    for rel, text in texts.items():
        target = folder / rel
        if previous is not None:
            if previous.get(rel) == text:  # trusted: this process wrote it
                continue
        else:
            try:
                if target.read_text(encoding="utf-8") == text:
                    continue
            except (OSError, UnicodeDecodeError):
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.wol-tmp")  # readers of a served site never see half a file
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        written.append(rel)
    deleted = []
    if delete_stale:
        known = previous.keys() if previous is not None else _walk(folder)
        for rel in sorted(set(known) - set(texts)):
            try:
                (folder / rel).unlink()
                deleted.append(rel)
            except FileNotFoundError:
                pass
        _remove_empty_dirs(folder)
    return written, deleted


def _walk(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [str(p.relative_to(folder)).replace(os.sep, "/") for p in folder.rglob("*") if p.is_file()]


def _remove_empty_dirs(folder: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        if dirpath != str(folder) and not os.listdir(dirpath):
            os.rmdir(dirpath)


# -- rendering ---------------------------------------------------------------------------------

PARALLEL_PAGES = 400  # below this, forking costs more than it saves


def build_workers(pages: int) -> int:
    """How many processes render a full build: WOL_BUILD_WORKERS, else one per CPU (at most 4)."""
    configured = os.environ.get("WOL_BUILD_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    if pages < PARALLEL_PAGES or not sys.platform.startswith("linux"):  # fork is safe on Linux only
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))

@dataclass
class RenderResult:
    """What one render did: pages rendered, files written, and MkDocs' warnings."""

    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@contextmanager
def _mkdocs_errors(what: str):
    """Collect MkDocs' log messages while rendering; any engine error becomes one WolError."""
    collect = _Collect()
    log.addHandler(collect)
    try:
        yield collect
    except WolError:
        raise
    except Exception as exc:
        raise WolError(f"{what}: {_reason(exc, collect)}") from None
    finally:
        log.removeHandler(collect)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class SiteRenderer:
    """MkDocs' build in two entry points: `render_all` (a clean, full build) and `render_changed`.

    `render_all(staged)` must come first; afterwards `render_changed(staged)`
    may be called any number of times, from one thread at a time, with the
    complete new Staged. It writes the staged pages whose text changed, removes
    pages no longer staged, re-renders only the changed pages (the rest of the
    site stays as the last build wrote it; the small nav never changes), updates
    the search index for exactly those pages, and rewrites changed `files`.
    mkdocs.yml or theme changes need a new SiteRenderer.
    """

    def __init__(self, settings, site_dir: Path, strict: bool = False, progress=None):
        self.settings = settings
        self.site_dir = Path(site_dir).resolve()
        self.docs_dir = Path(settings.cache_path).resolve() / DOCS_FOLDER
        self.strict = strict
        self.progress = progress or (lambda done, total: None)
        self.config = self.files = self.nav = self.env = None
        self.pages: dict[str, str] = {}
        self.site_files: dict[str, str] = {}
        self._markdown = None  # one Python-Markdown instance per process, reset for each page

    def render_all(self, staged) -> RenderResult:
        """Write the staged pages, render the whole site into a cleaned site_dir, then write `files`."""
        result = RenderResult()
        with _mkdocs_errors("MkDocs could not build the site") as collect:
            self._check_site_dir()
            self.docs_dir.mkdir(parents=True, exist_ok=True)
            write_changed(staged.pages, self.docs_dir)
            self.pages = dict(staged.pages)
            config = load_mkdocs_config(self.settings, self.site_dir, self.docs_dir, staged.pages, self.strict)
            config.plugins.on_startup(command="build", dirty=False)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            mkdocs_utils.clean_directory(str(self.site_dir))
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
            doc_files = files.documentation_pages()
            for file in doc_files:
                self._share_markdown(file.page or Page(None, file, config))
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files()
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            self.config, self.files, self.nav, self.env = config, files, nav, env
            self._render_pages(doc_files, collect)
            self.progress(len(doc_files), len(doc_files))
            config.plugins.on_post_build(config=config)
            result.pages = [f.src_uri for f in doc_files]
            result.files, _ = write_changed(staged.files, self.site_dir, {}, delete_stale=False)
            self.site_files = dict(staged.files)
        result.warnings = collect.messages
        return result

    def render_changed(self, staged) -> RenderResult:
        """Re-render only the pages whose staged text changed; see the class docstring."""
        if self.config is None:
            return self.render_all(staged)
        result = RenderResult()
        config, files = self.config, self.files
        with _mkdocs_errors("MkDocs could not render the changed pages") as collect:
            written, deleted = write_changed(staged.pages, self.docs_dir, self.pages)
            added = [rel for rel in written if rel not in self.pages]
            self.pages = dict(staged.pages)
            search = self._search_index()
            gone = set()
            for rel in deleted:
                file = files.get_file_from_path(rel)
                if file is not None:
                    files.remove(file)
                    gone.add(file.url)
                    _unlink_page(self.site_dir, file.dest_uri)
            for rel in added:
                if files.get_file_from_path(rel) is None:
                    files.append(File(rel, str(self.docs_dir), str(self.site_dir), config.use_directory_urls))
            if added:
                set_exclusions(files, config)
            pages = []
            for rel in written:
                file = files.get_file_from_path(rel)
                pages.append(self._share_markdown(file.page or Page(None, file, config)))
            doc_files = files.documentation_pages()
            for page in pages:
                _populate_page(page, config, files)
            self._forget(search, gone | {page.url for page in pages})
            for page in pages:
                _build_page(page, config, doc_files, self.nav, self.env)
            if written or deleted:
                if deleted or added:
                    _build_theme_template("sitemap.xml", self.env, files, config, self.nav)
                config.plugins.on_post_build(config=config)
            result.pages, result.deleted = written, deleted
            result.files, removed = write_changed(staged.files, self.site_dir, self.site_files)
            result.deleted += removed
            self.site_files = dict(staged.files)
        result.warnings = collect.messages
        return result

    def _render_pages(self, doc_files, collect) -> None:
        """Read, convert and write every page; on a multi-core machine, in forked worker processes.

        Pages are independent once config, files, nav and theme are set up
        (the nav's titles are explicit), so each worker renders every n-th
        page and sends back its search entries and warnings; the index is
        merged in page order, as a serial build would write it.
        """
        # forking a process whose other threads may hold locks (a live server) is unsafe
        workers = build_workers(len(doc_files)) if threading.active_count() == 1 else 1
        chunks = [doc_files[i::workers] for i in range(workers)]
        if workers == 1:
            self._render_chunk(chunks[0], doc_files, progress=True)
            return
        context = multiprocessing.get_context("fork")
        children = []
        for chunk in chunks[1:]:
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=self._render_in_child, args=(chunk, doc_files, collect, send),
                                      daemon=True)
            process.start()
            send.close()
            children.append((process, receive))
        entries = self._render_chunk(chunks[0], doc_files, progress=True, scale=workers)
        failures = []
        for process, receive in children:
            try:
                kind, value, warnings = receive.recv()
            except EOFError:
                kind, value, warnings = "error", "a rendering process stopped unexpectedly", []
            process.join()
            collect.messages.extend(warnings)
            if kind == "error":
                failures.append(value)
            else:
                entries.update(value)
        if failures:
            raise WolError(f"MkDocs could not build the site: {failures[0]}")
        search = self._search_index()
        if search is not None:
            search.entries = [e for f in doc_files for e in entries.get(f.src_uri, ())]

    def _render_in_child(self, chunk, doc_files, collect, send) -> None:
        before = len(collect.messages)
        try:
            result = ("ok", self._render_chunk(chunk, doc_files), collect.messages[before:])
        except Exception as exc:  # sent to the parent, which stops the build with it
            result = ("error", _reason(exc, collect), collect.messages[before:])
        send.send(result)
        send.close()

    def _render_chunk(self, chunk, doc_files, progress: bool = False, scale: int = 1) -> dict:
        """Populate and build some pages; their search entries by page (src_uri)."""
        search = self._search_index()
        entries = {}
        for done, file in enumerate(chunk):
            start = len(search.entries) if search is not None else 0
            _populate_page(file.page, self.config, self.files)
            _build_page(file.page, self.config, doc_files, self.nav, self.env)
            if search is not None:
                entries[file.src_uri] = search.entries[start:]
            if progress and done % 250 == 0:
                self.progress(min(done * scale, len(doc_files)), len(doc_files))
        return entries

    def _share_markdown(self, page: Page) -> Page:
        """Let the page read its staged text from memory and convert with this renderer's Markdown instance."""
        page.read_source = functools.partial(self._read_source, page)
        page.render = functools.partial(self._render_markdown, page)
        return page

    def _read_source(self, page: Page, config) -> None:
        """`Page.read_source` of MkDocs 1.6, with a staged page's front matter read as wol wrote it.

        MkDocs reads front matter with PyYAML, a third of a millisecond a page;
        wol's is one `key: <JSON>` a line (stage/text.py), which `json` reads
        into the same values. Anything else (another plugin's source, a
        hand-written page) goes through MkDocs' own reader.
        """
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            parsed = parse_staged(self.pages.get(page.file.src_uri))
            if parsed is not None:
                page.markdown, page.meta = parsed
                return
            source = page.file.content_string
        page.markdown, page.meta = get_data(source)

    def _render_markdown(self, page: Page, config, files) -> None:
        """`Page.render` of MkDocs 1.6, reusing one Markdown instance instead of building one per page.

        Building Python-Markdown with the extensions of mkdocs.yml costs about
        a third of a millisecond, a seventh of converting a typical page;
        `reset()` clears every extension's per-document state, and the four
        per-page processors replace the previous page's (same names). The
        output is identical to MkDocs' own (tests/site checks a whole site).
        """
        if self._markdown is None:
            self._markdown = markdown.Markdown(extensions=config["markdown_extensions"],
                                               extension_configs=config["mdx_configs"] or {})
        md = self._markdown
        md.reset()
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors

    def _check_site_dir(self) -> None:
        """Refuse a site folder whose cleaning would delete the knowledge itself."""
        root = Path(self.settings.root).resolve()
        site = self.site_dir
        precious = [root / ".git", Path(self.settings.content_path).resolve(), self.docs_dir]
        if site == root or site in root.parents or any(site == p or p.is_relative_to(site) or
                                                       site.is_relative_to(p) for p in precious):
            raise WolError(f"{site}: refusing to write the site there: building cleans that folder first, "
                           f"and it holds (or is inside) the repository's content. Choose another --site-dir.")

    def _search_index(self):
        plugin = self.config.plugins.get("material/search") or self.config.plugins.get("search")
        return getattr(plugin, "search_index", None)

    @staticmethod
    def _forget(search, urls: set[str]) -> None:
        """Drop pages' sections from the search index (a rendered page adds its own again)."""
        if search is None or not hasattr(search, "entries") or not urls:
            return
        search.entries = [e for e in search.entries if e["location"].split("#", 1)[0] not in urls]


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # keys YAML would not read as text


def parse_staged(text: str | None) -> tuple[str, dict] | None:
    """(Markdown, front matter) of a page staged by `render_page` (`key: <JSON>` lines); None if not that form."""
    if text is None or not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    meta = {}
    for line in text[4:end].split("\n"):
        key, colon, value = line.partition(": ")
        if not colon or not key.isidentifier() or key.lower() in _YAML_WORDS:
            return None
        try:
            meta[key] = json.loads(value)
        except ValueError:
            return None
    return text[end + 5:].lstrip("\n"), meta


def _reason(exc: Exception, collect: _Collect) -> str:
    """MkDocs logs which page failed ("Error reading page 'x.md': …") before it raises; prefer that."""
    said = [m for m in collect.messages if m.startswith(("Error reading page", "Error building page"))]
    return said[-1] if said else f"{type(exc).__name__}: {exc}"


def _unlink_page(site_dir: Path, dest_uri: str) -> None:
    path = site_dir / dest_uri
    try:
        path.unlink()
        if path.parent != site_dir and not any(path.parent.iterdir()):
            path.parent.rmdir()
    except OSError:
        pass
