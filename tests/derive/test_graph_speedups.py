"""What build_graph computes faster than its plain definition (experts, related topics, orders) equals that definition."""

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


def test_related_topics_and_orders_are_those_of_the_plain_definitions(tmp_path):
    from collections import Counter, defaultdict

    from wol.derive.graph import RELATED_TOPICS
    graph = load_graph(load_settings(write_synthetic(tmp_path / "kb", 400, people=40)))
    co = defaultdict(Counter)
    for doc_id in graph.documents:
        tags = graph.topics_of[doc_id]
        for tag in tags:
            for other in tags:
                if other != tag:
                    co[tag][other] += 1
    assert sum(bool(t.related) for t in graph.topics.values()) > 5
    for tag, topic in graph.topics.items():
        expected = [t for t, _ in sorted(co[tag].items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED_TOPICS]]
        assert topic.related == expected, tag

    def newest(ids):
        everything = {**graph.documents, **graph.replies}
        return sorted(ids, key=lambda i: (everything[i].date, i), reverse=True)
    assert list(graph.documents) == newest(graph.documents)
    assert list(graph.replies) == newest(graph.replies)
    for handle, ids in graph.by_author.items():
        assert ids == newest(ids), handle
    for handle, ids in graph.mentioned_in.items():
        assert ids == newest(ids), handle
