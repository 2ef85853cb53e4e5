"""`wol search`: the best published posts, questions, people and topics for a query, as the site's search box ranks them."""

from __future__ import annotations

import html
import re

from ..content.spans import normalise_tag
from ..engines.search import Hit, SearchIndex
from ..knowledge import load_graph
from ..settings import Settings


def search_repository(settings: Settings, query: str, limit: int = 10, notify=None, **filters) -> list[Hit]:
    """Read content/, bring the index up to date (`notify` hears of a long rebuild), then search it
    (`filters`: kind, state, topic, as `SearchIndex.search` takes them)."""
    graph = load_graph(settings)
    index = SearchIndex(settings)
    index.update(graph, notify=notify)
    if filters.get("topic"):
        filters["topic"] = graph.canonical(normalise_tag(filters["topic"].lstrip("#")))
    return index.search(graph, query, limit=limit, **filters)


def terminal_snippet(snippet: str, bold) -> str:
    """A <mark> snippet → terminal text, each mark passed through `bold` (e.g. click.style)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(bold(html.unescape(p)) if i % 2 else html.unescape(p) for i, p in enumerate(parts))
