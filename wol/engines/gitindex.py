"""Git's index beside HEAD, read with Git's own plumbing commands (for the pre-commit hook).

Paths are relative to `root` (the knowledge repository, which may be a folder of a bigger one).

`engines/gitrepo` reads and writes through GitPython; importing it costs a
tenth of a second and its index reader parses every entry in Python. The
pre-commit hook runs on every commit, so it reads only what it needs with
three `git` commands: the index's blob ids (`ls-files -s`), what the commit
changes (`diff --cached --raw`) and the blobs themselves (`cat-file --batch`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..problems import WolError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # what a first commit is compared with


@dataclass(frozen=True)
class StagedChange:
    """One path the next commit adds (`A`), changes (`M`, `T`) or deletes (`D`); its blob at HEAD, if any."""

    path: str
    status: str
    before: str | None


def _git(root, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True)
    except OSError as exc:
        raise WolError(f"cannot run git: {exc.strerror}") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"]
        raise WolError(f"git {args[0]} in {root}: {message[0]}")
    return done.stdout


def index_blobs(root: str | Path, under: str) -> dict[str, str]:
    """{path: blob id} of every file Git's index holds under a folder (what the next commit contains)."""
    blobs = {}
    for record in _git(root, "ls-files", "-s", "-z", "--", under).split(b"\0"):
        if not record:
            continue
        head, path = record.split(b"\t", 1)
        _mode, sha, stage = head.split(b" ")
        if stage in (b"0", b"2"):  # during a merge, stage 2 is ours
            blobs[path.decode("utf-8", "surrogateescape")] = sha.decode()
    return blobs


def staged_changes(root: str | Path, under: str) -> list[StagedChange]:
    """What the next commit changes under a folder, against HEAD (or nothing, before the first commit)."""
    try:
        _git(root, "rev-parse", "--verify", "-q", "HEAD")
        base = "HEAD"
    except WolError:
        base = EMPTY_TREE
    out = _git(root, "diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--relative", base,
               "--", under)
    fields = out.split(b"\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        if not meta.startswith(b":"):
            continue
        _old_mode, _new_mode, old, _new, status = meta[1:].decode().split(" ")
        changes.append(StagedChange(path.decode("utf-8", "surrogateescape"), status[0],
                                    None if set(old) == {"0"} else old))
    return changes


def worktree_differs(root: str | Path, under: str) -> set[str]:
    """Paths under a folder whose file on disk may differ from Git's index (by their stat, as Git sees it)."""
    out = _git(root, "diff-files", "--name-only", "-z", "--relative", "--", under)
    return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}


def read_blobs(root: str | Path, shas) -> dict[str, bytes]:
    """{blob id: bytes} of these blobs, in one `git cat-file --batch`."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in wanted).encode())
    blobs, at = {}, 0
    for sha in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        if header[-1] == b"missing":
            raise WolError(f"git cat-file in {root}: the blob {sha} is missing from the repository")
        size = int(header[2])
        blobs[sha] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1
    return blobs


def head_state(root: str | Path) -> tuple[str, str | None]:
    """(how much history there is: `full`, `shallow` or `none`; HEAD's sha, or None without a repository or
    a commit), from one `git rev-parse`: a build whose history is cached need not import GitPython."""
    from ..health.history import FULL, NO_HISTORY, SHALLOW  # (with Babel: not for the pre-commit hook)
    root = Path(root)
    if not (root / ".git").exists():  # as GitPython's Repo(root) without searching the folders above
        return NO_HISTORY, None
    try:
        done = subprocess.run(["git", "rev-parse", "--git-dir", "--verify", "-q", "HEAD^{commit}"], cwd=root,
                              capture_output=True, text=True)
    except OSError:
        return NO_HISTORY, None
    lines = done.stdout.split()
    if done.returncode or len(lines) != 2:
        return NO_HISTORY, None
    git_dir, head = lines
    return (SHALLOW if (root / git_dir / "shallow").exists() else FULL), head
