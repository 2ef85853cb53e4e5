"""wol's cache files in `.wol-cache/`: pickles written atomically, and dicts saved with a journal.

`save_pickle`/`load_pickle` write and read one value. A cached dict is saved as a whole file plus a small journal of what changed since, so that a build after one
edit writes a few entries instead of tens of megabytes.

`load_dict(cache, name)` is the file `name` with its journal (`name.journal`) applied (the file's header is
read first, so a file written with another header, by other code, is not read further); `save_dict(cache,
name, values, since)` writes only what differs from the file into the journal (`since` is what `load_dict`
returned), and the whole dict again once the journal holds more than `COMPACT_FROM` entries (and 2% of them).
A journal names the file it applies to (its inode, size and modification time, read from the open file),
so a journal beside a newer file is ignored. Both are written atomically (`save_pickle`); like every cache,
a missing or damaged one only costs speed. An entry is unchanged when it is the object `load_dict` returned
or equal to it, so values must not be changed in place.
"""

from __future__ import annotations

import mmap
import os
import pickle
import threading
from pathlib import Path

COMPACT_FROM = 200  # journal entries; and 2% of the dict
FORMAT = "wol-dict-3"  # a saved dict: the pickles (FORMAT, header) and [sizes], the dict's pickle, its buffers
_MISSING = object()


def ensure_cache_dir(cache_path: Path) -> Path:
    """Create the cache folder with a `.gitignore` of `*`, so Git never sees what is in it."""
    cache_path.mkdir(parents=True, exist_ok=True)
    ignore = cache_path / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# wol's cache: derived, never committed\n*\n", encoding="utf-8")
    return cache_path


def save_pickle(cache_path: Path, name: str, value, *more) -> None:
    """Write `value` (then each of `more`, one pickle after the other) to `name` under the cache folder (a
    relative path), atomically: a reader sees the old file or the new one, even with the threads of wol
    serve. A cache that cannot be written only costs speed."""
    def write(f):
        for one in (value, *more):
            pickle.dump(one, f, protocol=pickle.HIGHEST_PROTOCOL)
    _write_atomically(cache_path, name, write)


def _write_atomically(cache_path: Path, name: str, write) -> None:
    path = cache_path / name
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        ensure_cache_dir(cache_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def load_pickle(cache_path: Path, name: str):
    """What `save_pickle` wrote there, or None when it is missing, truncated or unreadable."""
    try:
        with open(cache_path / name, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a cache safe to lose: anything wrong with it means "recompute"
        return None


class Loaded(dict):
    """What `load_dict` returned, with what `save_dict` needs: the file's token and the journal applied to it."""

    token: tuple | None = None
    changed: dict = {}
    removed: frozenset = frozenset()


def load_dict(cache_path: Path | None, name: str, header=None) -> Loaded:
    """The saved dict with its journal applied; empty when there is none, or it was saved with another `header`."""
    loaded = Loaded()
    if cache_path is None:
        return loaded
    path = Path(cache_path) / name
    try:
        with open(path, "rb") as f:
            token = _stamp(os.fstat(f.fileno()))
            if pickle.load(f) != (FORMAT, header):  # the header first: a file for other code is not read on
                return loaded
            sizes, start = pickle.load(f), f.tell()
            if start + sum(sizes) != token[1]:
                return loaded
            mapped = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        views, end = [], start
        for size in sizes:
            views.append(mapped[end:end + size])
            end += size
        saved = pickle.loads(views[0], buffers=views[1:])
    except Exception:  # noqa: BLE001 - a cache safe to lose: anything wrong with it means "recompute"
        return loaded
    if not isinstance(saved, dict):
        return loaded
    loaded.update(saved)
    loaded.token = token
    journal = _read_journal(path.with_name(f"{name.rsplit('/', 1)[-1]}.journal"), token)
    if journal is not None:
        loaded.changed, loaded.removed = journal
        for key in loaded.removed:
            loaded.pop(key, None)
        loaded.update(loaded.changed)
    return loaded


def save_dict(cache_path: Path, name: str, values: dict, since: Loaded, header=None) -> None:
    """Save `values`: into the journal of the file `since` was read from when few entries differ from it."""
    cache_path = Path(cache_path)
    path = cache_path / name
    changed = {key: value for key, value in values.items() if not _same(since.get(key, _MISSING), value)}
    gone = [key for key in since if key not in values]
    if not changed and not gone:
        return
    if since.token is not None and _current_token(path) == since.token:
        changed = {**{k: v for k, v in since.changed.items() if k in values}, **changed}
        removed = frozenset(key for key in {*since.removed, *gone} if key not in values)
        if len(changed) + len(removed) <= max(COMPACT_FROM, len(values) // 50):
            save_pickle(cache_path, f"{name}.journal", (since.token, changed, removed))
            return
    _save_dict_file(cache_path, name, (FORMAT, header), dict(values))
    try:
        (cache_path / f"{name}.journal").unlink()
    except OSError:
        pass


def _save_dict_file(cache_path: Path, name: str, head, values: dict) -> None:
    """The whole dict, its large byte strings out of the pickle (protocol 5's out-of-band buffers: a `Kept`
    value's): `load_dict` maps the file and hands them over as views of it, never reading or copying them
    until a value is unpickled."""
    buffers = []
    body = pickle.dumps(values, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]

    def write(f):
        pickle.dump(head, f, protocol=5)
        pickle.dump([len(body), *(raw.nbytes for raw in raws)], f, protocol=5)
        f.write(body)
        for raw in raws:
            f.write(raw)
    _write_atomically(cache_path, name, write)


def _same(old, new) -> bool:
    return old is new or (old is not _MISSING and old == new)


def _current_token(path: Path):
    try:
        return _stamp(os.stat(path))
    except OSError:
        return None


def _read_journal(path: Path, token):
    try:
        with open(path, "rb") as f:
            saved = pickle.load(f)
    except Exception:  # noqa: BLE001 - a cache safe to lose
        return None
    if not (isinstance(saved, tuple) and len(saved) == 3 and saved[0] == token and isinstance(saved[1], dict)
            and isinstance(saved[2], frozenset)):
        return None
    return saved[1], saved[2]


def _stamp(st) -> tuple:
    return st.st_ino, st.st_size, st.st_mtime_ns
