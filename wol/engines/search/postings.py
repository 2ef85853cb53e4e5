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
import sys
from array import array
from collections import OrderedDict, defaultdict
from itertools import accumulate

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import FixedBytesColumn, NumericColumn
from whoosh.query import Or, Term
from whoosh.util.numeric import byte_to_length

from . import bm25
from .schema import FIELD_BOOSTS

POSTINGS_KEPT = 64  # terms' postings kept per segment reader (a word in every document of 10,000: 96 KB)


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
        column = reader.column_reader("quality", translate=False)  # translated, it is read value by value
        found = reader.__dict__["_wol_quality"] = [q or 1.0 for q in _numbers(column, reader.doc_count_all())]
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
        of_byte = [bm25.norm(byte_to_length(b) if b else 0, avgfl, K1, B) for b in range(256)]
        found = cache[key] = [of_byte[b] for b in _length_bytes(reader, fieldname)]
    return found


def _numbers(column, doccount: int):
    """Every value of a numeric column (whoosh's NumericColumn: fixed-width big-endian numbers) in one
    read of its bytes; any other column reader value by value."""
    if type(column) is NumericColumn.Reader and column._typecode in "fd":
        stored = array(column._typecode, column._dbfile.get(column._basepos,
                                                            min(column._count, doccount) * column._fixedlen))
        if sys.byteorder == "little":
            stored.byteswap()
        return list(stored) + [column._default] * (doccount - len(stored))
    return list(column)


def _length_bytes(reader, fieldname: str) -> bytes:
    """Each document's length in `fieldname` as whoosh stores it (one byte, `length_to_byte`), read in
    one slice of the segment's lengths column rather than a column lookup per document."""
    doccount = reader.doc_count_all()
    column = getattr(reader, "_perdoc", None)
    column = column._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if column is not None else None
    if column is None:
        return bytes(doccount)
    if isinstance(column, FixedBytesColumn.Reader) and column._fixedlen == 1:
        stored = column._dbfile.get(column._basepos, min(column._count, doccount))
        return stored + bytes(doccount - len(stored))
    return bytes(column[d] for d in range(doccount))


def _postings(reader, fieldname: str, text: str):
    """(docnum, weight) of a term's postings in one segment, deleted documents included. The last
    POSTINGS_KEPT terms read are kept per segment reader (each thread has its own): a query reads
    its words' postings twice (is every word somewhere? then the scores), and the box as one types
    asks for the same words again and again."""
    kept = reader.__dict__.get("_wol_postings")
    if kept is None:
        kept = reader.__dict__["_wol_postings"] = OrderedDict()
    key = (fieldname, text)
    found = kept.get(key)
    if found is None:
        found = kept[key] = _read_postings(reader, fieldname, text)
        if len(kept) > POSTINGS_KEPT:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return zip(*found)


def _read_postings(reader, fieldname: str, text: str) -> tuple[array, array]:
    """The docnums and weights of a term's postings in one segment: a whole block at a time from
    whoosh's W3 matcher, else a posting at a time."""
    docnums, weights = array("I"), array("d")
    m = reader.postings(fieldname, text)
    m = getattr(m, "child", m)  # unwrap the deletions filter
    if not isinstance(m, W3LeafMatcher):
        while m.is_active():
            docnums.append(m.id())
            weights.append(m.weight())
            m.next()
        return docnums, weights
    while m.is_active():
        m._read_weights()  # also reads the block; its ids are deltas (whoosh decodes them a generator step each)
        docnums.extend(accumulate(m._data[0]))
        w = m._weights
        weights.extend(w.tolist() if isinstance(w, array) else w)
        m._next_block()
    return docnums, weights


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
