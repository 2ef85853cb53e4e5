"""The one road for a change: check it as `wol check` would → write it → commit it as the person → roll back.

A `Change` is the new text of some files under content/ (None deletes one)
with a commit message. Whoever builds it — the editor's forms, `wol vote`,
`wol new`, `wol forget` — hands it to `apply_change`, which
1. parses the changed files and derives the graph with them, refusing the
   change (`Invalid`, 422) when it brings an error `wol check` would report:
   an error in a changed file (a body too slow to render among them), or a
   new error elsewhere (a deleted profile leaving posts without an author);
2. writes the files (each to a temporary file renamed over it), never
   leaving content/ and never overwriting a file a `create` change expected
   to be new;
3. commits exactly those paths as one commit authored by the person;
4. on any failure puts every file back as it was.
While a change is being written and committed, a journal in the cache folder
holds what its files held before; a crash (kill -9) leaves it behind, and
`recover_interrupted_writes` (at `wol serve`'s start) puts those files back,
keeping the unacknowledged text in `.wol-cache/recovered/`.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .content.document import Content, VOTES
from .content.attachments import find_attachment_problems
from .content.cachefiles import ensure_cache_dir
from .content.load import parse_bytes, replace_files
from .content.parse import parse_file
from .content.write import inside
from .derive.graph import Graph
from .engines import gitrepo
from .knowledge import derive, without_slow_renders
from .problems import ERROR, Problem, Refused, WolError
from .settings import Settings


@dataclass(frozen=True)
class Change:
    """New texts of files under content/ (`/`-separated paths relative to it; bytes for an attachment;
    None deletes), and what to tell Git."""

    files: dict[str, str | bytes | None]
    message: str
    id: str = ""  # the document or person it changes, if one
    create: bool = False  # new files: never overwrite one
    extra: dict = field(default_factory=dict)  # what the editor answers besides (e.g. the accepted answer)

    @property
    def relpath(self) -> str:
        """The first (for most changes, the only) file."""
        return next(iter(self.files))


def one_file(relpath: str, text: str, message: str, id: str = "", create: bool = False, **extra) -> Change:
    return Change({relpath: text}, message, id, create, extra)


class Invalid(Refused):
    """The change would not pass `wol check`: the problems say why (422)."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(f"{first.message} (line {first.line})" if first.line else first.message, 422)
        self.problems = problems


@dataclass
class Checked:
    """A change judged as `wol check` would: its problems, and the content and graph with it."""

    errors: list[Problem]
    warnings: list[Problem]
    content: Content
    graph: Graph | None  # None when only votes files changed: the caller's graph catches up lazily


@dataclass
class Written:
    """What `apply_change` did: the commit (None when not committing, or nothing changed), the change, the check."""

    commit: str | None
    change: Change
    checked: Checked

    @property
    def warnings(self) -> list[Problem]:
        return self.checked.warnings


def check_change(settings: Settings, content: Content, graph: Graph, change: Change) -> Checked:
    """The pre-commit hook's checks on content with this change, in process.

    A change of votes files only is judged by parsing them: the graph's vote
    rules (`judge_vote`) already decided whether the vote counts, and
    re-deriving the whole graph for every vote would make votes slow.
    """
    prefix = settings.content_dir.rstrip("/")
    paths = {f"{prefix}/{rel}" for rel in change.files}
    parsed = {f"{prefix}/{rel}": parse_bytes(rel, text, f"{prefix}/{rel}") if isinstance(text, bytes)
              else parse_file(rel, text.replace("\r\n", "\n"), f"{prefix}/{rel}")
              for rel, text in change.files.items() if text is not None}
    gone = [f"{prefix}/{rel}" for rel, text in change.files.items() if text is None]
    new = without_slow_renders(settings, replace_files(content, parsed, gone), only=set(parsed))
    if all(rel.startswith(VOTES + "/") for rel in change.files):
        mine = sorted({p for _, (_, problems) in parsed.items() for p in problems})
        return Checked([p for p in mine if p.severity == ERROR], [p for p in mine if p.severity != ERROR], new, None)
    new_graph = derive(new)
    before = {_without_line(p) for p in graph.problems if p.severity == ERROR}
    mine = sorted({p for p in new_graph.problems if p.path in paths}
                  | set(find_attachment_problems(new, settings.attachment_max_bytes, only=paths)))
    errors = mine + sorted({p for p in new_graph.problems if p.severity == ERROR and p.path not in paths
                            and _without_line(p) not in before})
    return Checked([p for p in errors if p.severity == ERROR], [p for p in mine if p.severity != ERROR],
                   new, new_graph)


def _without_line(problem: Problem) -> tuple:
    return problem.path, problem.code, problem.message  # lines move when a file above changes


def apply_change(settings: Settings, content: Content, graph: Graph, change: Change,
                 author: gitrepo.Identity | None, commit: bool = True) -> Written:
    """Check, write and (with `commit`) commit the change as `author`; on failure, the files are as they were."""
    checked = check_change(settings, content, graph, change)
    if checked.errors:
        raise Invalid(checked.errors)
    if is_unchanged(settings, change):
        return Written(None, change, checked)  # saved as it was: nothing to commit
    journal = _open_journal(settings, change) if commit else None
    try:
        undo = write_files(settings, change)
        try:
            sha = commit_files(settings, change, author) if commit else None
        except BaseException:
            undo()
            raise
    finally:
        if journal is not None:
            journal.unlink(missing_ok=True)
    return Written(sha, change, checked)


JOURNAL, RECOVERED = "writes", "recovered"  # folders of the cache: writes in progress, texts a crash interrupted


def _open_journal(settings: Settings, change: Change) -> Path | None:
    """Record what the change's files hold now, until it is committed or undone (None: nothing to record)."""
    base = settings.content_path.resolve()
    before = {}
    for rel in change.files:
        try:
            path = inside(base, rel)
        except WolError:
            return None  # write_files refuses the change
        before[rel] = base64.b64encode(path.read_bytes()).decode() if path.is_file() else None
    try:
        folder = ensure_cache_dir(Path(settings.cache_path)) / JOURNAL
        folder.mkdir(exist_ok=True)
        journal = folder / f"{os.getpid()}-{threading.get_ident()}-{time.time_ns()}.json"
        _write_atomically(journal, json.dumps({"before": before}).encode())
        return journal
    except OSError:
        return None  # without a journal a crash leaves the files for `wol serve` to name at its start


def recover_interrupted_writes(settings: Settings) -> list[str]:
    """Undo the writes a crash interrupted before their commit (their journals are left); say what was done.

    A file that differs from HEAD is put back as it was before the write, and its
    unacknowledged text is kept under `.wol-cache/recovered/`: nothing is lost,
    and nothing uncommitted is published. Journals of a live process are left alone.
    """
    folder = Path(settings.cache_path) / JOURNAL
    said = []
    for journal in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        pid = journal.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        try:
            before = json.loads(journal.read_text(encoding="utf-8"))["before"]
        except (OSError, ValueError, KeyError, TypeError):
            journal.unlink(missing_ok=True)
            continue
        prefix = settings.content_dir.rstrip("/")
        try:
            head = gitrepo.blobs_at(settings.root, "HEAD", [f"{prefix}/{rel}" for rel in before])
        except WolError:
            head = {}  # no commit yet
        keep = Path(settings.cache_path) / RECOVERED / journal.stem
        for rel, old in before.items():
            path = settings.content_path / rel
            now = path.read_bytes() if path.is_file() else None
            if now == head.get(f"{prefix}/{rel}"):
                continue  # committed (or never written)
            if now is not None:
                (keep / rel).parent.mkdir(parents=True, exist_ok=True)
                (keep / rel).write_bytes(now)
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(path, base64.b64decode(old))
            kept = f"; its text is kept in {keep.relative_to(settings.root) / rel}" if now is not None else ""
            said.append(f"a write of {prefix}/{rel} interrupted before its commit was undone{kept}")
        journal.unlink(missing_ok=True)
    return said


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_unchanged(settings: Settings, change: Change) -> bool:
    """Whether content/ already holds exactly what the change would write."""
    for rel, text in change.files.items():
        path = settings.content_path / rel
        if text is None:
            if path.exists():
                return False
        elif not path.is_file() or path.read_bytes() != _bytes(text):
            return False
    return True


def write_files(settings: Settings, change: Change):
    """Write (or delete) the change's files inside content/; returns a function that puts them back."""
    base = settings.content_path.resolve()
    targets = {}
    for rel in change.files:
        try:
            targets[rel] = inside(base, rel)
        except WolError as exc:
            raise Refused(str(exc), 400) from None
    old = {rel: path.read_bytes() if path.is_file() else None for rel, path in targets.items()}
    if change.create:
        taken = [rel for rel, data in old.items() if data is not None]
        if taken:
            raise Refused(f"{settings.content_dir}/{taken[0]} exists already; nothing was overwritten", 409)
    created: list[Path] = []

    def undo() -> None:
        for rel, path in targets.items():
            if old[rel] is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(path, old[rel])
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                pass
        _prune_empty(base, [path.parent for rel, path in targets.items() if change.files[rel] is None])

    try:
        for rel, path in targets.items():
            text = change.files[rel]
            if text is None:
                path.unlink(missing_ok=True)
                continue
            created += _missing_parents(path.parent, base)
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, _bytes(text))
        _prune_empty(base, [path.parent for rel, path in targets.items() if change.files[rel] is None])
    except BaseException:
        undo()
        raise
    return undo


def commit_files(settings: Settings, change: Change, author: gitrepo.Identity | None) -> str:
    """Commit exactly the change's paths, as author (None: the Git user); return the sha."""
    prefix = settings.content_dir.rstrip("/")
    return gitrepo.commit_paths(settings.root, [f"{prefix}/{rel}" for rel in change.files], change.message, author)


def person_by_email(graph: Graph, email: str) -> str | None:
    """The handle whose profile has this e-mail address (case-insensitive), if any."""
    email = (email or "").strip().lower()
    for handle, person in graph.people.items():
        if person.email.strip().lower() == email:
            return handle
    return None


def identity_of(graph: Graph, handle: str) -> gitrepo.Identity:
    """The Git identity a person's commits carry: their profile's name and e-mail."""
    person = graph.people[handle]
    return gitrepo.Identity(person.name, person.email)


def git_person(settings: Settings, graph: Graph) -> str:
    """The person the Git user is, by user.email; a WolError saying how to fix it if nobody."""
    user = require_git_user(settings)
    handle = person_by_email(graph, user.email)
    if handle is None:
        raise WolError(f"no profile has the email {user.email} (your Git user.email); "
                       f"create yours with `wol new profile`")
    return handle


def require_git_user(settings: Settings) -> gitrepo.Identity:
    """The Git user (user.name, user.email); a WolError saying how to set it when there is none."""
    user = gitrepo.git_user(settings.root)
    if user is None:
        raise WolError(no_git_user())
    return user


def no_git_user(scope: str = "") -> str:
    """The one message for a missing Git identity; `scope` is `--global` where the repository has none yet."""
    return f"Git does not know who you are: run `git config {scope + ' ' if scope else ''}user.email you@company.example`"


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers (the watcher, a build) see the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.wol-tmp")  # hidden: content readers skip it
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _missing_parents(folder: Path, base: Path) -> list[Path]:
    """The folders between base and folder that do not exist yet, deepest first."""
    missing = []
    while folder != base and base in folder.parents and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def _prune_empty(base: Path, folders) -> None:
    """Remove folders left empty by deletions (up to, not including, content/)."""
    for folder in sorted(set(folders), key=lambda f: len(f.parts), reverse=True):
        while folder != base and base in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
