"""Settings → Content → Graph in one call, for the commands that need the whole graph."""

from __future__ import annotations

from .content.load import load_content
from .derive.graph import Graph, build_graph
from .settings import Settings


def load_graph(settings: Settings) -> Graph:
    """Read content/ (through the cache) and derive the graph."""
    content = load_content(settings.content_path, settings.root, settings.cache_path)
    graph = build_graph(content)
    graph.problems[:0] = content.problems
    return graph
