"""The built site at `/`: static files from the site folder, HTML pages with the live script added.

The live script (static/live.js) polls /api/changes and reloads the page when
the site changed it, and adds the page's editing links (edit, answer, accept).
Routes of the API and the editor are matched first; `/api/*.json` files of the
static site are served from here. Files beside documents (wol/content/attachments.py)
get their allow-listed type, a sandboxing policy, and, but for images,
`Content-Disposition: attachment`, so none is ever run as a page.
"""

from __future__ import annotations

import html
import mimetypes
import time
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for
from werkzeug.security import safe_join

from ..content.filetypes import TYPES, suffix_of

blueprint = Blueprint("files", __name__)


@blueprint.get("/", defaults={"path": ""})
@blueprint.get("/<path:path>")
def site_file(path: str):
    ed = current_app.extensions["wol"]
    site_dir = ed.live.serving if ed.live is not None else ed.site_dir  # the previous site while building
    found = find_file(site_dir, path)
    if found is None:
        if path.startswith("api/"):
            abort(404)  # answered as JSON (api.http_error)
        missing = site_dir / "404.html"
        if missing.is_file():
            return _html(missing, ed, status=404)
        abort(404)
    if found.is_dir():  # /posts/x without the slash: relative links need it
        query = f"?{request.query_string.decode()}" if request.query_string else ""
        return current_app.redirect(f"{request.script_root}/{path.rstrip('/')}/{query}", 301)
    if found.suffix == ".html":
        return _html(found, ed)
    kind = TYPES.get(suffix_of(found.name))
    response = send_file(found, mimetype=kind or mimetypes.guess_type(found.name)[0], conditional=True, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    if kind is not None:  # a file beside a document: shown or saved, never run as a page
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        if not kind.startswith("image/"):
            response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return response


def find_file(site_dir: Path, path: str) -> Path | None:
    """The file for a URL path inside the site folder (a folder means its index.html); never outside it."""
    joined = safe_join(str(site_dir), path) if path else str(site_dir)
    if joined is None:
        return None
    target = Path(joined)
    if target.is_dir():
        index = target / "index.html"
        if index.is_file():
            return index if path == "" or path.endswith("/") else target
        return None
    return target if target.is_file() else None


def _read_whole(path: Path, tries: int = 25) -> str | None:
    """The page's text; MkDocs writes pages in place, so a page read mid-write is read again."""
    for _ in range(tries):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if "</html>" in text[-200:]:
            return text
        time.sleep(0.02)
    return text


def _html(path: Path, ed, status: int = 200) -> Response:
    version = ed.live.version if ed.live is not None else 0  # before reading: never newer than the text
    text = _read_whole(path)
    if text is None:
        abort(404)
    script = (f'<script src="{html.escape(url_for("static", filename="live.js"))}" '
              f'data-root="{html.escape(request.script_root)}/" data-version="{version}" defer></script>')
    at = text.rfind("</body>")
    text = text[:at] + script + text[at:] if at >= 0 else text + script
    response = Response(text, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response
