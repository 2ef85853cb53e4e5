"""The only module that imports GitPython: read the index and history, commit.

Writes are serialised by a process-wide lock plus Git's own index lock, so
concurrent callers (the web editor's threads) never interleave two commits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import git

from ..problems import WolError

_WRITE_LOCK = threading.RLock()


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


def init_repo(root: str | Path, branch: str = "main") -> None:
    """`git init` a new repository whose first branch is `branch`."""
    try:
        git.Repo.init(str(root), initial_branch=branch)
    except git.GitCommandError as exc:
        raise WolError(f"git init failed in {root}: {exc.stderr.strip()}") from None


def open_repo(root: str | Path) -> git.Repo | None:
    """The Git repository at root, or None when root is not in one."""
    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def require_repo(root: str | Path) -> git.Repo:
    repo = open_repo(root)
    if repo is None:
        raise WolError(f"{root} is not a Git repository (run `git init` there, or `wol init DIR` for a new one)")
    return repo


def git_user(root: str | Path) -> Identity | None:
    """The Git user configured for the repository (user.name, user.email), if any."""
    cmd = git.Git(str(root))

    def get(key):
        try:
            return cmd.config("--get", key).strip()
        except git.GitCommandError:
            return ""

    email = get("user.email")
    return Identity(get("user.name") or email, email) if email else None


def last_authors(root: str | Path, under: str, changing: str | None = None) -> dict[str, Identity]:
    """For each file under a folder, the author of the last commit that touched it.

    With `changing` (a regex), only commits that added or removed a line
    matching it count (git log -G), e.g. the last change of `accepted:`.
    """
    repo = open_repo(root)
    if repo is None:
        return {}
    pickaxe = [f"-G{changing}"] if changing else []
    try:
        out = repo.git.log("--format=%x00%an%x00%ae", "--name-only", "--no-renames", *pickaxe, "--", under)
    except git.GitCommandError:
        return {}
    result: dict[str, Identity] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, name, email = line.split("\x00")
            current = Identity(name, email)
        elif line.strip() and current and line not in result:
            result[line] = current
    return result


def commit_paths(root: str | Path, paths: list[str], message: str, author: Identity | None = None) -> str:
    """Stage the given paths (added, changed or deleted) and commit them alone; return the sha."""
    repo = require_repo(root)
    with _WRITE_LOCK:
        existing = [p for p in paths if (Path(repo.working_tree_dir) / p).exists()]
        gone = [p for p in paths if p not in existing]
        args = ["-m", message, "--"] + list(paths)
        env = {}
        if author:
            env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
                   "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
        try:
            if existing:
                repo.git.add("--", *existing)
            if gone:
                repo.git.rm("--cached", "--ignore-unmatch", "-q", "--", *gone)
            repo.git.commit("--no-verify", *args, env=env)
        except git.GitCommandError as exc:
            _unstage(repo, paths)
            raise WolError(f"git commit failed: {exc.stderr.strip() or exc.stdout.strip()}") from None
        return repo.head.commit.hexsha


def _unstage(repo: git.Repo, paths) -> None:
    """After a failed commit: the index holds what HEAD holds for these paths again (best effort)."""
    try:
        repo.git.reset("-q", "--", *paths)
    except git.GitCommandError:
        pass


# -- history, for the health figures (wol/health stays pure: these return plain data) --

def first_dates(root: str | Path, under: str, changing: str | None = None) -> dict[str, datetime]:
    """For each file under a folder, the author date of the oldest commit that touched it.

    With `changing` (a regex), only commits that added or removed a matching
    line count (git log -G), e.g. when `accepted:` was first set.
    """
    repo = open_repo(root)
    if repo is None:
        return {}
    pickaxe = [f"-G{changing}"] if changing else []
    try:
        out = repo.git.log("--reverse", "--format=%x00%aI", "--name-only", "--no-renames", *pickaxe, "--", under)
    except git.GitCommandError:
        return {}
    result, current = {}, None
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = datetime.fromisoformat(line[1:])
        elif line.strip() and current and line not in result:
            result[line] = current
    return result


def line_dates(root: str | Path, under: str, only=None) -> dict[str, dict[str, datetime]]:
    """For each committed file under a folder (or only those in `only`), {stripped line: author date
    of the commit that wrote it} (git blame)."""
    repo = open_repo(root)
    if repo is None:
        return {}
    try:
        paths = repo.git.ls_tree("-r", "--name-only", "HEAD", "--", under).splitlines()
    except git.GitCommandError:
        return {}
    if only is not None:
        paths = [p for p in paths if p in only]
    result = {}
    for path in paths:
        dates = {}
        try:
            for commit, lines in repo.blame("HEAD", path):
                for line in lines:
                    text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
                    dates.setdefault(text.strip(), commit.authored_datetime)
        except git.GitCommandError:
            continue
        result[path] = dates
    return result


# -- sync with `origin`, for the web editor: pull before a write, push after --

class SyncConflict(WolError):
    """Our commit cannot be replayed on top of origin's: someone changed the same lines."""


class PushRejected(WolError):
    """origin has commits we do not (someone pushed first): pull and try again."""


# Never wait for a password or passphrase nobody can type: fail instead, and say so.
_BATCH = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": "ssh -o BatchMode=yes", "GCM_INTERACTIVE": "never"}
NETWORK_TIMEOUT = 60


def _batch_env() -> dict:
    import os
    return {k: v for k, v in _BATCH.items() if k not in os.environ or k == "GIT_TERMINAL_PROMPT"}


def _stderr(exc: git.GitCommandError) -> str:
    """Git's own message, without GitPython's `stderr: '…'` wrapping."""
    text = (exc.stderr or exc.stdout or "").strip()
    if text.startswith("stderr: '") or text.startswith("stdout: '"):
        text = text[len("stderr: '"):].rstrip("'").strip()
    return text


def push_problem(root: str | Path) -> str | None:
    """Why the current branch cannot be pushed to origin (None: it can), asking origin without pushing."""
    repo = require_repo(root)
    try:
        branch = _branch(repo)
        repo.git.push("--dry-run", "--quiet", "origin", f"HEAD:refs/heads/{branch}", env=_batch_env(),
                      kill_after_timeout=NETWORK_TIMEOUT)
    except WolError as exc:
        return str(exc)
    except git.GitCommandError as exc:
        text = _stderr(exc)
        if "remote rejected" not in text and ("non-fast-forward" in text or "fetch first" in text):
            return _checked_out_origin(repo, branch)  # reachable, only behind: a pull fixes that
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("hint:")]
        return lines[-1] if lines else f"git push --dry-run exited with {exc.status}"
    return _checked_out_origin(repo, branch)


def _checked_out_origin(repo: git.Repo, branch: str) -> str | None:
    """A dry run cannot see it: origin is a local working copy with this branch checked out."""
    url = repo.remotes.origin.url
    path = Path(url[len("file://"):] if url.startswith("file://") else url)
    if "://" in url or not path.is_dir():
        return None
    other = open_repo(path)
    if other is None or other.bare:
        return None
    try:
        checked_out = other.active_branch.name
        deny = other.config_reader().get_value("receive", "denycurrentbranch", "refuse")
    except (TypeError, ValueError):
        return None
    if checked_out == branch and str(deny) not in ("ignore", "warn", "updateInstead"):
        return f"origin ({url}) is a working copy with {branch} checked out, which Git refuses to push to"
    return None


# -- is the repository fit for a write? For the live server: at start and before each write --

STALE_LOCK_SECONDS = 10.0  # an index.lock this old was left by a crashed Git: Git holds it for moments


def clear_stale_lock(root: str | Path, older_than: float = STALE_LOCK_SECONDS) -> str | None:
    """Remove the lock files a crashed Git left (`index.lock`, `HEAD.lock`, a branch's `.lock`) when older
    than `older_than` seconds; say so (None: nothing to do)."""
    import time
    git_dir = Path(require_repo(root).git_dir)
    removed = []
    for lock in [git_dir / "index.lock", git_dir / "HEAD.lock", *(git_dir / "refs" / "heads").rglob("*.lock")]:
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            continue
        if age >= older_than:
            lock.unlink(missing_ok=True)
            removed.append(f"{lock.relative_to(git_dir)} ({age:.0f} s old)")
    return f"removed lock files left by a Git process that stopped: {', '.join(removed)}" if removed else None


def abort_unfinished_rebase(root: str | Path) -> str | None:
    """Abort a rebase left in progress (by a crash during a pull): the branch is as before it; say so."""
    repo = require_repo(root)
    git_dir = Path(repo.git_dir)
    if not ((git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()):
        return None
    try:
        repo.git.rebase("--abort")
    except git.GitCommandError as exc:
        raise WolError(f"a rebase was left unfinished and cannot be aborted: {_stderr(exc)}") from None
    return "aborted a rebase left unfinished; the branch is as it was before it"


def uncommitted(root: str | Path, under: str) -> list[str]:
    """Paths under a folder that differ from HEAD (changed, staged, or not in Git), after unstaging them:
    what a write interrupted by a crash leaves behind. The files themselves are kept."""
    repo = require_repo(root)
    try:
        if repo.git.diff("--cached", "--name-only", "--", under).strip():
            repo.git.reset("-q", "--", under)
        out = repo.git.status("--porcelain", "--untracked-files=all", "--", under)
    except git.GitCommandError:
        return []
    return [line[3:] for line in out.splitlines() if line.strip()]


def write_problem(root: str | Path) -> str | None:
    """Why a write must not be made now (None: it may): a detached HEAD, an unfinished rebase or merge, a lock."""
    repo = require_repo(root)
    git_dir = Path(repo.git_dir)
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        return "a rebase is unfinished in the repository (git rebase --continue or --abort)"
    if repo.head.is_detached:
        return "the repository is on a detached HEAD (check out the branch: git switch main)"
    if (git_dir / "MERGE_HEAD").exists():
        return "a merge is unfinished in the repository (git merge --continue or --abort)"
    if (git_dir / "index.lock").exists() or (git_dir / "HEAD.lock").exists():
        return "another Git process is working in the repository (.git/index.lock); try again in a moment"
    return None


def head_sha(root: str | Path) -> str | None:
    repo = require_repo(root)
    try:
        return repo.head.commit.hexsha
    except ValueError:
        return None


def has_origin(root: str | Path) -> bool:
    return "origin" in [r.name for r in require_repo(root).remotes]


def _branch(repo: git.Repo) -> str:
    try:
        return repo.active_branch.name
    except TypeError:
        raise WolError("the repository is on a detached HEAD: check out a branch (git switch main)") from None


def pull_rebase(root: str | Path) -> None:
    """Fetch origin and replay local commits on top of its branch (local edits are kept aside meanwhile).

    On a conflict the rebase is aborted, leaving the repository as it was, and
    SyncConflict is raised.
    """
    repo = require_repo(root)
    with _WRITE_LOCK:
        branch = _branch(repo)
        try:
            repo.git.fetch("--quiet", "origin", env=_batch_env(), kill_after_timeout=NETWORK_TIMEOUT)
        except git.GitCommandError as exc:
            raise WolError(f"git fetch origin failed: {_stderr(exc)}") from None
        remote_ref = f"refs/remotes/origin/{branch}"
        try:
            repo.git.rev_parse("--verify", "--quiet", remote_ref)
        except git.GitCommandError:
            return  # origin has no such branch yet: the first push creates it
        try:
            repo.git.rebase("--autostash", "--quiet", remote_ref)
        except git.GitCommandError as exc:
            try:
                repo.git.rebase("--abort")
            except git.GitCommandError:
                pass
            detail = _stderr(exc).splitlines() or ["rebase failed"]
            raise SyncConflict(f"your change conflicts with one made meanwhile on origin: {detail[-1]}") from None


_BUSY = ("cannot lock ref", "failed to update ref", "Unable to create", ".lock': File exists")  # another push


def push(root: str | Path) -> None:
    """Push the current branch to origin; PushRejected when origin moved on meanwhile."""
    repo = require_repo(root)
    with _WRITE_LOCK:
        branch = _branch(repo)
        try:
            repo.git.push("--quiet", "origin", f"HEAD:refs/heads/{branch}", env=_batch_env(),
                          kill_after_timeout=NETWORK_TIMEOUT)
        except git.GitCommandError as exc:
            text = _stderr(exc)
            if "remote rejected" not in text and ("non-fast-forward" in text or "fetch first" in text):
                raise PushRejected(f"origin moved on meanwhile: {text.splitlines()[-1] if text else ''}") from None
            if any(busy in text for busy in _BUSY):
                raise PushRejected(f"origin was busy with another push: {text.splitlines()[-1]}") from None
            raise WolError(f"git push origin failed: {text}") from None


def reset_to(root: str | Path, sha: str) -> None:
    """Move the branch back to sha, dropping our later commits; other local edits are kept (git reset --keep)."""
    repo = require_repo(root)
    with _WRITE_LOCK:
        try:
            repo.git.reset("--keep", "--quiet", sha)
        except git.GitCommandError as exc:
            raise WolError(f"git reset --keep failed: {_stderr(exc)}") from None


def changed_between(root: str | Path, old: str | None, new: str | None) -> list[str]:
    """Paths (repository-relative) that differ between two commits."""
    if not old or not new or old == new:
        return []
    try:
        out = require_repo(root).git.diff("--name-only", "--no-renames", old, new)
    except git.GitCommandError:
        return []
    return [line for line in out.splitlines() if line.strip()]


# -- files at a commit, and the working tree's differences from HEAD (wol notify reads committed content) --

def blobs_at(root: str | Path, rev: str, paths) -> dict[str, bytes]:
    """{path: bytes} of those paths that exist at commit rev (a missing path is left out)."""
    repo = require_repo(root)
    try:
        tree = repo.commit(rev).tree
    except (ValueError, git.BadName, git.GitCommandError):
        raise WolError(f"the commit {rev[:12]} is not in this clone (fetch the whole history: "
                       f"`git fetch --unshallow`, or fetch-depth: 0 in CI)") from None
    out = {}
    for path in paths:
        try:
            out[path] = tree[path].data_stream.read()
        except KeyError:
            continue
    return out


def has_commit(root: str | Path, sha: str) -> bool:
    try:
        require_repo(root).git.cat_file("-e", f"{sha}^{{commit}}")
        return True
    except git.GitCommandError:
        return False


def dirty_paths(root: str | Path, under: str) -> list[str]:
    """Paths under a folder whose working copy differs from HEAD (changed, staged, deleted or untracked)."""
    repo = require_repo(root)
    try:
        out = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", under)
    except git.GitCommandError:
        return []
    return [entry[3:] for entry in out.split("\0") if len(entry) > 3]


# -- a record kept on a ref of its own (wol notify's refs/wol/notify), moved by compare-and-swap --

class LeaseLost(WolError):
    """Another run moved the ref since we read it: read it again before deciding anything."""


_NO_REF = "0" * 40
_RECORD_AUTHOR = {"GIT_AUTHOR_NAME": "wol notify", "GIT_AUTHOR_EMAIL": "wol-notify@invalid",
                  "GIT_COMMITTER_NAME": "wol notify", "GIT_COMMITTER_EMAIL": "wol-notify@invalid"}


def fetch_ref(root: str | Path, ref: str) -> str | None:
    """Bring origin's copy of ref here (it is the one that counts) and return its sha, None when origin has
    none; without origin, the local ref's sha."""
    repo = require_repo(root)
    if not has_origin(root):
        return _ref_sha(repo, ref)
    try:
        out = repo.git.ls_remote("origin", ref, env=_batch_env(), kill_after_timeout=NETWORK_TIMEOUT)
    except git.GitCommandError as exc:
        raise WolError(f"cannot read {ref} from origin: {_first_line(exc)}") from None
    sha = next((line.split("\t")[0] for line in out.splitlines() if line.endswith("\t" + ref)), None)
    if sha is None:
        return None
    try:
        repo.git.fetch("--quiet", "origin", f"+{ref}:{ref}", env=_batch_env(), kill_after_timeout=NETWORK_TIMEOUT)
    except git.GitCommandError as exc:
        raise WolError(f"cannot fetch {ref} from origin: {_first_line(exc)}") from None
    return sha


def _first_line(exc: git.GitCommandError) -> str:
    """Git's first line of complaint (`fatal: …`), without its hints."""
    lines = [line for line in _stderr(exc).splitlines() if line.strip() and not line.startswith("hint:")]
    return lines[0] if lines else f"git exited with {exc.status}"


def _ref_sha(repo: git.Repo, ref: str) -> str | None:
    try:
        return repo.git.rev_parse("--verify", "--quiet", ref + "^{commit}").strip() or None
    except git.GitCommandError:
        return None


def read_ref_file(root: str | Path, sha: str, name: str) -> bytes | None:
    """The file `name` in the tree of commit sha (None when it holds no such file)."""
    return blobs_at(root, sha, [name]).get(name)


def commit_ref_file(root: str | Path, ref: str, name: str, data: bytes, expect: str | None, message: str) -> str:
    """A commit whose tree is the one file `name` (parent: expect), then ref moved to it only if ref is still
    at expect: on origin with `git push --force-with-lease`, or here with `git update-ref` without one.
    LeaseLost when another run moved it first. Returns the new sha."""
    import tempfile
    repo = require_repo(root)
    with tempfile.TemporaryFile() as blob_in:
        blob_in.write(data)
        blob_in.seek(0)
        blob = repo.git.hash_object("-w", "--stdin", istream=blob_in).strip()
    with tempfile.TemporaryFile() as tree_in:
        tree_in.write(f"100644 blob {blob}\t{name}\n".encode("utf-8"))
        tree_in.seek(0)
        tree = repo.git.mktree(istream=tree_in).strip()
    parent = ["-p", expect] if expect else []
    new = repo.git.commit_tree(tree, *parent, "-m", message, env=_RECORD_AUTHOR).strip()
    if has_origin(root):
        try:
            repo.git.push("--quiet", "--no-verify", f"--force-with-lease={ref}:{expect or ''}", "origin",
                          f"{new}:{ref}", env=_batch_env(), kill_after_timeout=NETWORK_TIMEOUT)
        except git.GitCommandError as exc:
            text = _stderr(exc)
            if "stale info" in text or "fetch first" in text or "non-fast-forward" in text \
                    or any(busy in text for busy in _BUSY):
                raise LeaseLost(f"another run moved {ref} on origin first") from None
            raise WolError(f"cannot push {ref} to origin: {_first_line(exc)}") from None
        repo.git.update_ref(ref, new)
        return new
    try:
        repo.git.update_ref("-m", message, ref, new, expect or _NO_REF)
    except git.GitCommandError:
        raise LeaseLost(f"another run moved {ref} first") from None
    return new
