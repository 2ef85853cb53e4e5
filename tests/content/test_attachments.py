"""Attachments: an allow-list of types judged by content, image sizes from headers, links found outside code."""

import pytest

from attachments_data import PDF, SVG_WITH_SCRIPT, gif, jpeg, png
from wol.content.attachments import format_size, local_target, read_attachment, sniff
from wol.content.spans import find_destinations


@pytest.mark.parametrize("name, data, kind, size", [
    ("a.png", png(64, 32), "image/png", (64, 32)),
    ("a.gif", gif(3, 5), "image/gif", (3, 5)),
    ("a.jpg", jpeg(40, 30), "image/jpeg", (40, 30)),
    ("a.pdf", PDF, "application/pdf", None),
    ("a.csv", b"host,lag\nkafka-1,3\n", "text/csv", None),
])
def test_allowed_files_are_recognised_with_the_size_of_images(name, data, kind, size):
    found = read_attachment(f"content/posts/{name}", len(data), data)
    assert found.type == kind
    assert ((found.width, found.height) if size else None) == size


@pytest.mark.parametrize("name, data", [
    ("a.png", b"<script>alert(1)</script>"),  # a page named like an image
    ("a.jpg", png()),  # a PNG is no JPEG
    ("a.pdf", b"MZ\x90\x00"),  # a program
    ("a.csv", b"<html><script>alert(1)</script>"),  # markup a browser could run
    ("a.log", b"\x00\x01\x02binary"),
    ("a.svg", SVG_WITH_SCRIPT),  # SVG can carry script: never on the list
    ("a.html", b"<p>hi</p>"),
])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name, data):
    assert sniff("." + name.rsplit(".", 1)[1], data) is None


def test_links_to_files_are_found_outside_code_and_resolved_beside_the_document():
    body = "See ![shot](x.files/a%20b.png \"t\") and [the log](x.files/run.log).\n\n`![no](c.png)`\n\n    [no](d.png)\n"
    assert [(d.target, d.image) for d in find_destinations(body)] == [("x.files/a%20b.png", True),
                                                                      ("x.files/run.log", False)]
    doc = "content/posts/2026/x.md"
    assert local_target(doc, "x.files/a%20b.png") == "content/posts/2026/x.files/a b.png"
    assert local_target(doc, "../../../../etc/passwd.png") == "../etc/passwd.png"
    assert local_target(doc, "https://example.com/a.png") is None
    assert local_target(doc, "other-post/") is None and local_target(doc, "#top") is None


def test_sizes_read_as_people_say_them():
    assert [format_size(n) for n in (512, 12_000, 3_500_000)] == ["512 bytes", "12 KB", "3.3 MB"]


def test_a_git_lfs_pointer_stands_for_its_file_and_is_not_held_to_the_size_limit():
    from types import SimpleNamespace
    from wol.content.attachments import find_attachment_problems
    pointer = (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 52428800\n")
    found = read_attachment("content/posts/x.files/video.zip", len(pointer), pointer)
    assert (found.type, found.size, found.lfs) == ("application/zip", 52_428_800, True)
    content = SimpleNamespace(documents={}, people={}, attachments={found.path: found})
    assert find_attachment_problems(content, max_bytes=1024) == []
