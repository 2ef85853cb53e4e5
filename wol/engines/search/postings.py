"""Scores and match positions read straight from whoosh's postings: the one module on whoosh internals.

A query of plain words (nearly all) is scored by one loop over its terms' postings
blocks (`scores`), with the formula of `bm25.py` (whoosh's BM25F) × the quality prior
(`QualityWeighting`); `tests/search/test_search.py` pins it to whoosh's own scores.
Anything else (phrases, fuzzy words, AND/NOT, `kind:`) goes through whoosh's
matchers. `characters` finds where matched words are in a few documents, for snippets.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from itertools import accumulate

from whoosh import scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import Or, Term

from . import bm25
from .schema import FIELD_BOOSTS


class QualityWeighting(scoring.BM25F):
    """BM25F text relevance × the document's quality prior (a column, read once per searcher)."""

    use_final = True

    def final(self, searcher, docnum, score):
        column = searcher.__dict__.get("_wol_quality")
        if column is None:
            column = searcher.__dict__["_wol_quality"] = searcher.reader().column_reader("quality")
        return score * (column[docnum] or 1.0)


def top(searcher, q, limit: int, keep=None) -> list[tuple[int, float, dict]]:
    """(docnum, score, stored fields) of the best `limit` documents, best first; ties by docnum.
    `keep(stored fields)`, when given, says which documents may be among them (filters)."""
    terms = plain_terms(q)
    if terms is None:
        found = ((r.docnum, r.score) for r in searcher.search(q, limit=None if keep else limit))
    elif keep is None:
        found = heapq.nlargest(limit, scores(searcher, terms).items(), key=lambda item: (item[1], -item[0]))
    else:
        found = sorted(scores(searcher, terms).items(), key=lambda item: (-item[1], item[0]))
    return first(searcher, found, limit, keep)


def first(searcher, found, limit: int, keep=None) -> list[tuple[int, float, dict]]:
    """(docnum, score, stored fields) of the first `limit` of `found` ((docnum, score), best first) that
    `keep(stored fields)` accepts."""
    best = []
    for docnum, score in found:
        stored = searcher.stored_fields(docnum)
        if keep is None or keep(stored):
            best.append((docnum, score, stored))
            if len(best) == limit:
                break
    return best


def plain_terms(q) -> list[Term] | None:
    """The words of a query that is only words OR-ed over the text fields (nearly every query), else None.
    (`query.parse_query` drops the parser's coordination `scale`; a query with one is left to whoosh.)"""
    if type(q) is Term:
        terms = [q]
    elif (type(q) is Or and q.boost == 1.0 and not q.minmatch and not q.scale
          and all(type(s) is Term for s in q.subqueries)):
        terms = q.subqueries
    else:
        return None
    return terms if all(t.fieldname in FIELD_BOOSTS and isinstance(t.text, str) for t in terms) else None


def scores(searcher, terms: list[Term]) -> dict[int, float]:
    """docnum → score of every document matching any of `terms`: the score whoosh's
    `searcher.search` gives (the sum of BM25F per term, × the quality prior), computed a
    postings block at a time. whoosh's own matchers cost a few Python
    calls per posting and per document; this costs one loop step per posting."""
    weighting = searcher.weighting
    found: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        present = [t for t in terms if (t.fieldname, t.text) in reader]
        if not present:
            continue
        sums: dict[int, float] = defaultdict(float)
        for t in present:
            name = t.fieldname
            term_idf = bm25.idf(searcher.doc_count_all(), searcher.doc_frequency(name, t.text))
            norms = _norms(reader, name, weighting.K1, weighting._field_B.get(name, weighting.B),
                           searcher.avg_field_length(name) or 1)
            for docnum, weight in bm25.weigh(_postings(reader, name, t.text), term_idf, norms, weighting.K1):
                sums[docnum] += weight * t.boost
        quality = _qualities(reader)
        deleted = reader.is_deleted if reader.has_deletions() else None
        for docnum, score in sums.items():
            if deleted is None or not deleted(docnum):
                found[offset + docnum] = score * quality[docnum]
    return found


def _qualities(reader) -> list[float]:
    """The quality prior of each document of one segment, read once per segment reader."""
    found = reader.__dict__.get("_wol_quality")
    if found is None:
        found = reader.__dict__["_wol_quality"] = [q or 1.0 for q in reader.column_reader("quality")]
    return found


def _norms(reader, fieldname: str, K1: float, B: float, avgfl: float) -> list[float]:
    """BM25's length normalisation `K1 × (1 − B + B × length / avgfl)` of each document of one
    segment (as whoosh's `bm25` computes it), kept per segment reader while avgfl stays."""
    cache = reader.__dict__.setdefault("_wol_norms", {})
    key = (fieldname, K1, B, avgfl)
    found = cache.get(key)
    if found is None:
        for old in [k for k in cache if k[0] == fieldname]:
            del cache[old]
        field_length = reader.doc_field_length
        found = cache[key] = [bm25.norm(field_length(d, fieldname, 1) or 0, avgfl, K1, B)
                              for d in range(reader.doc_count_all())]
    return found


def _postings(reader, fieldname: str, text: str):
    """(docnum, weight) of a term's postings in one segment, deleted documents included;
    a whole block at a time from whoosh's W3 matcher, else a posting at a time."""
    m = reader.postings(fieldname, text)
    m = getattr(m, "child", m)  # unwrap the deletions filter
    if not isinstance(m, W3LeafMatcher):
        while m.is_active():
            yield m.id(), m.weight()
            m.next()
        return
    while m.is_active():
        m._read_weights()  # also reads the block; its ids are deltas (whoosh decodes them a generator step each)
        yield from zip(accumulate(m._data[0]), m._weights)
        m._next_block()


def characters(searcher, name: str, term: bytes, docnums: list[int]):
    """(docnum, [(position, start, end)]) where `term` occurs in `name` of the sorted `docnums`.
    whoosh's `skip_to` decodes the block it leaves and steps a posting at a time; this
    skips blocks by their headers and finds the document in the block by bisection."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        local = [d - offset for d in docnums if offset <= d < offset + reader.doc_count_all()]
        if not local or (name, term) not in reader:
            continue
        m = reader.postings(name, term)
        m = getattr(m, "child", m)  # unwrap the deletions filter: the documents wanted are live
        for docnum in local:
            if not m.is_active():
                break
            if isinstance(m, W3LeafMatcher):
                m._skip_to_block(lambda: docnum > m.block_max_id())
                if not m.is_active():
                    break
                m._read_ids()
                m._i = bisect.bisect_left(m._ids, docnum, m._i)
            elif m.id() < docnum:
                m.skip_to(docnum)
            if m.is_active() and m.id() == docnum:
                yield offset + docnum, m.value_as("characters")


def documents(searcher, terms: list[Term]) -> set[int]:
    """The live documents that hold any of `terms`."""
    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        deleted = reader.is_deleted if reader.has_deletions() else None
        for t in terms:
            if (t.fieldname, t.text) in reader:
                found.update(offset + d for d, _ in _postings(reader, t.fieldname, t.text)
                             if deleted is None or not deleted(d))
    return found
