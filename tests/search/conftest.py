"""Fixtures for search: scratch knowledge bases (no Git needed) and a fresh process view of the index."""

from __future__ import annotations

import pytest

from knowledge_base import doc, write_kb


@pytest.fixture
def fresh_process(monkeypatch):
    """Forget the indexes this process has open, as a new `wol` process would."""
    import wol.engines.search
    monkeypatch.setattr(wol.engines.search, "_indexes", {})
    return lambda: wol.engines.search._indexes.clear()


@pytest.fixture
def search_kb(tmp_path):
    """A factory: search_kb({path under content/: text}) → root of a knowledge base (not in Git)."""
    def make(files: dict, **kwargs):
        return write_kb(tmp_path / "kb", files, use_git=False, **kwargs)
    return make


__all__ = ["doc"]
