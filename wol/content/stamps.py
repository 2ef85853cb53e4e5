"""Which files under content/ wol reads, and one digest of their stamps (without importing the parser:
`wol search` checks its index with it before anything else)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .filetypes import is_attachment_path

TEXT_SUFFIXES = (".md", ".txt")


def is_content_file(name: str) -> bool:
    """A file wol reads: Markdown and text, or an attachment of an allowed type."""
    return not name.startswith(".") and (name.endswith(TEXT_SUFFIXES) or is_attachment_path(name))


def digest_of(data: bytes) -> str:
    """The digest wol records of a file's bytes (the parse cache, build manifests)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def content_stamps(content_path: Path) -> str:
    """A digest of every file's path, size and modification time under content/: equal digests, equal content
    (as the parse cache judges a file). A walk and a `stat` per file: a few hundredths of a second at 10,000."""
    lines, folders = [], [str(content_path)]
    append = lines.append  # 10,000 times: the loop's own steps cost as much as the system calls
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            append(f"{folder}\0unreadable")
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_dir():  # a link to a folder is walked as load_content walks it: not at all
                        if not entry.is_symlink():
                            folders.append(entry.path)
                    elif is_content_file(name):
                        st = entry.stat()
                        append(f"{entry.path}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}")
                except OSError:
                    append(f"{entry.path}\0-")
    lines.sort()
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
