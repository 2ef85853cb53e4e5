"""`wol search`: the best published posts and questions for a query, as the site's search box ranks them."""

from __future__ import annotations

import html
import re

from ..engines.search import Hit, SearchIndex
from ..knowledge import load_graph
from ..settings import Settings


def search_repository(settings: Settings, query: str, limit: int = 10, notify=None) -> list[Hit]:
    """Read content/, bring the index up to date (`notify` hears of a long rebuild), then search it."""
    graph = load_graph(settings)
    index = SearchIndex(settings)
    index.update(graph, notify=notify)
    return index.search(graph, query, limit=limit)


def terminal_snippet(snippet: str, bold) -> str:
    """A <mark> snippet → terminal text, each mark passed through `bold` (e.g. click.style)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(bold(html.unescape(p)) if i % 2 else html.unescape(p) for i, p in enumerate(parts))
