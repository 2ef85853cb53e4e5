"""Files beside a document (images, PDFs, spreadsheets, logs): what they are and which links point at them.

Pure: bytes and text in, facts out. Paths are from the repository root, as
documents' (`content/posts/2026/x.files/a.png`). A document links to its files with a path
relative to its own file, as any Markdown viewer (and Git hosts) expects:
`![screenshot](restarting-the-agents.files/console.png)`. The types are an
allow-list; a file is judged by its content, not only its name (`sniff`), and
SVG is never accepted (it can carry script).
"""

from __future__ import annotations

import posixpath
import re
import struct
from dataclasses import dataclass
from urllib.parse import unquote

from ..problems import ERROR, Problem
from .filetypes import IMAGE_TYPES, TYPES, is_attachment_path, suffix_of
from .spans import find_destinations, line_of

HEAD_BYTES = 256 * 1024  # enough of a file to sniff it and find an image's size (a JPEG's frame header)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A file under content/ that documents may link to."""

    path: str  # relative to the repository root, with forward slashes (`content/posts/x.files/a.png`)
    size: int
    type: str  # its MIME type, from the allow-list; '' when the content is not what its name says
    width: int | None = None  # images only, when the header says
    height: int | None = None
    lfs: bool = False  # a Git LFS pointer: the file itself is in LFS storage, its size is LFS's business

    @property
    def is_image(self) -> bool:
        return self.type.startswith("image/")


def sniff(suffix: str, head: bytes) -> str | None:
    """The allowed MIME type of a file whose name ends in suffix and whose content starts with head, or None
    when the content is not what the name says (a script named `.png`, an SVG, a binary `.csv`)."""
    kind = TYPES.get(suffix)
    if kind is None:
        return None
    matches = {
        "image/png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg": head.startswith(b"\xff\xd8\xff"),
        "image/gif": head[:6] in (b"GIF87a", b"GIF89a"),
        "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP",
        "application/pdf": head.startswith(b"%PDF-"),
        "application/zip": head.startswith(b"PK\x03\x04"),
    }
    if kind in matches:
        return kind if matches[kind] else None
    if kind.startswith("application/vnd.openxmlformats"):
        return kind if matches["application/zip"] else None
    return kind if _is_plain_text(head) else None  # csv, log


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the head
    return not re.match(rb"\s*<", head)  # no markup a browser could take for a page


def image_size(kind: str, head: bytes) -> tuple[int, int] | None:
    """(width, height) from an image's header, or None when it cannot be read."""
    try:
        if kind == "image/png" and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if kind == "image/gif":
            return struct.unpack("<HH", head[6:10])
        if kind == "image/webp":
            chunk = head[12:16]
            if chunk == b"VP8X":
                return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
            if chunk == b"VP8L":
                bits = int.from_bytes(head[21:25], "little")
                return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", head[26:30])
                return w & 0x3FFF, h & 0x3FFF
        if kind == "image/jpeg":
            return _jpeg_size(head)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\n"


def read_attachment(path: str, size: int, head: bytes) -> Attachment:
    """An Attachment from its path, size and first bytes (type '' when its content is refused).

    A Git LFS pointer (what Git's index holds for a file tracked by LFS, and the
    work tree too without LFS installed) stands for the file it points at."""
    if head.startswith(LFS_POINTER) and suffix_of(path) in TYPES:
        found = re.search(rb"^size (\d+)$", head, re.MULTILINE)
        return Attachment(path, int(found.group(1)) if found else size, TYPES[suffix_of(path)], lfs=True)
    kind = sniff(suffix_of(path), head) or ""
    dims = image_size(kind, head) if kind.startswith("image/") else None
    return Attachment(path, size, kind, *(dims or (None, None)))


def files_folder(document_relpath: str) -> str:
    """Where a document's files go (relative to content/, like its path): `posts/2026/x.md` →
    `posts/2026/x.files`, `questions/q/index.md` → `questions/q/files`."""
    if document_relpath.endswith("/index.md"):
        return document_relpath[: -len("index.md")] + "files"
    return document_relpath.removesuffix(".md") + ".files"


def local_target(document_path: str, target: str) -> str | None:
    """The path a link of a document points at (joined to the document's own path), when it names a file
    of an allowed type. Links with a scheme, absolute paths, anchors and pages are not attachments."""
    if _SCHEME.match(target) or target.startswith(("/", "#", "?")):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path or not is_attachment_path(path):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(document_path), path))


def content_prefix(doc) -> str:
    """`content/`: the part of a document's path before its place under content/."""
    source = f"{doc.id}/index.md" if doc.path.endswith("/index.md") else f"{doc.id}.md"
    return doc.path[: len(doc.path) - len(source)]


def avatar_path(person) -> str | None:
    """The image a profile's `avatar:` names, from the repository root, when it is an image of an allowed type
    beside the profile (`content/people/alice.jpg`, `content/people/alice.files/me.png`); None otherwise."""
    if not person.avatar:
        return None
    path = local_target(person.path, person.avatar)
    folder = posixpath.dirname(person.path) + "/"
    if path is None or suffix_of(path) not in IMAGE_TYPES or not path.startswith(folder):
        return None
    return path


def find_avatar_problems(person, attachments) -> list[Problem]:
    """A profile's `avatar:` that is not a published image beside it: an error saying what to do."""
    if not person.avatar:
        return []
    line = person.lines.get("avatar", 1)
    path = avatar_path(person)
    if path is None:
        kinds = ", ".join(sorted(IMAGE_TYPES))
        return [Problem(person.path, line, ERROR, "avatar-refused",
                        f"avatar: `{person.avatar}` must name an image ({kinds}) beside the profile, such as "
                        f"`{person.handle}.jpg` or `{person.handle}.files/photo.png`")]
    found = attachments.get(path)
    if found is None:
        return [Problem(person.path, line, ERROR, "avatar-missing",
                        f"avatar: {path} does not exist: add the image (with `git add`) or remove the field")]
    if not found.type:
        return [Problem(person.path, line, ERROR, "avatar-refused",
                        f"avatar: {path} is not a {suffix_of(path)} image: save it in that format, or rename it")]
    return []


def find_file_links(doc) -> list[tuple[str, int]]:
    """(path from the repository root, offset in the body) of every link or image of a document to a file."""
    found = []
    for dest in find_destinations(doc.body):
        path = local_target(doc.path, dest.target)
        if path is not None:
            found.append((path, dest.start))
    return found


def find_attachment_problems(content, max_bytes: int, only=None) -> list[Problem]:
    """Links to files that are missing, outside content/ or not what their name says, and files over the
    size limit: errors that say what to do. `only`: the paths to judge (all when None)."""
    problems = []
    attachments = content.attachments
    for doc in content.documents.values():
        if only is not None and doc.path not in only:
            continue
        prefix = content_prefix(doc)
        for path, offset in find_file_links(doc):
            line = doc.body_line + line_of(doc.body, offset) - 1
            found = attachments.get(path)
            if not path.startswith(prefix):
                problems.append(Problem(doc.path, line, ERROR, "attachment-outside",
                                        f"links to `{path}`, outside {prefix.rstrip('/')}/: keep files beside "
                                        f"the document"))
            elif found is not None and not found.type:
                problems.append(Problem(doc.path, line, ERROR, "attachment-refused",
                                        f"links to {path}, whose content is not a {suffix_of(path)} file: "
                                        f"save it in that format, or rename it"))
            elif found is None:
                problems.append(Problem(doc.path, line, ERROR, "attachment-missing",
                                        f"links to {path}, which does not exist: add the file (with `git add`) "
                                        f"or fix the link"))
    for person in content.people.values():
        if only is None or person.path in only:
            problems += find_avatar_problems(person, attachments)
    for path, attachment in sorted(attachments.items()):
        if attachment.size > max_bytes and not attachment.lfs and (only is None or path in only):
            problems.append(Problem(path, 0, ERROR, "attachment-too-large",
                                    f"is {format_size(attachment.size)}; at most {format_size(max_bytes)} "
                                    f"(wol.attachment_max_mb) can be attached: make it smaller, or keep it "
                                    f"with Git LFS and link to it"))
    return problems


def format_size(size: int) -> str:
    """`532 bytes`, `12 KB`, `3.4 MB`."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"
