"""Files written into a served folder atomically: readers never see half a file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..content.stamps import digest_of


def write_changed(texts: dict[str, str], folder: Path, previous: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write each text that differs from `previous` (what this process wrote there); delete the ones no longer given.

    Returns (written, deleted) relative paths; the mtimes of unchanged files stay.
    """
    folder = Path(folder)
    written = []
    for rel, text in texts.items():
        if previous.get(rel) == text:
            continue
        _replace(folder / rel, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        written.append(rel)
    return written, _delete_gone(folder, previous.keys() - texts.keys())


def write_digest_changed(texts: dict[str, str], folder: Path, previous: dict[str, str],
                         digests: dict[str, str] | None = None) -> tuple[dict[str, str], list[str], list[str]]:
    """As `write_changed`, with `previous` given as {path: digest of its UTF-8 text} (a build manifest's).
    `digests`: every file's, when the caller has them; `texts` need then hold only the files whose digest
    differs from `previous`.

    Returns (digests of the files, written, deleted)."""
    folder = Path(folder)
    if digests is None:
        encoded = {rel: text.encode("utf-8") for rel, text in texts.items()}
        digests = {rel: digest_of(data) for rel, data in encoded.items()}
    else:
        encoded = {}
    written = []
    for rel, digest in digests.items():
        if previous.get(rel) == digest:
            continue
        data = encoded.get(rel) or texts[rel].encode("utf-8")
        _replace(folder / rel, lambda tmp: tmp.write_bytes(data))
        written.append(rel)
    return digests, written, _delete_gone(folder, previous.keys() - digests.keys())


def unlink_page(site_dir: Path, dest_uri: str) -> None:
    """Delete a built page, and its folder if that is left empty."""
    path = site_dir / dest_uri
    try:
        path.unlink()
        if path.parent != site_dir and not any(path.parent.iterdir()):
            path.parent.rmdir()
    except OSError:
        pass


def _remove_empty_dirs(folder: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        if dirpath != str(folder) and not os.listdir(dirpath):
            os.rmdir(dirpath)


def copy_changed(sources: dict[str, Path], folder: Path, previous: dict[str, tuple]) -> tuple[dict, list, list]:
    """Copy each source file (site-relative path → file) whose size or time changed since `previous`
    (what this process copied there); delete the ones no longer given. Returns (stamps, written, deleted)."""
    folder = Path(folder)
    stamps, written = {}, []
    for rel, source in sources.items():
        try:
            st = os.stat(source)
        except OSError:
            continue
        stamps[rel] = (st.st_size, st.st_mtime_ns)
        if previous.get(rel) == stamps[rel]:
            continue
        _replace(folder / rel, lambda tmp: shutil.copyfile(source, tmp))
        written.append(rel)
    return stamps, written, _delete_gone(folder, previous.keys() - stamps.keys())


def _replace(target: Path, write) -> None:
    """`write(temporary path)`, then move it over `target` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.wol-tmp")
    write(tmp)
    os.replace(tmp, target)


def _delete_gone(folder: Path, gone) -> list[str]:
    """Delete these relative paths (and folders left empty); the ones deleted."""
    deleted = []
    for rel in sorted(gone):
        try:
            (folder / rel).unlink()
            deleted.append(rel)
        except FileNotFoundError:
            pass
    if deleted:
        _remove_empty_dirs(folder)
    return deleted
