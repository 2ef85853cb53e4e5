"""The manifest of the last complete `wol build` into a site folder: what each output was made from.

`.wol-cache/builds/<key of the site folder>.pickle` records, for one site
folder: the digest of everything every page depends on besides its own staged
page (`config_digest`: mkdocs.yml, the company's theme, wol's packaged theme
and code, the versions of MkDocs and its Markdown parts, the navigation), the
digest and output path of each staged page, the digests of the feed, API and
search files, the stamps of the copied attachments, MkDocs' warnings per page,
and the size, modification time and digest of every file in the folder.

The next build re-renders only the pages whose staged page changed, when the
rest is as recorded; anything else (no manifest, a corrupt one, another
version, another config, a site folder changed by hand) makes it a full build,
with the reason in one line. The manifest is deleted before an incremental
build touches the folder and written once the build is complete, so a build
that stops halfway leaves none: the next build is a full one. Losing the
cache only costs one full build.

`.wol-cache/builds/stage-memos-2.pickle` and its journal (`load_stage_memos`, `save_stage_memos`) carries staging's memos
(wol/stage/memo.py) from one build to the next, for all site folders, while `shared_digest` is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .content.cachefiles import load_pickle, save_pickle
from .engines.output import digest_of

FORMAT = 2  # bump when the manifest's fields change
FOLDER = "builds"  # under the cache folder
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments")
WOL_CODE = Path(__file__).parent  # its Python files and packaged theme: a change makes the next build full


@dataclass
class Manifest:
    """One complete build of one site folder (see the module docstring)."""

    site_dir: str  # site_key of the folder it describes
    config: str  # config_digest
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # docs-relative .md → (page digest, dest_uri)
    files: dict[str, str] = field(default_factory=dict)  # feeds and API: site-relative path → digest
    search: dict[str, str] = field(default_factory=dict)  # site/search/ files: site-relative path → digest
    attachments: dict[str, tuple] = field(default_factory=dict)  # site-relative path → source stamp
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (docs-relative page or "", message)
    outputs: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # every file: (size, mtime_ns, digest)
    theme: tuple = ()  # the theme's folders and the files of them MkDocs used (`private.theme_files`)
    format: int = FORMAT
    wol: str = __version__


def site_key(settings, site_dir: Path) -> str:
    """How a manifest names its site folder: relative to the repository when inside it (CI checks out
    into other absolute paths), else absolute."""
    folder = Path(os.path.abspath(site_dir))
    folder, root = folder.parent.resolve() / folder.name, Path(settings.root).resolve()  # DEST: the link itself
    return folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)


def manifest_path(settings, site_dir: Path) -> Path:
    """Where the manifest of builds into `site_dir` lives (one per site folder, or per `wol publish` DEST)."""
    key = hashlib.blake2b(site_key(settings, site_dir).encode(), digest_size=10).hexdigest()
    return Path(settings.cache_path) / FOLDER / f"{key}.pickle"


def read_manifest(path: Path) -> tuple[Manifest | None, str]:
    """(the manifest at `path`, "") when it is one of this wol's, else (None, why not). `check_manifest`
    then says whether an incremental build can start from it."""
    try:
        with open(path, "rb") as f:
            manifest = pickle.load(f)
    except FileNotFoundError:
        return None, "no earlier build of this site folder in the cache"
    except Exception:  # noqa: BLE001 - a truncated or foreign file is only a lost cache
        return None, f"the build manifest {path} is unreadable"
    if not isinstance(manifest, Manifest) or getattr(manifest, "format", None) != FORMAT \
            or getattr(manifest, "wol", None) != __version__:
        return None, "the build manifest is of another wol version"
    return manifest, ""


def check_manifest(read: tuple[Manifest | None, str], site: str, config: str) -> tuple[Manifest | None, str]:
    """(the manifest, "") when an incremental build can start from it (`read_manifest`'s), else (None, why not)."""
    manifest, why = read
    if manifest is None:
        return None, why
    if manifest.site_dir != site:
        return None, "the build manifest is of another site folder"
    if manifest.config != config:
        return None, "mkdocs.yml, the theme, the navigation or wol itself changed"
    return manifest, ""


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write it atomically (a reader sees the old one or the new one); a cache that cannot be written only
    costs the next build's speed."""
    from .content.cachefiles import save_pickle
    save_pickle(path.parent.parent, f"{path.parent.name}/{path.name}", manifest)


MEMOS_FILE = "stage-memos-2.pickle"  # in FOLDER: staging's memos (wol/stage/memo.py), one for all site folders


def load_stage_memos(settings, shared: str):
    """Give staging the memos the last `wol build` saved, when it read the same mkdocs.yml, theme and code;
    what was read, for `save_stage_memos`."""
    from .content.cachefiles import load_dict
    from .stage.memo import restore_memos
    saved = load_dict(Path(settings.cache_path), f"{FOLDER}/{MEMOS_FILE}", header=(FORMAT, shared))
    state: dict[str, dict] = {}
    for (name, digest), value in saved.items():  # empty: staging computes everything
        state.setdefault(name, {})[digest] = value
    restore_memos(state)
    return saved


def save_stage_memos(settings, shared: str, since) -> None:
    """Keep what this build's staging used of its memos, for the next `wol build` (atomically; after an
    edit, only the entries it changed: `cachefiles.save_dict`)."""
    from .content.cachefiles import save_dict
    from .stage.memo import memo_state
    values = {(name, digest): value for name, kept in memo_state().items() for digest, value in kept.items()}
    save_dict(Path(settings.cache_path), f"{FOLDER}/{MEMOS_FILE}", values, since, header=(FORMAT, shared))


STEPS_FILE = "stage-steps.pickle"  # in FOLDER: staging's steps and the graph they read (wol/stage/reuse.py)


def load_stage_steps(settings, shared: str, forgotten):
    """The steps the last `wol build` staged, when it read the same mkdocs.yml, theme, code and forgotten.txt:
    (Steps, what was read, for `save_stage_steps`)."""
    from .content.cachefiles import load_dict
    from .stage.reuse import Steps
    saved = load_dict(Path(settings.cache_path), f"{FOLDER}/{STEPS_FILE}", header=(FORMAT, shared, forgotten))
    steps, seen = Steps(), {}
    for (kind, key), value in saved.items():  # ("step", key): (value, reads); ("seen", field): its entries
        (steps if kind == "step" else seen)[key] = value
    steps.seen = seen
    return steps, saved


def save_stage_steps(settings, shared: str, forgotten, steps, since) -> None:
    """Keep this build's steps and the graph they read for the next `wol build` (after an edit, only what
    changed goes into the journal: `cachefiles.save_dict`)."""
    from .content.cachefiles import save_dict
    from .stage.text import KeptPage
    values = {("seen", name): entries for name, entries in steps.seen.items()}
    values.update((("step", key), _kept(step, KeptPage) if key[0] == "page" else step) for key, step in steps.items())
    save_dict(Path(settings.cache_path), f"{FOLDER}/{STEPS_FILE}", values, since,
              header=(FORMAT, shared, forgotten))


def _kept(step: tuple, kept_page) -> tuple:
    """A page step with its page kept as a `KeptPage` (the same step when it already is one)."""
    page, reads = step
    return step if isinstance(page, kept_page) else (kept_page.of(page, page_digest(page)), reads)


def forget_manifest(path: Path) -> None:
    """Delete it before the site folder changes: a build that stops halfway leaves no manifest behind."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def config_digest(settings, nav_pages, shared: str | None = None) -> str:
    """The digest of everything every page's HTML depends on besides its staged page: `shared_digest`
    (given, when the caller has it) and the navigation."""
    h = hashlib.blake2b(digest_size=20)
    h.update((shared or shared_digest(settings)).encode())
    h.update(repr(tuple(nav_pages)).encode())
    return h.hexdigest()


def shared_digest(settings) -> str:
    """The digest of mkdocs.yml, the theme, wol's code and the engines' versions: what staging and rendering
    read besides the content."""
    h = hashlib.blake2b(digest_size=20)
    for name in ENGINE_PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-;".encode())
    h.update(repr((os.environ.get("SOURCE_DATE_EPOCH"), settings.locale, settings.editor_url)).encode())
    root = Path(settings.root)
    cache = Path(settings.cache_path)
    known = load_pickle(cache, f"{FOLDER}/{FILE_DIGESTS}") or {}
    found = {}
    for base, path in [(root, Path(settings.config_path))] + [(root, p) for p in _files_under(settings.theme_path)] \
            + [(WOL_CODE, p) for p in _files_under(WOL_CODE)]:
        name = os.path.relpath(path, base).encode()  # relative: a checkout elsewhere has the same digest
        h.update(name + b"\0" + _file_digest(path, known, found).encode() + b"\0")
    if found != known and cache.is_dir():
        save_pickle(cache, f"{FOLDER}/{FILE_DIGESTS}", found)
    return h.hexdigest()


FILE_DIGESTS = "file-digests.pickle"  # in FOLDER: {path: (stamp, digest)} of the files `shared_digest` reads


def _file_digest(path: Path, known: dict, found: dict) -> str:
    """The digest of one file's bytes, taken from `known` while its stamp (size, modification time, inode,
    as the parse cache judges a file) is the same: wol's code and the theme are 11 MB, read on every build
    before; "-" for a file that cannot be read."""
    key = os.fspath(path)
    try:
        st = path.stat()
    except OSError:
        return "-"
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    kept = known.get(key)
    if kept is not None and kept[0] == stamp:
        found[key] = kept
        return kept[1]
    try:
        digest = digest_of(path.read_bytes())
    except OSError:
        return "-"
    found[key] = (stamp, digest)
    return digest


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found += [Path(dirpath) / name for name in sorted(filenames) if not name.endswith((".pyc", ".mo~"))]
    return found


def page_digest(page) -> str:
    """The digest of one staged page (its Markdown and meta), kept on the page once computed: a page staging
    reuses (wol/stage/reuse.py) is not hashed again, in this process or, saved with it, the next. Of its JSON,
    not of a pickle: a pickle's bytes depend on which equal values are one object, so a reused page and the
    same page staged afresh had different digests, and rendered again for nothing."""
    digest = getattr(page, "digest", None)
    if digest is None:
        text = json.dumps([page.markdown, page.meta], ensure_ascii=False, separators=(",", ":"), default=repr)
        digest = digest_of(text.encode("utf-8", "surrogatepass"))
        object.__setattr__(page, "digest", digest)  # not a field: equality and the staged page stay as they are
    return digest


def scan_site(site_dir: Path, known: dict[str, tuple[int, int, str]]) -> dict[str, tuple[int, int, str]]:
    """(size, mtime_ns, digest) of every file under site_dir; a file whose size and time are as `known`
    keeps its known digest, the others are read and hashed. (A walk by `os.scandir` with the relative
    path carried along: at 40,000 pages, `os.walk` and a `relpath` per folder cost seconds.)"""
    found = {}
    folders = [(os.fspath(site_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, rel + "/"))
                    continue
                found[rel] = _stamp(entry.path, entry.stat(), known.get(rel))
            except OSError:
                continue
    return found


def _stamp(path, st, was: tuple[int, int, str] | None) -> tuple[int, int, str]:
    """(size, mtime_ns, digest) of one file: `was` when its size and time are unchanged, else read and hashed."""
    if was and was[0] == st.st_size and was[1] == st.st_mtime_ns:
        return was
    with open(path, "rb") as f:
        return st.st_size, st.st_mtime_ns, digest_of(f.read())


def rescan_site(site_dir: Path, known: dict[str, tuple[int, int, str]], touched) -> dict[str, tuple[int, int, str]]:
    """`known` (a `scan_site` of site_dir) with the files `touched` since stamped again: what a build after an
    edit wrote or deleted, without walking the other 10,000 files. A file something else wrote (another MkDocs
    plugin) is not seen here; the next build's `site_changes` sees it and builds the site whole."""
    found = dict(known)
    for rel in touched:
        path = os.path.join(site_dir, rel)
        try:
            found[rel] = _stamp(path, os.stat(path), known.get(rel))
        except OSError:
            found.pop(rel, None)
    return found


def site_changes(site_dir: Path, manifest: Manifest, scanned: dict | None = None) -> tuple[dict, str]:
    """(the folder's files now, "") when it holds exactly what the manifest recorded, else ({}, what differs).
    `scanned`: the folder's `scan_site` against the manifest, when the caller made it already."""
    if not Path(site_dir).is_dir():
        return {}, "the site folder is missing"
    now = scan_site(site_dir, manifest.outputs) if scanned is None else scanned
    for rel in sorted(now.keys() | manifest.outputs.keys()):
        was, got = manifest.outputs.get(rel), now.get(rel)
        if was is None or got is None or was[2] != got[2]:
            what = "added" if was is None else "deleted" if got is None else "changed"
            return {}, f"the site folder was changed since the last build ({rel} {what})"
    return now, ""


def pages_to_render(manifest: Manifest, staged, digests: dict[str, str]) -> tuple[set[str], dict[str, str]]:
    """(the staged pages to render, {page gone: its output}) for a build after `manifest`'s.

    A page renders when its staged page changed or is new. When pages come or go, the pages whose
    Markdown names one of them render too: MkDocs resolves a relative link to a page only if it exists."""
    render = {rel for rel, digest in digests.items() if manifest.pages.get(rel, ("",))[0] != digest}
    gone = {rel: dest for rel, (_, dest) in manifest.pages.items() if rel not in digests}
    came = {rel for rel in digests if rel not in manifest.pages}
    names = {_link_name(rel) for rel in came | gone.keys()}
    if names:
        render |= {rel for rel, page in staged.pages.items() if any(name in page.markdown for name in names)}
    return render, gone


def _link_name(rel: str) -> str:
    """What a relative link to this page ends with: its file name."""
    name = rel.rsplit("/", 1)[-1]
    return name
