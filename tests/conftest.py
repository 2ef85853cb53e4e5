"""Shared fixtures: the read-only demo repository and scratch knowledge bases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge_base import write_kb

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def demo_root() -> Path:
    """The wol repository itself, whose content/ is the bundled demo (read-only)."""
    return REPO_ROOT


@pytest.fixture
def kb(tmp_path):
    """A factory: kb({path under content/: text}) → root of a fresh knowledge base in Git."""
    def make(files: dict, **kwargs) -> Path:
        return write_kb(tmp_path / "kb", files, **kwargs)
    return make


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; CI sets WOL_REQUIRE_BROWSER=1 so they never skip there."""
    if Path(CHROMIUM).exists() or os.environ.get("WOL_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
