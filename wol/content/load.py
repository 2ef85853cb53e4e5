"""Disk → Content. Reads every file of `content/`, with a cache keyed by file stamp and content digest.

The cache (`.wol-cache/content-v7.pickle`) maps each path to its size and mtime,
the digest of its bytes and its parsed result: a warm load only stats files;
a file whose stamp changed is read, and parsed only when its bytes changed. So
a fresh checkout (new mtimes) with `.wol-cache/` restored, as in CI, reads the
files but parses none that are unchanged.
It is saved as a journal of the entries that changed (`cachefiles.save_dict`), not
whole, after most edits.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..problems import ERROR, Problem
from .cachefiles import load_dict, save_dict
from .attachments import HEAD_BYTES, read_attachment
from .filetypes import is_attachment_path
from .document import Content
from .parse import parse_file
from .stamps import TEXT_SUFFIXES, content_stamps, digest_of, is_content_file  # noqa: F401 (the names load had)

# v2: unpublishable characters, long tags and date typos are problems; v3: notify; v4: replies, attachments; v5: avatar
# v6: entries are (stamp, (digest, size), result)
CACHE_NAME = "content-v7.pickle"


def parse_bytes(relpath: str, data: bytes, path: str, size: int | None = None):
    """Decode and parse one file; a file that is not UTF-8 is an error, never a crash.

    An attachment is only sniffed: `data` may be its first HEAD_BYTES, `size` its whole size."""
    if is_attachment_path(relpath):
        return read_attachment(path, len(data) if size is None else size, data[:HEAD_BYTES]), []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, ERROR, "not-utf8",
                              "is not UTF-8 text; save it as UTF-8 in your editor")]
    text = text.replace("\r\n", "\n")
    return parse_file(relpath, text, path)


def stat_readable(full: str, root: Path, path: str):
    """(the file's stat, None), or (None, the problem) when it must not be read: a link that leaves the
    repository, or no regular file (a pipe, a device). One `lstat` for ordinary files."""
    try:
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):
            if not Path(os.path.realpath(full)).is_relative_to(Path(root).resolve()):
                return None, Problem(path, 0, ERROR, "file-link-outside",
                                     "is a symbolic link to a file outside the repository; it is not read")
            st = os.stat(full)
        if not stat.S_ISREG(st.st_mode):
            return None, Problem(path, 0, ERROR, "file-special",
                                 "is not a regular file (a device, a pipe or a folder link); it is not read")
    except OSError as exc:
        return None, Problem(path, 0, ERROR, "unreadable", f"cannot be read: {exc.strerror}")
    return st, None


def iter_content_files(content_path: Path):
    """Relative paths (with `/`) of the text files and attachments under content/, skipping hidden ones."""
    for dirpath, dirnames, filenames in os.walk(content_path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = os.path.relpath(dirpath, content_path).replace(os.sep, "/")  # once per folder, not per file
        prefix = "" if folder == "." else folder + "/"
        for name in sorted(filenames):
            if is_content_file(name):
                yield prefix + name, os.path.join(dirpath, name)


def build_content(results, content: Content | None = None) -> Content:
    """Assemble parsed (path, (object, problems)) results into one Content (or add them to `content`)."""
    content = Content() if content is None else content
    for path, (item, problems) in results:
        content.problems.extend(problems)
        if item is None:
            first = next((p.message for p in problems if p.severity == ERROR), None)
            if first:
                content.invalid[path] = first
            continue
        content.add(item)
    return content


def replace_files(content: Content, parsed: dict[str, tuple], gone=()) -> Content:
    """A copy of content where each path of `parsed` holds its (item, problems), and `gone` paths
    (files, or folders with everything under them) hold nothing."""
    replaced = set(parsed) | set(gone)
    prefixes = tuple(p.rstrip("/") + "/" for p in gone)

    def keep(path: str) -> bool:
        return path not in replaced and not (prefixes and path.startswith(prefixes))

    kept = Content(
        documents={k: d for k, d in content.documents.items() if keep(d.path)},
        people={k: p for k, p in content.people.items() if keep(p.path)},
        topic_files={k: t for k, t in content.topic_files.items() if keep(t.path)},
        votes=[v for v in content.votes if keep(v.path)],
        attachments={k: a for k, a in content.attachments.items() if keep(k)},
        sources={k: v for k, v in content.sources.items() if keep(k)},  # `parsed` came without a digest
        problems=[p for p in content.problems if keep(p.path)],
        invalid={k: v for k, v in content.invalid.items() if keep(k)},
        # forgotten.txt's hashes stay unless that file is read again (then `parsed` holds them anew)
        forgotten=frozenset() if any(p.endswith("/forgotten.txt") for p in replaced) else content.forgotten,
    )
    return build_content(parsed.items(), kept)


def load_content(content_path: Path, root: Path, cache_path: Path | None = None) -> Content:
    """Read and parse all of content/, reusing the cache for files that did not change."""
    content_path, root = Path(content_path), Path(root)
    cache = _read_cache(cache_path)
    fresh, results, sources = {}, [], {}
    prefix = os.path.relpath(content_path, root).replace(os.sep, "/")
    for relpath, full in iter_content_files(content_path):
        path = f"{prefix}/{relpath}"
        st, refused = stat_readable(full, root, path)
        if refused is not None:
            results.append((path, (None, [refused])))
            continue
        try:
            stamp = (st.st_mtime_ns, st.st_size)
            hit = cache.get(relpath)
            if hit and hit[0] == stamp:
                digest, result = hit[1], hit[2]
            else:
                with open(full, "rb") as f:
                    data = f.read(HEAD_BYTES) if is_attachment_path(relpath) else f.read()
                digest = (digest_of(data), st.st_size)
                result = hit[2] if hit and hit[1] == digest else parse_bytes(relpath, data, path, st.st_size)
        except OSError as exc:
            stamp, result = None, (None, [Problem(path, 0, ERROR, "unreadable", f"cannot be read: {exc.strerror}")])
        if stamp:
            fresh[relpath] = (stamp, digest, result)
            sources[path] = digest[0]
        results.append((path, result))
    if cache_path is not None:
        save_dict(cache_path, CACHE_NAME, fresh, cache)  # the changed entries only, most of the time
    content = build_content(results)
    content.sources = sources
    return content


def load_content_from_blobs(blobs: dict[str, bytes], content_dir: str = "content") -> Content:
    """Parse content given as {path relative to the repository: bytes}, e.g. Git's index."""
    results = []
    prefix = content_dir.rstrip("/") + "/"
    for path in sorted(blobs):
        if not path.startswith(prefix) or not is_content_file(path.rsplit("/", 1)[-1]):
            continue
        relpath = path[len(prefix):]
        if any(part.startswith(".") for part in relpath.split("/")):
            continue
        results.append((path, parse_bytes(relpath, blobs[path], path)))
    return build_content(results)


def _read_cache(cache_path: Path | None):
    return load_dict(cache_path, CACHE_NAME)  # a missing, stale or corrupt cache is rebuilt
