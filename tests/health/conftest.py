"""Fixtures of the health and privacy tests."""

from __future__ import annotations

import pytest

from knowledge_base import write_kb


@pytest.fixture
def write(tmp_path):
    """write(files, people=None, use_git=False) → root of a knowledge base (no default people)."""
    def make(files, name="kb", **kwargs):
        kwargs.setdefault("people", {})
        kwargs.setdefault("use_git", False)
        return write_kb(tmp_path / name, files, **kwargs)
    return make
