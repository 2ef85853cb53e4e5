"""`wol serve`: build the site, then serve it with the web editor, updating it as files change.

Pipeline: load settings → full build into the cache folder → start the
updater thread, the file watcher and the search indexer → serve the Flask app
with waitress (a production WSGI server) until interrupted.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from ..settings import load_settings

SITE_FOLDER = "serve-site"  # under the cache folder: the live site is not the published `site/`
THREADS = 8


def serve(root: str | Path, host: str = "127.0.0.1", port: int = 8000, identity_header: str = "",
          echo=print) -> None:
    """Serve the repository at root until interrupted (Ctrl-C)."""
    import waitress

    from ..editor import create_app
    from ..server.live import LiveSite
    from ..server.watch import watch
    from ..engines.search import SearchIndex

    settings = load_settings(root)
    header = identity_header or settings.identity_header
    site_dir = settings.cache_path / SITE_FOLDER
    search = SearchIndex(settings)  # one for the app's threads and the live site's indexing thread
    live = LiveSite(settings, site_dir, echo=echo, on_updated=search.update)
    live.start()
    threading.Thread(target=_index_quietly, args=(search, live.graph), daemon=True).start()
    sync = _check_origin(settings, echo)
    app = create_app(settings.root, settings, site_dir=site_dir, identity_header=header, live=live, host=host,
                     sync=sync, search=search)
    observer = watch(lambda: live.builder.settings, live.request)
    server = waitress.create_server(app, host=host, port=port, threads=THREADS, ident="wol",
                                    clear_untrusted_proxy_headers=True)
    url = f"http://{host}:{server.effective_port}/"
    who = f"the handle in the `{header}` header (set by your single sign-on proxy)" if header \
        else "the person whose profile email is this repository's Git user.email"
    echo(f"wol: serving {url} — write at {url}edit/ as {who}. Ctrl-C stops.")
    if not header:
        echo(_laptop_hint(settings, live.graph, url))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does
    try:
        server.run()
    except KeyboardInterrupt:
        echo("wol: stopped")
    finally:
        observer.stop()
        live.stop()


def _laptop_hint(settings, graph, url: str) -> str:
    """Who the Git user is here, or how to become someone."""
    from ..actions import person_by_email
    from ..engines.gitrepo import git_user
    user = git_user(settings.root)
    if user is None:
        return "wol: Git does not know who you are, so you can read but not write: git config user.email you@example.com"
    handle = person_by_email(graph, user.email)
    if handle is None:
        return (f"wol: no profile has your Git email {user.email}: create yours at {url}edit/ "
                f"(or, to try the editor as someone, `git config user.email` one of content/people/*.md's emails)")
    return f"wol: you are @{handle} ({graph.people[handle].name})"


def _check_origin(settings, echo) -> bool:
    """Whether writes are pulled from and pushed to origin: when there is one that we may push to."""
    from ..engines.gitrepo import has_origin, push_problem, require_repo
    require_repo(settings.root)
    if not has_origin(settings.root):
        echo("wol: no `origin` remote: each write is a commit here; push them yourself")
        return False
    problem = push_problem(settings.root)
    if problem:
        echo(f"wol: cannot push to origin ({problem}): each write is a commit here only; "
             f"push them yourself (`git push`) when you can")
        return False
    echo("wol: each write is pulled from origin first and pushed to it after")
    return True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _index_quietly(search, graph) -> None:
    try:
        search.update(graph)
    except Exception:
        logging.getLogger("wol.serve").exception("building the search index failed")
