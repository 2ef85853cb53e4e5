"""Fixtures for search: scratch knowledge bases (no Git needed) and a wol process's view of the index."""

from __future__ import annotations

import pytest

from knowledge_base import doc, write_kb
from wol.engines.search import SearchIndex
from wol.knowledge import load_graph


class Process:
    """What one `wol` process sees: its own SearchIndex, and content/ read again at each call (as `wol search`)."""

    def __init__(self, settings):
        self.settings = settings
        self.index = SearchIndex(settings)

    def search(self, query: str, limit: int = 10):
        return self.index.search(load_graph(self.settings), query, limit)

    def similar(self, title: str, limit: int = 5):
        return self.index.similar(load_graph(self.settings), title, limit)

    def update(self):
        return self.index.update(load_graph(self.settings))


@pytest.fixture
def process():
    """A factory: process(settings) → a new process's view of that repository's index."""
    return Process


@pytest.fixture
def search_kb(tmp_path):
    """A factory: search_kb({path under content/: text}) → root of a knowledge base (not in Git)."""
    def make(files: dict, **kwargs):
        return write_kb(tmp_path / "kb", files, use_git=False, **kwargs)
    return make


__all__ = ["doc"]
