"""Semantic recall: the meaning set (`tests/data/meaning.yaml`) is found by what it means.

The set is honest (no query word, stemmed, is in its answer), lexical search
alone misses it, meaning finds many, with the network switched off; what
words found is never reordered, one unknown word finds nothing, the editor's
"similar questions" catches a duplicate asked in other words, and an edit
embeds one document."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import pytest
import yaml

from wol.engines.search import SearchIndex
from wol.engines.search.analysis import Analysis
from wol.engines.search.schema import analyzer_for
from wol.engines.semantic import dense, model
from wol.knowledge import load_graph
from wol.settings import load_settings
from wol.stage.search import build_entries

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "meaning.yaml").read_text(encoding="utf-8"))
HIT3_FLOOR = 0.35  # measured 20/45 (docs/semantic.md); lexical alone 2/45
LEXICAL_CEILING = 0.07


def _stems(text: str) -> set[str]:
    return {t.text for t in analyzer_for("en")(text)}


@pytest.fixture(scope="module")
def demo(demo_root):
    return load_graph(load_settings(demo_root))


def _index(demo_root, tmp_path_factory):
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(tmp_path_factory.mktemp("cache")))
    return SearchIndex(settings)


@pytest.fixture(scope="module")
def semantic_index(demo_root, tmp_path_factory):
    return _index(demo_root, tmp_path_factory)


@pytest.fixture(scope="module")
def lexical_index(demo_root, tmp_path_factory):
    index = _index(demo_root, tmp_path_factory)
    index.semantic = False
    return index


def hit_rates(index, graph) -> tuple[float, float]:
    top1 = top3 = 0
    for case in CASES:
        hits = [h.id for h in index.search(graph, case["query"], limit=3)]
        top1 += hits[:1] == [case["expect"]]
        top3 += case["expect"] in hits
    return top1 / len(CASES), top3 / len(CASES)


def test_the_meaning_set_shares_no_word_with_its_answers(demo):
    entries = build_entries(demo)
    assert len(CASES) >= 40
    assert len({c["query"] for c in CASES}) == len(CASES)
    for case in CASES:
        entry = entries[case["expect"]]
        text, _ = entry.text()
        shared = _stems(case["query"]) & _stems("\n".join((entry.title, entry.topics, text)))
        assert not shared, f"{case['query']!r} shares {sorted(shared)} with {case['expect']}"


def test_semantics_find_what_lexical_search_misses(demo, semantic_index, lexical_index):
    _, lexical3 = hit_rates(lexical_index, demo)
    _, semantic3 = hit_rates(semantic_index, demo)
    assert lexical3 <= LEXICAL_CEILING
    assert semantic3 >= HIT3_FLOOR
    assert semantic3 >= 3 * lexical3 and semantic3 - lexical3 >= 0.1


def test_the_whole_pipeline_runs_with_the_network_off(demo_root, tmp_path, monkeypatch):
    """Loading the model, embedding and searching open no socket (a fresh model load, not the process's)."""
    def refuse(*args, **kwargs):
        raise AssertionError("semantic search tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(model, "_LOADED", {})
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(tmp_path / "cache"))
    graph = load_graph(settings)
    hits = SearchIndex(settings).search(graph, "who covers my rail fare for a client meeting", limit=3)
    assert hits[0].id == "posts/2026/travel-booking-how-to"


def test_a_query_whose_words_a_document_has_ranks_as_words_alone(demo, semantic_index, lexical_index):
    """Meaning never reorders what words found: for every relevance case and every two-word pair of the
    demo's titles that some document holds, the results with meaning are those without it."""
    relevance = yaml.safe_load((Path(__file__).parents[1] / "data" / "relevance.yaml").read_text(encoding="utf-8"))
    asked = [c["query"] for c in relevance]
    for entry in list(build_entries(demo).values())[::3]:
        words = [w for w in Analysis.of_language("en").words(entry.title) if len(w) > 3][:2]
        if len(words) == 2:
            asked.append(" ".join(words))
    checked = 0
    for query in asked:
        plain = [h.id for h in lexical_index.search(demo, query, limit=10)]
        if not plain:
            continue
        with_meaning = [h.id for h in semantic_index.search(demo, query, limit=10)]
        searcher = semantic_index.searcher()
        from wol.engines.search.query import _every_word_somewhere
        if _every_word_somewhere(searcher, list(dict.fromkeys(Analysis.of_language("en").words(query)))):
            assert with_meaning == plain, query
            checked += 1
    assert checked >= 40


def test_a_single_unknown_word_finds_nothing_by_meaning(demo, semantic_index):
    assert semantic_index.search(demo, "zorblax") == []
    assert semantic_index.search(demo, "kowalczykowa") == []


def test_similar_questions_catch_a_duplicate_asked_in_other_words(demo, semantic_index, lexical_index):
    title = "Notebook computer nicked on the railway"
    assert "questions/stolen-laptop" not in [h.id for h in lexical_index.similar(demo, title)]
    assert "questions/stolen-laptop" in [h.id for h in semantic_index.similar(demo, title)]


def test_a_rebuild_after_one_edit_embeds_one_document(demo, tmp_path, monkeypatch):
    entries = build_entries(demo)
    first = dense.Vectors(tmp_path)
    embedded = []
    real = type(first.model).encode
    monkeypatch.setattr(type(first.model), "encode", lambda self, texts, **kw: embedded.append(len(texts))
                        or real(self, texts, **kw))
    vectors = first.documents(entries)
    assert sum(embedded) == sum(e.kind in dense.KINDS for e in entries.values()) == len(vectors)
    edited = dict(entries)
    edited["questions/stolen-laptop"] = dataclasses.replace(entries["questions/stolen-laptop"], title="Laptop gone")
    embedded.clear()
    again = dense.Vectors(tmp_path).documents(edited)  # a new process: from the cache
    assert embedded == [1]
    assert (again["posts/2025/pandas-to-polars"] == vectors["posts/2025/pandas-to-polars"]).all()
    assert not (again["questions/stolen-laptop"] == vectors["questions/stolen-laptop"]).all()


def test_the_token_shards_come_from_the_cache_as_the_model_makes_them(tmp_path, monkeypatch):
    from wol.engines.search.static_meaning import MeaningShards
    from wol.engines.semantic.dense import Vectors
    made, _ = MeaningShards(Vectors(tmp_path)).files([], {})  # from the model; kept in tmp_path
    later = Vectors(tmp_path)  # the next build's
    monkeypatch.setattr(later, "table", lambda: pytest.fail("the model's table was read again"))
    again, _ = MeaningShards(later).files([], {})
    assert again == made and len([p for p in made if p.startswith("t/")]) > 100


def test_wol_reads_the_shipped_model_as_model2vec_itself_loads_it():
    """wol makes the StaticModel from the folder's files (no hub client); it encodes as model2vec's loader's does."""
    import numpy
    from model2vec import StaticModel
    texts = ["How long does Kafka keep messages?", "rail fare " * 400, "Überstunden: wer zahlt?", ""]
    ours, theirs = model._read(model.MODEL_DIR), StaticModel.from_pretrained(str(model.MODEL_DIR))
    assert numpy.array_equal(ours.embedding, theirs.embedding)
    assert numpy.array_equal(ours.encode(texts, normalize=True), theirs.encode(texts, normalize=True))
    assert (ours.normalize, ours.max_length) == (theirs.normalize, theirs.max_length)
