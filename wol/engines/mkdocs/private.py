"""The MkDocs internals the incremental re-render needs, in one place; tested with MkDocs 1.6 only.

MkDocs has no public way to re-render a few pages of a built site: `build()`
renders them all. `SiteRenderer.render_changed` takes, for the pages an edit
changed, the steps `mkdocs.commands.build.build` takes for every page, with
its own functions. Material's search plugin keeps its index in
`search_index.entries`, from which the re-render drops those pages' entries.
pyproject.toml pins `mkdocs>=1.6,<1.7`; tests/engines/test_mkdocs.py fails,
naming what moved, when a release changes any of these.
"""

from __future__ import annotations

import inspect

from mkdocs.commands import build as _build
from mkdocs.structure.files import File, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

# name in mkdocs.commands.build → the leading parameters wol passes
USED = {
    "_populate_page": ("page", "config", "files"),
    "_build_page": ("page", "config", "doc_files", "nav", "env"),
    "_build_theme_template": ("template_name", "env", "files", "config", "nav"),
}


def missing() -> list[str]:
    """The names of USED that this MkDocs lacks or calls with other parameters (empty when all is well)."""
    wrong = []
    for name, parameters in USED.items():
        function = getattr(_build, name, None)
        if function is None or tuple(inspect.signature(function).parameters)[:len(parameters)] != parameters:
            wrong.append(f"mkdocs.commands.build.{name}{parameters}")
    return wrong


def prepare_build(config, theme: tuple | None = None):
    """The steps `build()` takes before it reads any page: the `config`, `pre_build`, `files` and `nav`
    events, the theme's environment, a Page for every file. Nothing is read, cleaned or written.
    `theme`: what `theme_files` gave for the same theme and MkDocs: its files are added as they are, instead of
    walking the theme's folders again (Material's hold 14,500 files, of which about 50 are kept), when the
    theme's folders are those it names (another checkout or environment has other paths).

    Returns (config, files, nav, env); the caller populates the pages it renders, then calls `on_env`."""
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    if not theme or theme[0] != tuple(config.theme.dirs):
        files.add_files_from_theme(env, config)
    else:  # as add_files_from_theme adds them: the docs' own files come first
        for path, folder in theme[1]:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    for file in files.documentation_pages():
        if file.page is None:
            Page(None, file, config)
    return config, files, nav, env


def theme_files(files, config) -> tuple:
    """(the theme's folders, ((path, folder), …) of each file `add_files_from_theme` added to `files`), for
    `prepare_build`."""
    folders = tuple(config.theme.dirs)
    return folders, tuple((f.src_uri, f.src_dir) for f in files if f.src_dir in folders)


def populate_page(page, config, files) -> None:
    """Read, convert and sanitise one page (the `pre_page` … `page_content` events), as build() does."""
    _build._populate_page(page, config, files)


def read_page(page, config, files) -> bool:
    """The first half of `populate_page` (the `pre_page` and `page_markdown` events): enough for the page's
    title in the navigation when its meta holds one. Whether it did; if not, populate it whole."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    finally:
        config._current_page = None
    return "title" in page.meta


def build_page(page, config, doc_files, nav, env) -> None:
    """Render one populated page into its template and write it (the `page_context`, `post_page` events)."""
    _build._build_page(page, config, doc_files, nav, env)


def build_sitemap(config, files, nav, env) -> None:
    """Write sitemap.xml (and .gz) again, after pages were added or removed."""
    _build._build_theme_template("sitemap.xml", env, files, config, nav)


def forget_search_entries(config, urls: set[str]) -> None:
    """Drop these pages' sections from the search plugin's index (a re-rendered page adds its own again)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if index is not None and urls:
        index.entries = [e for e in index.entries if e["location"].split("#", 1)[0] not in urls]
