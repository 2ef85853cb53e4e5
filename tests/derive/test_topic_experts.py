"""A topic's experts: everyone with points on it, most points first, ties by handle (one pass over the people)."""

import sys
from pathlib import Path

from wol.knowledge import load_graph
from wol.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_synthetic  # noqa: E402


def test_each_topics_experts_are_its_people_with_points_most_first(tmp_path):
    graph = load_graph(load_settings(write_synthetic(tmp_path / "kb", 400, people=40)))
    with_experts = [t for t in graph.topics.values() if t.experts]
    assert len(with_experts) > 5  # the synthetic votes earn expertise on many topics
    for tag, topic in graph.topics.items():
        expected = sorted(((h, s[tag]) for h, s in graph.expertise.items() if s.get(tag)),
                          key=lambda hs: (-hs[1], hs[0]))
        assert topic.experts == expected, tag
