"""Which files beside a document wol accepts, by name: the allow-list of attachment types.

Kept apart from `attachments.py` (what a file is, which links point at it) so that
`stamps.py`, which `wol search` runs before anything else, imports no parser."""

from __future__ import annotations

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
FILE_TYPES = {".pdf": "application/pdf", ".csv": "text/csv", ".log": "text/plain",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              ".zip": "application/zip"}
TYPES = {**IMAGE_TYPES, **FILE_TYPES}


def suffix_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_attachment_path(path: str) -> bool:
    return suffix_of(path) in TYPES
