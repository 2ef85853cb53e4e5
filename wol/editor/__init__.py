"""The web editor and live server (`wol serve`): a Flask app that receives a repository and its settings.

`create_app` wires the parts together, holding no module-level state:

- `../server/files.py` the built site at `/` (with a small script that reloads pages when they change)
- `pages.py`   the editor's forms under `/edit/…`
- `api.py`     the JSON API under `/api/…` (the forms and the theme's "useful" control use it)
- `writer.py`  every write: one lock, checked, one Git commit by the acting person, pushed
- `changes.py` what each write changes in which file
- `identity.py` who is acting (SSO header or Git user) and CSRF tokens
The live site it writes to (`wol/server/`: the updater and the file watcher) knows nothing of the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request

from ..i18n import translator
from ..settings import Settings, load_settings
from .identity import Csrf, Who, is_local_host
from .writer import Writer


@dataclass
class Editor:
    """What the app's views share: settings, who is acting, the writer and the live site."""

    settings: Settings
    who: Who
    csrf: Csrf
    writer: Writer
    live: object  # live.LiveSite, or None when only the editor is served (tests of the API alone)
    site_dir: Path
    search: object  # engines.search.SearchIndex, shared with the live site's indexing thread

    def graph(self):
        """The graph of the content as it is now."""
        return self.writer.knowledge.current()[1]

    def content(self):
        return self.writer.knowledge.current()[0]

    def publish(self, paths, ids=(), timeout: float = 60.0) -> int:
        """Ask the live site to show changed files (on the pages of `ids`) and wait until it does.

        Returns the site's version then (0 without a live site)."""
        if self.live is None:
            self.writer.knowledge.touch(paths)
            return 0
        self.live.wait(self.live.request(paths, ids), timeout)
        return self.live.version


def create_app(root: str | Path, settings: Settings | None = None, *, site_dir: str | Path,
               identity_header: str = "", live=None, secret: bytes | None = None, host: str = "",
               sync: bool | None = None, search=None) -> Flask:
    """The Flask app for one knowledge repository: site, editor pages and JSON API.

    `host`: the name the server listens on; without an identity header (a laptop)
    only requests addressed to it, to `localhost` or to an IP address are answered.
    `sync`: pull from and push to origin around each write (None: when there is an origin).
    `search`: the SearchIndex the live site updates (None: the app opens its own).
    """
    from . import api, pages
    from ..engines.search import SearchIndex
    from ..server import files
    settings = settings or load_settings(root)
    app = Flask(__name__, static_folder="static", static_url_path="/edit/static")
    app.config.update(JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=request_limit(settings))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # The editor's words in the site's language: installed once here (the env is shared by every thread).
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_translations(translator(settings.locale).catalogue, newstyle=True)
    app.extensions["wol"] = Editor(settings=settings, who=Who(identity_header or settings.identity_header,
                                                               str(settings.root), settings.identity_name_header,
                                                               settings.identity_email_header, settings.locale),
                                   csrf=Csrf(secret),
                                   writer=Writer(settings, live.knowledge if live is not None else None, sync,
                                                 holding=live.writing if live is not None else None),
                                   live=live,
                                   site_dir=Path(site_dir).resolve(),
                                   search=search or SearchIndex(settings))
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(files.blueprint)  # last: its catch-all route serves the site
    app.register_error_handler(Exception, api.http_error)
    app.after_request(_protect)
    if not app.extensions["wol"].who.header:
        @app.before_request
        def only_local_names():
            if not is_local_host(request.host, host):
                return (f"wol serve answers only to localhost or an IP address on a laptop, not {request.host}: "
                        f"behind a proxy, run it with --identity-header.\n", 403, {"Content-Type": "text/plain"})
    return app


# No other site may frame these pages (a click there would write here), nor may a browser guess types.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _protect(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def request_limit(settings: Settings) -> int:
    """Bytes a request may carry: 2 MB of text, or room for uploads of `wol.attachment_max_mb` (base64)."""
    return max(2 * 1024 * 1024, settings.attachment_max_bytes * 4 // 3 + 1024 * 1024)


def editor_of(app: Flask) -> Editor:
    return app.extensions["wol"]
