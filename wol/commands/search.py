"""`wol search`: the best published posts, questions, people and topics for a query, as the site's search box ranks them."""

from __future__ import annotations

import html
import re

from ..content.stamps import content_stamps
from ..engines.search import Hit, SearchIndex
from ..settings import Settings


def search_repository(settings: Settings, query: str, limit: int = 10, notify=None, **filters) -> list[Hit]:
    """Search the index; when content/ changed since it was written, read content/ and bring the index up to
    date first (`notify(message, final)` hears of a long update and its progress).
    `filters`: kind, state, topic, as `SearchIndex.find` takes them.

    A current index answers without reading content/: its manifest holds the stamps of
    the files it was made from (`content_stamps`) and the topic aliases."""
    index = SearchIndex(settings)
    source = content_stamps(settings.content_path)
    aliases = index.current(source)
    if aliases is None:
        from ..knowledge import load_graph
        graph = load_graph(settings)
        index.update(graph, notify=notify, source=source)
        aliases = graph.aliases
    if filters.get("topic"):
        from ..content.spans import normalise_tag  # the parser's rules: only for --topic
        tag = normalise_tag(filters["topic"].lstrip("#"))
        filters["topic"] = aliases.get(tag, tag)
    return index.find(query, limit=limit, **filters)


def progress_printer(write, is_terminal: bool):
    """A `notify(message, final)` for stderr: on a terminal, each report replaces the last on one line;
    elsewhere (a log, a pipe) only the announcement and the closing line are printed."""
    state = {"first": True, "width": 0}

    def notify(message: str, final: bool) -> None:
        first, state["first"] = state["first"], False
        if is_terminal:
            pad = " " * max(0, state["width"] - len(message))
            state["width"] = len(message)
            write("\r" + message + pad + ("\n" if final else ""))
        elif first or final:
            write(message + "\n")

    return notify


def terminal_snippet(snippet: str, bold) -> str:
    """A <mark> snippet → terminal text, each mark passed through `bold` (e.g. click.style)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(bold(html.unescape(p)) if i % 2 else html.unescape(p) for i, p in enumerate(parts))
