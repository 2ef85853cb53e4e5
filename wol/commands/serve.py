"""`wol serve`: build the site, then serve it with the web editor, updating it as files change.

Pipeline: load settings → full build into the cache folder → start the
updater thread, the file watcher and the search indexer → serve the Flask app
with waitress (a production WSGI server) until interrupted. When an earlier run
left a complete site, it is served at once while the full build runs behind it
(docs/speed.md).
"""

from __future__ import annotations

import errno
import logging
import socket
import signal
import threading
from pathlib import Path

from ..problems import WolError
from ..settings import load_settings

SITE_FOLDER = "serve-site"  # under the cache folder: the live site is not the published `site/`
THREADS = 8


def serve(root: str | Path, host: str = "127.0.0.1", port: int = 8000, identity_header: str = "",
          push: bool = False, echo=print) -> None:
    """Serve the repository at root until interrupted (Ctrl-C)."""
    import waitress

    from ..editor import create_app
    from ..server.live import LiveSite, keep_previous_site
    from ..server.watch import watch
    from ..engines.search import SearchIndex

    settings = load_settings(root)
    _repair(settings, echo)  # before building: every write is a commit
    sock = _bind(host, port)  # before building too: a port in use is one line at once
    header = identity_header or settings.identity_header
    site_dir = settings.cache_path / SITE_FOLDER
    search = SearchIndex(settings)  # one for the app's threads and the live site's indexing thread
    live = LiveSite(settings, site_dir, echo=echo, on_updated=search.update)
    previous = keep_previous_site(site_dir)
    if previous is not None:
        echo("wol: serving the site of the last run while the site is built again")
    live.start(previous)
    threading.Thread(target=_index_quietly, args=(search, live), daemon=True).start()
    sync = _check_origin(settings, echo) if push or settings.push else _say_local(echo)
    app = create_app(settings.root, settings, site_dir=site_dir, identity_header=header, live=live, host=host,
                     sync=sync, search=search)
    observer = watch(lambda: live.builder.settings, live.request)
    server = waitress.create_server(app, sockets=[sock], threads=THREADS, ident="wol",
                                    clear_untrusted_proxy_headers=True)
    url = f"http://{host}:{sock.getsockname()[1]}/"
    who = f"the handle in the `{header}` header (set by your single sign-on proxy)" if header \
        else "the person whose profile email is this repository's Git user.email"
    echo(f"wol: serving {url} — write at {url}edit/ as {who}. Ctrl-C stops.")
    if not header:  # it needs the graph (a second at 10,000 documents): said once the pages are served
        threading.Thread(target=lambda: echo(_laptop_hint(settings, live.graph, url)), daemon=True).start()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # `kill` stops it as Ctrl-C does; and Ctrl-C stops it even when its shell started it in the background,
    # which sets SIGINT to be ignored (a script's `wol serve &`, a CI job)
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _interrupt)
    try:
        server.run()  # waitress returns on Ctrl-C (it catches KeyboardInterrupt itself)
    except KeyboardInterrupt:
        pass
    finally:
        echo("wol: stopped")
        observer.stop()
        live.stop()


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a WolError saying what to do instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=1024)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise WolError(f"port {port} on {host} is in use (another wol serve?): stop it, "
                           f"or choose another with --port") from None
        raise WolError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _repair(settings, echo) -> None:
    """Refuse a folder that is not a Git repository; repair what a crash left (a lock, a rebase, a write
    interrupted before its commit); say the rest.

    The live server owns its working copy: at start, any lock file is one a crash left.
    """
    from ..commit import recover_interrupted_writes
    from ..engines import gitrepo
    root, content_dir = settings.root, settings.content_dir
    gitrepo.require_repo(root)
    for repaired in (gitrepo.clear_stale_lock(root, older_than=0), gitrepo.abort_unfinished_rebase(root)):
        if repaired:
            echo(f"wol: {repaired}")
    problem = gitrepo.write_problem(root)
    if problem:
        echo(f"wol: writes are refused until this is fixed: {problem}")
        return
    for tmp in Path(root, content_dir).rglob(".*.wol-tmp"):  # half of an atomic write a crash interrupted
        tmp.unlink(missing_ok=True)
    for said in recover_interrupted_writes(settings):
        echo(f"wol: {said}")
    left = gitrepo.uncommitted(root, content_dir)
    if left:
        echo(f"wol: {len(left)} file(s) in {content_dir}/ are not committed (a write interrupted by a crash, or "
             f"an edit by hand); they are kept and shown as they are: commit or delete them "
             f"({', '.join(left[:3])}{', …' if len(left) > 3 else ''})")


def _laptop_hint(settings, graph, url: str) -> str:
    """Who the Git user is here, or how to become someone."""
    from ..commit import person_by_email
    from ..commit import no_git_user
    from ..engines.gitrepo import git_user
    user = git_user(settings.root)
    if user is None:
        return f"wol: you can read but not write: {no_git_user()}"
    handle = person_by_email(graph, user.email)
    if handle is None:
        return (f"wol: no profile has your Git email {user.email}: create yours at {url}edit/ "
                f"(or, to try the editor as someone, `git config user.email` one of content/people/*.md's emails)")
    return f"wol: you are @{handle} ({graph.people[handle].name})"


def _say_local(echo) -> bool:
    echo("wol: each write is a commit here, not pushed: start with --push (or set wol.push: true) "
         "to pull from and push to origin")
    return False


def _check_origin(settings, echo) -> bool:
    """Whether writes are pulled from and pushed to origin: when there is one that we may push to."""
    from ..engines.gitrepo import has_origin, push_problem
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


def _index_quietly(search, live) -> None:
    try:
        search.update(live.graph)
    except Exception:
        logging.getLogger("wol.serve").exception("building the search index failed")
