"""The demo content answers the relevance set: each query's expected documents come first or in the top three."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from wol.engines.search import SearchIndex
from wol.knowledge import load_graph
from wol.settings import load_settings

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "relevance.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_search(demo_root, tmp_path_factory):
    """(the demo's graph, its SearchIndex in a scratch cache)."""
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(tmp_path_factory.mktemp("cache")))
    return load_graph(settings), SearchIndex(settings)


def test_relevance_set_has_at_least_thirty_queries():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_query_finds_expected_documents_first(demo_search, case):
    graph, index = demo_search
    hits = [h.id for h in index.search(graph, case["query"], limit=3)]
    if "top1" in case:
        assert hits[:1] == [case["top1"]]
    for expected in case.get("top3", []):
        assert expected in hits
