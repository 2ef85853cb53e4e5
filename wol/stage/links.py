"""Where each staged page lives, and the relative links between pages.

Pages link to each other by relative paths to their `.md` files, so MkDocs
validates and rewrites them and the site works under any base path. Feeds and
the JSON API, read outside the site, use URLs from the site root instead.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from ..content.document import is_reply_id, reply_anchor, reply_target
from ..derive.graph import url_of

_INDEX_NAMES = ("index", "README")  # MkDocs makes these a folder's index page


def page_of(item_id: str) -> str:
    """The docs-relative `.md` path of the page of a document, person (`people/h`) or topic (`topics/t`).

    An answer lives on its question's page. A name MkDocs would treat as a
    folder index (`index`, `README`) gets a folder of its own, so the page's
    URL stays `<id>/` as `graph.url_of` says.
    """
    if is_reply_id(item_id):
        item_id = reply_target(item_id)
    if "/answers/" in item_id:
        item_id = item_id.split("/answers/", 1)[0]
    if item_id.rsplit("/", 1)[-1] in _INDEX_NAMES:
        return f"{item_id}/index.md"
    return f"{item_id}.md"


def anchor_of(item_id: str) -> str:
    """The anchor of an answer or a reply on its page ('' for anything else)."""
    if is_reply_id(item_id):
        return reply_anchor(item_id)
    return item_id.split("/answers/", 1)[1] if "/answers/" in item_id else ""


def topic_page(tag: str) -> str:
    return page_of(f"topics/{tag}")


def person_page(handle: str) -> str:
    return page_of(f"people/{handle}")


@lru_cache(maxsize=4096)
def _folder_info(from_page: str) -> tuple[str, str, str]:
    """(folder with a trailing slash, `../` back to the root, first folder) of a page."""
    folder = posixpath.dirname(from_page)
    if not folder:
        return "", "", ""
    return folder + "/", "../" * (folder.count("/") + 1), folder.split("/", 1)[0] + "/"


@lru_cache(maxsize=16384)
def _relative(from_folder: str, to_page: str) -> str:
    # posixpath.relpath without its os.getcwd() call: both paths are docs-relative and normalised
    start = from_folder.rstrip("/").split("/")
    target = to_page.split("/")
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


_SAFE = re.compile(r"[\w./-]*", re.ASCII).fullmatch  # nothing to quote


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative, URL-quoted link from one staged page to another (and an anchor on it)."""
    folder, up, top = _folder_info(from_page)
    if not folder:
        path = to_page
    elif to_page.startswith(folder):
        path = to_page[len(folder):]
    elif not to_page.startswith(top):
        path = up + to_page
    else:
        path = _relative(folder, to_page)
    if not _SAFE(path):
        path = quote(path)
    if anchor:
        path += "#" + (anchor if _SAFE(anchor) else quote(anchor))
    return path


def href_to(from_page: str, item_id: str) -> str:
    """A relative link from a staged page to the page (and anchor) of a document, person or topic."""
    return href(from_page, page_of(item_id), anchor_of(item_id))


def folder_of(item_id: str) -> str:
    """The site-relative folder of an item's page, where its feeds live: `topics/kafka/`."""
    return url_of(item_id)


def site_root(settings) -> str:
    """Absolute URL of the site root from `site_url` (`https://wiki.example/kb/`), else `/`."""
    url = settings.site_url.strip()
    return url.rstrip("/") + "/" if url else "/"


def site_path(settings) -> str:
    """The path part of the site root: `/kb/` for `https://wiki.example/kb/`, else `/`."""
    path = urlsplit(settings.site_url.strip()).path if settings.site_url.strip() else "/"
    return path.rstrip("/") + "/"


@lru_cache(maxsize=65536)
def url_from_root(root: str, item_id: str) -> str:
    """`root` + the item's site-relative URL, quoted: `/questions/q/#dana`."""
    return root + quote(url_of(item_id), safe="/#")


def url_of_page(md_path: str) -> str:
    """A staged page's site-relative URL: `index.md` → ``, `a/index.md` → `a/`, `a/b.md` → `a/b/`."""
    path = md_path.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("/index") + "/"


def relative_url(from_page: str, site_path: str) -> str:
    """A URL-quoted link from a staged page's URL to a file of the site (raw HTML: MkDocs does not rewrite it)."""
    folder = url_of_page(from_page).rstrip("/")
    return quote(posixpath.relpath(site_path, folder or "."))
