"""Graph → Markdown pages, feeds and a JSON API: the engine-free staging step.

Pure: Graph + Settings → data. No MkDocs, no Git, no disk. wol/engines/mkdocs/ hands
`pages` to MkDocs in memory and writes `files` into the built site.

Staged pages use `attr_list` (classes on bylines and chips) and `md_in_html`
(answers in `<article markdown>`): wol/engines/mkdocs/ makes sure both extensions are
enabled (REQUIRED_EXTENSIONS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .api import render_api
from .feeds import render_feeds
from .foryou import render_for_you_feeds
from .listings import render_listing_pages
from .pages import render_document_pages
from .reuse import Reuse, Steps, snapshot
from .text import StagedPage

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html")


@dataclass
class Staged:
    """What staging produced."""

    pages: dict[str, StagedPage] = field(default_factory=dict)  # docs-relative path → meta and Markdown
    files: dict[str, str] = field(default_factory=dict)  # site-relative path → text written as-is


def stage_site(graph, settings, extras: Iterable[Staged] = (), reuse: Reuse | None = None) -> Staged:
    """Every page, feed and API file of the site; `extras` (health, editor pages) are added last and win.

    `reuse`: the steps of an earlier staging to reuse where nothing they read changed (wol/stage/reuse.py);
    after the call, `reuse.steps` holds this staging's, for the next. Without it, everything is staged."""
    staged = Staged()
    staged.pages.update(render_document_pages(graph, settings, reuse))
    staged.pages.update(render_listing_pages(graph, settings, reuse))
    staged.files.update(render_feeds(graph, settings, reuse))
    staged.files.update(render_for_you_feeds(graph, settings, reuse))
    staged.files.update(render_api(graph, settings, reuse))
    for extra in extras:
        staged.pages.update(extra.pages)
        staged.files.update(extra.files)
    if settings.editor_url:  # every page's "Useful", "Answer", "Ask" lead to the editor (the theme's wol.js)
        for page in staged.pages.values():
            page.meta["wol_editor"] = settings.editor_url
    return staged


__all__ = ["Staged", "StagedPage", "stage_site", "REQUIRED_EXTENSIONS", "Reuse", "Steps", "snapshot"]
