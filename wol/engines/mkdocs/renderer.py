"""`SiteRenderer`: a full build through MkDocs' own `build()`, and the re-render of the pages that changed.

A full build is `mkdocs.commands.build.build(config)`, with `WolPlugin`
adding the staged pages in memory; it is serial (MkDocs renders one page
after another; docs/architecture.md says why wol does not fork around it).
The plugin keeps what the build made (config, files, nav, theme environment)
so that `render_changed` can re-render a few pages with the same steps
(`private.py`: the only MkDocs internals wol uses).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.structure.files import File, set_exclusions
from mkdocs.structure.pages import Page

from ...problems import WolError
from ..output import unlink_page, write_changed
from . import private
from .config import load_mkdocs_config

DOCS_FOLDER = "mkdocs-docs"  # under the cache folder: MkDocs' docs_dir, empty (the pages are given in memory)
TEMPLATES_FOLDER = "templates"  # under the cache folder: the theme's templates, compiled by Jinja

log = logging.getLogger("mkdocs")


@dataclass
class RenderResult:
    """What one render did: pages rendered, files written, and MkDocs' warnings."""

    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # docs-relative page → its output (dest_uri)
    theme: tuple = ()  # the theme's folders and the files of them MkDocs used (`private.theme_files`)


class SiteRenderer:
    """MkDocs' build in two entry points: `render_all` (a clean, full build) and `render_changed`.

    `render_all(staged)` must come first; afterwards `render_changed(staged)`
    may be called any number of times, from one thread at a time, with the
    complete new Staged. It re-renders only the staged pages that changed,
    removes pages no longer staged (the rest of the site stays as the last
    build wrote it; the small nav never changes), updates the search index
    for exactly those pages, and rewrites changed `files`. mkdocs.yml or
    theme changes need a new SiteRenderer.
    """

    def __init__(self, settings, site_dir: Path, progress=None):
        self.settings = settings
        self.site_dir = Path(site_dir).resolve()
        self.docs_dir = Path(settings.cache_path).resolve() / DOCS_FOLDER
        self.progress = progress or (lambda done, total: None)
        self.plugin = None
        self.pages: dict = {}  # docs-relative path → StagedPage, as last rendered
        self.site_files: dict[str, str] = {}

    @property
    def config(self):
        """MkDocs' config of the last full build (None before it)."""
        return self.plugin.config if self.plugin else None

    def _configure(self, staged):
        """MkDocs' config and wol's plugin for a build of `staged`, its startup event sent."""
        self._check_site_dir()
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        config = load_mkdocs_config(self.settings, self.site_dir, self.docs_dir, staged.pages)
        plugin = config.plugins["wol"]
        plugin.pages, plugin.progress = dict(staged.pages), self.progress
        plugin.templates_cache = Path(self.settings.cache_path) / TEMPLATES_FOLDER
        config.plugins.on_startup(command="build", dirty=False)
        return config, plugin

    def render_all(self, staged) -> RenderResult:
        """Render the whole site into a cleaned site_dir with MkDocs' `build()`, then write `files`."""
        result = RenderResult()
        with mkdocs_errors("MkDocs could not build the site") as collect:
            config, plugin = self._configure(staged)
            build(config)
            self.plugin, self.pages = plugin, plugin.pages
            result.pages = [f.src_uri for f in plugin.files.documentation_pages()]
            result.outputs = {f.src_uri: f.dest_uri for f in plugin.files.documentation_pages()}
            result.theme = private.theme_files(plugin.files, config)
            result.files, _ = write_changed(staged.files, self.site_dir, {})
            self.site_files = dict(staged.files)
        result.warnings = collect.messages
        return result

    def render_pages(self, staged, render, gone: dict[str, str], dests: dict[str, str] | None = None,
                     theme: tuple | None = None) -> RenderResult:
        """Render only the staged pages `render` into a site_dir a complete build wrote before, and
        delete `gone` (docs-relative path → the output MkDocs wrote for it); sitemap.xml is written again.

        Everything else in site_dir (theme assets, 404.html, the other pages) must be as a full build of
        the same mkdocs.yml, theme and navigation would write it: the build manifest checks that.
        Each output is replaced by a new file (never rewritten in place), so a site folder whose files
        are hard links to another release's leaves that release untouched. `staged.files` are the
        caller's to write. `dests`: the outputs of the pages that build wrote (docs-relative path → dest_uri),
        which the same config gives them again (MkDocs is told them). `theme`: the theme's files that build used (its
        `RenderResult.theme`), which the same theme and MkDocs give again."""
        dests = dests or {}
        result = RenderResult()
        with mkdocs_errors("MkDocs could not render the changed pages") as collect:
            config, plugin = self._configure(staged)
            plugin.dests = dests
            config, files, nav, env = private.prepare_build(config, theme)
            result.theme = private.theme_files(files, config)
            for dest_uri in gone.values():
                unlink_page(self.site_dir, dest_uri)
            pages = [files.get_file_from_path(rel).page for rel in sorted(render)]
            for page in pages:
                private.populate_page(page, config, files)
            for page in nav.pages:  # the navigation shows their titles: their meta has one, or they are rendered
                if page.file.src_uri not in render and not private.read_page(page, config, files):
                    private.populate_page(page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            doc_files = files.documentation_pages()
            for page in pages:
                if page.file.src_uri in render:
                    Path(page.file.abs_dest_path).unlink(missing_ok=True)
                    private.build_page(page, config, doc_files, nav, env)
                    page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (self.site_dir / name).unlink(missing_ok=True)
            private.build_sitemap(config, files, nav, env)
            config.plugins.on_post_build(config=config)
            self.plugin, self.pages = plugin, plugin.pages
            result.pages, result.deleted = sorted(render), sorted(gone)
            result.outputs = {f.src_uri: f.dest_uri for f in files.documentation_pages()}
        result.warnings = collect.messages
        return result

    def render_changed(self, staged) -> RenderResult:
        """Re-render only the pages whose staged page changed; see the class docstring."""
        if self.plugin is None:
            return self.render_all(staged)
        result = RenderResult()
        plugin = self.plugin
        config, files = plugin.config, plugin.files
        with mkdocs_errors("MkDocs could not render the changed pages") as collect:
            changed = [rel for rel, page in staged.pages.items() if self.pages.get(rel) != page]
            deleted = [rel for rel in self.pages if rel not in staged.pages]
            self.pages = plugin.pages = dict(staged.pages)
            gone = set()
            for rel in deleted:
                file = files.get_file_from_path(rel)
                if file is not None:
                    files.remove(file)
                    gone.add(file.url)
                    unlink_page(self.site_dir, file.dest_uri)
            pages, added = [], False
            for rel in changed:
                file = files.get_file_from_path(rel)
                if file is None:
                    file = File.generated(config, rel, content=self.pages[rel].markdown)
                    files.append(file)
                    added = True
                else:
                    file.content_string = self.pages[rel].markdown
                pages.append(file.page or Page(None, file, config))
            if added:
                set_exclusions(files, config)
            doc_files = files.documentation_pages()
            for page in pages:
                private.populate_page(page, config, files)
            private.forget_search_entries(config, gone | {page.url for page in pages})
            for page in pages:
                private.build_page(page, config, doc_files, plugin.nav, plugin.env)
            if changed or deleted:
                if deleted or added:
                    private.build_sitemap(config, files, plugin.nav, plugin.env)
                config.plugins.on_post_build(config=config)
            result.pages, result.deleted = changed, deleted
            result.files, removed = write_changed(staged.files, self.site_dir, self.site_files)
            result.deleted += removed
            self.site_files = dict(staged.files)
        result.warnings = collect.messages
        return result

    def _check_site_dir(self) -> None:
        """Refuse a site folder whose cleaning would delete the knowledge itself."""
        root = Path(self.settings.root).resolve()
        site = self.site_dir
        precious = [root / ".git", Path(self.settings.content_path).resolve(), self.docs_dir]
        if site == root or site in root.parents or any(site == p or p.is_relative_to(site) or
                                                       site.is_relative_to(p) for p in precious):
            raise WolError(f"{site}: refusing to write the site there: building cleans that folder first, "
                           f"and it holds (or is inside) the repository's content. Choose another --site-dir.")


@contextmanager
def mkdocs_errors(what: str):
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


def _reason(exc: Exception, collect: _Collect) -> str:
    """MkDocs logs which page failed ("Error reading page 'x.md': …") before it raises; prefer that."""
    said = [m for m in collect.messages if m.startswith(("Error reading page", "Error building page"))]
    return said[-1] if said else f"{type(exc).__name__}: {exc}"
