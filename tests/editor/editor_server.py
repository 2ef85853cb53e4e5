"""Helpers for the editor's tests: the app in process or `wol serve` as a real process, a client acting as a person, Git checks."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from knowledge_base import doc, git, person, write_kb

HEADER = "X-Wol-User"


PEOPLE = {"alice": ("Alice Martin", "platform"), "bob": ("Bob Okafor", "data"),
          "carol": ("Carol Diaz", "support"), "dave": ("Dave Lin", "ops"), "erin": ("Erin Wu", "data")}

FILES = {
    "people/zoe.md": person("Zoe Former", "sales", "zoe", extra="left: 2025-01-31\n"),
    "posts/2026/kafka-retention.md": doc("Kafka retention explained", "bob", "2026-01-10",
                                         "How long #kafka keeps messages, and why @alice asked."),
    "questions/why-lag/index.md": doc("Why does the consumer lag?", "alice", "2026-02-01",
                                      "Our #kafka consumer lags after each deploy."),
    "questions/why-lag/answers/bob.md": doc(None, "bob", "2026-02-02", "Rebalancing: use static membership."),
    "questions/why-lag/answers/carol.md": doc(None, "carol", "2026-02-03", "Check the partition count."),
    **{f"posts/2026/note-{i}.md": doc(f"Note {i} on #ops", "bob", f"2026-01-0{i + 1}", f"Ops note number {i}.")
       for i in range(6)},
}


def make_kb(root: Path, email: str = "alice@example.com") -> Path:
    """The scratch knowledge base of these tests, committed, with the cache folder ignored."""
    write_kb(root, FILES, people=PEOPLE, email=email)
    (root / ".gitignore").write_text(".wol-cache/\nsite/\n", encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "ignore the cache", "--no-verify")
    return root



class Response:
    def __init__(self, status: int, body: bytes, headers):
        self.status, self.body, self.headers = status, body, headers

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class Client:
    """Acts as one person over a transport (real HTTP or the app in process); `as_(handle)` sends the identity header."""

    def __init__(self, send, handle: str | None = None):
        self.send, self.handle = send, handle
        self._tokens: dict = {}

    def as_(self, handle: str | None) -> "Client":
        other = Client(self.send, handle)
        other._tokens = self._tokens
        return other

    def request(self, method: str, path: str, data=None, headers=None, csrf: bool = True) -> Response:
        headers = dict(headers or {})
        if self.handle is not None:
            headers.setdefault(HEADER, self.handle)
        body = None
        if data is not None:
            body = json.dumps(data).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
            if csrf and method != "GET":
                headers.setdefault("X-CSRF-Token", self.token())
        return self.send(method, path.lstrip("/"), body, headers)

    def token(self) -> str:
        key = self.handle
        if key not in self._tokens:
            answer = self.get("api/session")
            self._tokens[key] = answer.json()["csrf"] if answer.status == 200 else ""
        return self._tokens[key]

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data=None, **kw):
        return self.request("POST", path, {} if data is None else data, **kw)

    def put(self, path, data=None, **kw):
        return self.request("PUT", path, {} if data is None else data, **kw)

    def delete(self, path, data=None, **kw):
        return self.request("DELETE", path, {} if data is None else data, **kw)


def over_http(base: str):
    """A transport to a server listening at base (`http://127.0.0.1:port/`)."""
    def send(method, path, body, headers) -> Response:
        req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return Response(resp.status, resp.read(), resp.headers)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read(), exc.headers)
    return send


def in_process(app):
    """A transport to a Flask app in this process (a fresh test client per request, so threads may share it)."""
    def send(method, path, body, headers) -> Response:
        path, _, query = path.partition("?")
        answer = app.test_client().open("/" + path, method=method, data=body, headers=headers,
                                        query_string=query or None)
        try:
            return Response(answer.status_code, answer.get_data(), answer.headers)
        finally:
            answer.close()
    return send


class InProcess:
    """`wol serve`'s app in this process: the live site (built, then kept up to date), watcher and search index."""

    def __init__(self, root: Path, identity_header: str | None = HEADER, sync: bool | None = None):
        from wol.commands.serve import SITE_FOLDER
        from wol.editor import create_app
        from wol.engines.search import SearchIndex
        from wol.server.live import LiveSite
        from wol.server.watch import watch
        from wol.settings import load_settings
        self.root = root
        settings = load_settings(root)
        site_dir = settings.cache_path / SITE_FOLDER
        search = SearchIndex(settings)  # shared by the app's threads and the live site's indexing, as in wol serve
        self.live = LiveSite(settings, site_dir, on_updated=search.update)
        self.live.start()
        search.update(self.live.graph)
        self.app = create_app(root, settings, site_dir=site_dir, identity_header=identity_header or "",
                              live=self.live, host="127.0.0.1", sync=sync, search=search)
        self.watcher = watch(lambda: self.live.builder.settings, self.live.request)
        self.client = Client(in_process(self.app))

    def stop(self) -> None:
        self.watcher.stop()
        self.live.stop()


class Server:
    """`wol serve` running in a subprocess against a repository."""

    def __init__(self, root: Path, identity_header: str | None, push: bool = False, background: bool = False):
        self.root = root
        args = [sys.executable, "-m", "wol", "-C", str(root), "serve", "--port", "0"] + ["--push"] * push
        if identity_header:
            args += ["--identity-header", identity_header]
        self.log = open(root.parent / f"serve-{os.getpid()}-{time.monotonic_ns()}.log", "w+", encoding="utf-8")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        # background: as a shell starts `wol serve &` without job control, with SIGINT ignored
        ignore_ctrl_c = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True, preexec_fn=ignore_ctrl_c)
        self.url = self._wait_for_url()
        self.client = Client(over_http(self.url))

    def _wait_for_url(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"wol serve exited with {self.process.returncode}:\n{self.output()}")
            found = re.search(r"serving (http://\S+/) ", self.output())
            if found:
                return found.group(1)
            time.sleep(0.1)
        raise RuntimeError(f"wol serve did not start:\n{self.output()}")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8")

    def stop(self, sig: int = signal.SIGINT) -> int | None:
        """Stop it as Ctrl-C (or `sig`) does; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def wait_for(predicate, timeout: float = 30.0, every: float = 0.1):
    """Poll until predicate() is truthy (returned); fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(every)


def git_log(root: Path, *args: str) -> list[str]:
    return git(root, "log", "--format=%an|%ae|%s", *args).splitlines()


def tree_is_clean(root: Path) -> bool:
    return git(root, "status", "--porcelain").strip() == ""


BODY = ".wol-md .cm-content"  # the Markdown component's text (the form's textarea is hidden behind it)


def write_body(page, text: str) -> None:
    """Replace the text in the editor's Markdown component, as a person typing (or pasting) would."""
    page.locator(BODY).fill(text)
