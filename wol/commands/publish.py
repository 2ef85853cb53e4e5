"""`wol publish DEST`: build into a new release folder, then switch DEST to it atomically.

DEST is a symbolic link to `DEST.releases/<UTC time>/`. The new site is built
completely beside the live one; then a temporary link to it is renamed over
DEST (`os.replace`, one rename(2)), so a reader opening DEST/… sees the old
site or the new one, never a half-built or missing one. The last `keep`
releases stay for rollback: point DEST back at one of them the same way.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from ..problems import WolError
from ..settings import Settings

RELEASES_SUFFIX = ".releases"
MIN_KEEP = 2  # the live release and the one before it, which a reader may still be opening


def _quiet(message: str) -> None:
    pass


def releases_of(dest: Path) -> Path:
    return dest.with_name(dest.name + RELEASES_SUFFIX)


def list_releases(dest: Path) -> list[Path]:
    """Release folders of DEST, oldest first (their names are UTC times)."""
    folder = releases_of(Path(dest))
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def check_destination(dest: Path) -> None:
    """A clear error unless DEST is absent or a symbolic link in a folder that exists."""
    if dest.is_symlink():
        return
    if dest.is_dir():
        raise WolError(
            f"{dest} is a folder; wol publish keeps DEST as a symbolic link to the live release, so it "
            f"can switch atomically. Move the folder away once (`mv {dest} {dest}.old`), run "
            f"`wol publish {dest}` again, and point your web server at {dest} as before.")
    if dest.exists():
        raise WolError(f"{dest} is a file; give wol publish a path that is free or a link it made before")
    if not dest.parent.is_dir():
        raise WolError(f"{dest.parent} does not exist; create it (mkdir -p {dest.parent}) or choose another DEST")


def switch_link(dest: Path, target: Path) -> None:
    """Point the symbolic link DEST at `target` in one rename (relative, so the pair can move together)."""
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.switch")
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, dest.parent), temporary)
    try:
        os.replace(temporary, dest)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def prune_releases(dest: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` releases, never the live one; returns those deleted."""
    live = Path(os.path.realpath(dest)) if dest.is_symlink() else None
    releases = list_releases(dest)
    deleted = []
    for release in releases[:-keep] if keep else releases:
        if live is not None and release.resolve() == live:
            continue
        shutil.rmtree(release, ignore_errors=True)
        deleted.append(release)
    return deleted


def link_tree(source: Path, target: Path) -> None:
    """Fill `target` with hard links to the files of `source` (copies where links are impossible)."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True, symlinks=True)


def _new_release(dest: Path) -> Path:
    folder = releases_of(dest)
    try:
        folder.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        release = folder / stamp
        n = 1
        while release.exists():
            n += 1
            release = folder / f"{stamp}-{n}"
        release.mkdir()
        return release
    except PermissionError:
        raise WolError(f"cannot write to {folder.parent}: permission denied. Run wol publish as a user "
                       f"who may write there, or choose another DEST.") from None
    except OSError as exc:
        raise WolError(f"cannot create {folder}: {exc.strerror}") from None


def publish_site(settings: Settings, dest: str | Path, keep: int = 5, strict: bool = False,
                 echo=_quiet, one_off: bool = False) -> Path:
    """Build the site into a new release and make DEST point at it; returns the release folder.
    `one_off`: the process ends with it (as `build_site`'s)."""
    from ..pipeline import build_site

    if keep < MIN_KEEP:
        raise WolError(f"--keep must be at least {MIN_KEEP}: the live release and the one before it, "
                       f"which readers may still be opening")
    dest = Path(os.path.abspath(dest))
    root = Path(os.path.realpath(settings.root))
    if Path(os.path.realpath(dest.parent)) == root or root in Path(os.path.realpath(dest.parent)).parents:
        raise WolError(f"{dest} is inside the knowledge repository; publish to a folder outside it "
                       f"(such as /srv/wiki), or use `wol build --site-dir` for a folder CI uploads")
    check_destination(dest)
    live = Path(os.path.realpath(dest)) if dest.is_symlink() and dest.resolve().is_dir() else None
    release = _new_release(dest)
    try:
        if live is not None:
            link_tree(live, release)
        build_site(settings, release, strict=strict, echo=echo, manifest_for=dest, seed=live, one_off=one_off)
        switch_link(dest, release)
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    for old in prune_releases(dest, keep):
        echo(f"wol: removed the old release {old}")
    echo(f"wol: published {dest} -> {release}")
    return release
