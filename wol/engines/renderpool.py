"""Markdown rendered in worker processes with a time limit, so one hostile text never stalls others.

`wol/content/parse.py` refuses the runs of markup known to cost minutes; this
bounds the rest. A render that takes longer than `RENDER_SECONDS` is stopped
(pebble kills its worker process and starts another): the editor's preview
answers 422 for it, and every reader of the content (`knowledge.py`:
`wol check`, the editor's save, the build, the live server) takes the
document for an error. Each body is checked once: the digests of bodies that
rendered in time are kept in the cache folder, so later runs check only
what changed. Workers are started by a fork server, never forked from the
threads of `wol serve`.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from ..content.cachefiles import ensure_cache_dir
from ..problems import ERROR, Problem

RENDER_SECONDS = 5.0  # one text: a normal document renders in about a millisecond
WORKERS = 2
BATCH = 64  # bodies a build sends to a worker at once: a normal one takes about a millisecond
CACHE_NAME = "renders-in-time.json"
# Only a body with many of the characters Python-Markdown's slow paths feed on, or a very long one, can take
# long: below both, the worst measured (400 `[`) renders in 0.1 s, so such bodies are not sent to the workers.
RISKY_MARKS, MARKS = 400, "[`<*_"
RISKY_CHARS = 100_000
_MARK_BYTES = MARKS.encode("ascii")

_pool = None  # pebble's ProcessPool, imported and started when a body first needs it (asyncio comes with it)
_pool_lock = threading.Lock()


class TooSlowToRender(Exception):
    """The text took longer than `seconds` to render; its worker was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"this text takes too long to render (more than {seconds:g} s)")
        self.seconds = seconds


def _workers():
    global _pool
    from pebble import ProcessPool
    with _pool_lock:
        if _pool is None or not _pool.active:
            _pool = ProcessPool(max_workers=WORKERS, context=multiprocessing.get_context("forkserver"))
        return _pool


def render_within(text: str, extensions=(), configs=None, seconds: float | None = None) -> str:
    """`markdown_to_html(text, …)` in a worker process; TooSlowToRender after `seconds`."""
    seconds = RENDER_SECONDS if seconds is None else seconds
    future = _workers().schedule(_render, args=(text, tuple(extensions), configs or {}), timeout=seconds)
    try:
        return future.result()
    except FutureTimeout:
        raise TooSlowToRender(seconds) from None


def _render(text: str, extensions: tuple, configs: dict) -> str:
    """In a worker: the HTML of one body (Markdown is imported there, not by `wol check` in the parent)."""
    from ..stage.html import markdown_to_html
    return markdown_to_html(text, extensions, configs)


def _render_all(texts: list[str], extensions: tuple, configs: dict) -> int:
    from ..stage.html import markdown_to_html
    for text in texts:
        try:
            markdown_to_html(text, extensions, configs)
        except Exception:  # not a matter of time: the build itself reports it
            pass
    return len(texts)


def find_slow_renders(settings, content, seconds: float | None = None, only=None) -> dict[str, Problem]:
    """The files of content (of `only`, paths from the repository root, when given) whose body takes longer
    than `seconds` to render, each as an error naming it.

    Bodies are sent in batches; a batch that runs out of time is tried again one body at a time.
    """
    seconds = RENDER_SECONDS if seconds is None else seconds
    extensions, configs = tuple(settings.markdown_extensions), settings.mdx_configs or {}
    salt = json.dumps([extensions, configs], sort_keys=True, default=str).encode()
    items = [*content.documents.values(), *content.people.values(), *content.topic_files.values()]
    bodies = {}  # digest → (path, body line, body)
    for item in items:
        if (only is None or item.path in only) and could_be_slow(item.body) and not item.body.isspace():
            digest = hashlib.sha256(salt + item.body.encode("utf-8", "surrogatepass")).hexdigest()
            bodies.setdefault(digest, (item.path, item.body_line, item.body))
    cache = Path(settings.cache_path) / CACHE_NAME
    known = _read_digests(cache)
    unknown = [d for d in bodies if d not in known]
    slow: dict[str, Problem] = {}
    if unknown:
        pool = _workers()
        batches = [unknown[i:i + BATCH] for i in range(0, len(unknown), BATCH)]
        futures = [(batch, pool.schedule(_render_all, args=([bodies[d][2] for d in batch], extensions, configs),
                                         timeout=seconds)) for batch in batches]
        for batch, future in futures:
            try:
                future.result()
                continue
            except FutureTimeout:
                pass
            except Exception:  # a worker that died (out of memory): each body of the batch on its own
                pass
            for digest in batch:  # one of them is slow: which?
                path, line, body = bodies[digest]
                try:
                    render_within(body, extensions, configs, seconds)
                except Exception as exc:
                    if not isinstance(exc, TooSlowToRender):
                        continue  # not a matter of time: the build itself reports it
                    slow[path] = Problem(path, line, ERROR, "render-too-slow",
                                         f"{exc}; it is not published: simplify its markup (long runs of "
                                         f"brackets, backticks or nested lists) or split it")
    fine = {d for d in bodies if bodies[d][0] not in slow}
    if only is not None:  # a few files judged: the digests of the others stay
        fine |= known
    if unknown or fine != known:
        _write_digests(cache, fine)
    return slow


def could_be_slow(body: str) -> bool:
    """Whether a body may take long to render: very long, or dense with markup (see RISKY_MARKS)."""
    if len(body) <= RISKY_MARKS:  # too short to hold that many marks
        return False
    if len(body) > RISKY_CHARS:
        return True
    data = body.encode("utf-8", "surrogatepass")  # the marks are ASCII: one byte each, in no other character
    return len(data) - len(data.translate(None, _MARK_BYTES)) > RISKY_MARKS


def _read_digests(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return set(data) if isinstance(data, list) else set()
    except (OSError, ValueError):  # missing or broken: check everything again
        return set()


def _write_digests(path: Path, digests: set[str]) -> None:
    try:
        ensure_cache_dir(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(sorted(digests)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # only a cache: the next build checks again
