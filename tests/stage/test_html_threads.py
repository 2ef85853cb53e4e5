"""Rendering user text from many threads at once: `wol serve` previews (waitress threads) and feeds (the updater)."""

from __future__ import annotations

import threading

from wol.stage.html import markdown_to_html

EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "admonition", "footnotes", "abbr",
              "pymdownx.superfences", "pymdownx.tasklist"]
CONFIGS = {"toc": {"permalink": True}}


def document(n: int) -> str:
    """A document whose every part (headings, footnotes, abbreviations, lists) carries its own number."""
    return (f"# Heading {n}\n\nParagraph of document {n} with a note[^n{n}] and *HTML{n}*.\n\n"
            f"## Section {n}.1\n\n- [x] done {n}\n- [ ] open {n}\n\n"
            f"| a{n} | b{n} |\n|---|---|\n| {n} | {n * 2} |\n\n"
            f"!!! note \"Note {n}\"\n    Admonition of {n}.\n\n"
            f"```python\nprint({n})\n```\n\n"
            f"*[HTML{n}]: Hyper text {n}\n\n[^n{n}]: Footnote of document {n}.\n")


def test_many_threads_rendering_at_once_each_get_their_own_document():
    documents = [document(n) for n in range(40)]
    serial = [markdown_to_html(text, EXTENSIONS, CONFIGS) for text in documents]
    assert all(f"Footnote of document {n}." in html for n, html in enumerate(serial))
    wrong, errors = [], []
    start = threading.Barrier(12)

    def render(offset: int) -> None:
        start.wait()
        for round_ in range(3):
            for i in range(len(documents)):
                n = (i + offset) % len(documents)
                try:
                    out = markdown_to_html(documents[n], EXTENSIONS, CONFIGS)
                except Exception as exc:  # the shared instance raised IndexError now and then
                    errors.append(repr(exc))
                    continue
                if out != serial[n]:
                    wrong.append(n)

    threads = [threading.Thread(target=render, args=(k * 3,)) for k in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert not wrong, f"{len(wrong)} of {12 * 3 * len(documents)} renderings differ from their serial rendering"


def test_text_nested_deeper_than_markdown_can_follow_is_shown_as_written_and_breaks_nothing_after():
    hostile = "1. " * 1000
    shown = markdown_to_html(hostile, EXTENSIONS, CONFIGS)
    assert shown.startswith("<pre>1. 1. ") and "<ol>" not in shown
    assert markdown_to_html(document(7), EXTENSIONS, CONFIGS) == markdown_to_html(document(7), EXTENSIONS, CONFIGS)
    assert "<h1" in markdown_to_html(document(7), EXTENSIONS, CONFIGS)
