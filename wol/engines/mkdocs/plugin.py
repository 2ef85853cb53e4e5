"""`WolPlugin`: wol's hooks into MkDocs' build, all through MkDocs' public events.

- `on_files` adds the staged pages, in memory (`File.generated`), in the order
  MkDocs would have found them in a docs folder;
- `on_page_markdown` gives each its staged front matter (`page.meta`, read by
  `page.title`, Material and wol's theme) as data, never as text to parse;
- `on_page_content` sanitises every page's HTML before anything else reads it;
- `on_env` adds the template filters of wol's theme and its words in the site's language
  (`{{ _("…") }}` in wol's templates reads wol's own catalogue, wol/i18n.py).
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from datetime import date
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from ...i18n import ENGLISH, Translator
from ...stage.html import sanitise
from ...stage.scripts import script_words
from ...stage.text import format_date, markdown_at_hand

ESCAPED_META = ("title", "description", "author")  # Material prints these unescaped
UNSEARCHED_KINDS = ("home", "questions", "topics", "people")  # listings: search finds what they list
LISTED_KINDS = ("topic", "person")  # searchable for their description, not for the documents they list

_USEFUL = re.compile(r'<div class="wol-useful"(?:\s+data-[a-z-]+="[^"<>&]*")+\s*>\s*</div>')
_DATA_ID = re.compile(r'data-id="([^"]*)"')
_LIST = re.compile(r"<(ul|ol)([\s>])")


def _owned_prefixes(own: str) -> tuple:
    """Prefixes of the ids whose controls a page holds besides its own: its answers and replies."""
    return own + "/answers/", own + "/replies/", own + ".replies/"


def walk_order(src_uri: str) -> list:
    """Sort key: the order of `mkdocs.structure.files.get_files` (a sorted os.walk, `index` first in a folder)."""
    *folders, name = src_uri.split("/")
    return [(1, folder) for folder in folders] + [(0, name.rsplit(".", 1)[0] not in ("index", "README"), name)]


class WolPlugin(BasePlugin):
    """Hands MkDocs the staged pages, and makes what readers see safe.

    `pages` ({docs-relative path: StagedPage}) is set by the renderer before
    each build or re-render. The HTML of every page goes through `sanitise`,
    and the meta fields Material prints unescaped are escaped. (Staged pages
    whose header the theme renders carry no title or byline of their own.)

    The `.wol-useful` placeholders (data attributes the sanitiser would drop)
    of the page's own document, its answers and replies are set aside before
    sanitising and put back after; their attribute values cannot contain
    quotes or angle brackets. Any other (a user's imitation) is sanitised.

    What the build made is kept for the incremental re-render: `config`,
    `files`, `nav` (from `on_nav`) and `env` (from `on_env`).
    """

    def __init__(self, words: Translator = ENGLISH):
        self.words = words
        self.nonce = secrets.token_hex(8)
        self.pages = {}
        self.dests = {}  # docs-relative page → its output, where an earlier build of the same config wrote it
        self.progress = lambda done, total: None
        self.config = self.files = self.nav = self.env = None
        self.templates_cache = None  # a folder for the theme's compiled templates (set by the renderer)
        self._built = 0

    @event_priority(100)  # before other plugins look at the files
    def on_files(self, files, *, config):
        for src_uri in sorted(self.pages, key=walk_order):  # a kept page not read is not unpickled for its File:
            # `on_page_markdown` gives every page its Markdown from the staged page
            file = File.generated(config, src_uri, content=markdown_at_hand(self.pages[src_uri]))
            dest = self.dests.get(src_uri)
            if dest is not None:  # what MkDocs would work out again, 6 µs a page
                file.dest_uri = dest
            files.append(file)
        return files

    @event_priority(-100)  # the navigation as the other plugins left it
    def on_nav(self, nav, *, config, files):
        self.config, self.files, self.nav = config, files, nav
        return nav

    @event_priority(100)  # before other plugins read the page's meta
    def on_page_markdown(self, markdown, *, page, config, files):
        staged = self.pages.get(page.file.src_uri)
        if staged is not None:
            page.meta = dict(staged.meta)  # a copy: the lines below must not change the staged page
            markdown = staged.markdown  # MkDocs' reader may have taken a body's first `key: value` lines for meta
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

    @event_priority(100)  # before anything else reads the content (search, other plugins)
    def on_page_content(self, content, *, page, config, files):
        kept = []
        own = str(page.meta.get("wol_id") or "\0")

        def keep(match):
            target = _DATA_ID.search(match.group(0))
            if not target or not (target.group(1) == own or target.group(1).startswith(_owned_prefixes(own))):
                return match.group(0)  # a control for another page: written by a user, sanitised inert
            kept.append(match.group(0))
            return f"WOLKEEP{self.nonce}N{len(kept) - 1}E"

        clean = sanitise(_USEFUL.sub(keep, content))
        clean = re.sub(rf"WOLKEEP{self.nonce}N(\d+)E", lambda m: kept[int(m.group(1))], clean)
        if page.meta.get("wol_kind") in LISTED_KINDS:
            clean = _LIST.sub(r'<\1 data-search-exclude="1"\2', clean)
        return clean

    @event_priority(-100)
    def on_env(self, env, *, config, files):
        words = self.words
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(words.catalogue, newstyle=True)
        env.filters["wol_date"] = lambda value: _date(value, words)
        env.globals["wol_words"] = script_words(words)
        env.globals["wol_dir"] = words.direction
        env.filters["wol_initials"] = initials
        env.filters["wol_feed_name"] = lambda title: re.sub(r"\s*\([^()]*\)\s*$", "", str(title))
        if self.templates_cache is not None:
            env.bytecode_cache = templates_cache(env, self.templates_cache)
        self.env = env
        return env

    def on_post_page(self, output, *, page, config):
        self._built += 1
        if self._built % 250 == 0:
            self.progress(self._built, len(self.pages))
        return output

    def on_post_build(self, *, config):
        self._built = 0


def templates_cache(env, folder) -> FileSystemBytecodeCache:
    """Jinja's cache of compiled templates, so that a process does not compile the theme again (a
    quarter of a second). Jinja keys each template by its name and file and checks its source's digest;
    the subfolder is named after the settings that change how a template compiles (its extensions,
    its delimiters), which that key does not hold."""
    compiled_by = repr((sorted(env.extensions), env.block_start_string, env.variable_start_string,
                        env.comment_start_string, env.line_statement_prefix, env.trim_blocks,
                        getattr(env.autoescape, "__qualname__", env.autoescape)))
    where = Path(folder) / hashlib.sha256(compiled_by.encode()).hexdigest()[:16]
    where.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(where))


def _date(value, words: Translator) -> str:
    """`2026-03-05T09:30:00Z` (or a date/datetime) → `5 March 2026`, `5 mars 2026` (escaped)."""
    text = str(value)
    try:
        return html.escape(format_date(date.fromisoformat(text[:10]), words))
    except ValueError:
        return html.escape(text)


def initials(name) -> str:
    """`Alice Martin` → `AM`, for the avatar circle (escaped)."""
    words = [w for w in re.split(r"[\s._-]+", str(name)) if w]
    return html.escape("".join(w[0] for w in words[:2]).upper() or "?")
