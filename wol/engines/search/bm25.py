"""The scoring model, once: BM25F per field × the document's quality prior.

Both executors use these functions. `wol search` feeds them whoosh's own
numbers, a posting at a time (`postings.scores`); the static index
(`static.py`) feeds them the same numbers counted from the same analysis, as
numpy arrays, and writes the resulting weights for the reader's browser to add
up. No other copy of the formula exists.
"""

from __future__ import annotations

import numpy

B = 0.75  # whoosh's BM25F defaults, which `QualityWeighting` inherits
K1 = 1.2


def idf(doc_count, doc_frequency):
    """whoosh's idf: `ln(N / (df + 1)) + 1`, N counting every document of the index (numbers or arrays)."""
    return numpy.log(doc_count / (doc_frequency + 1)) + 1


def norms(lengths, average: float, k1: float = K1, b: float = B):
    """BM25's length normalisation `K1 × (1 − B + B × length / average)` of each document (an array)."""
    return k1 * ((1 - b) + b * numpy.maximum(numpy.asarray(lengths, dtype=float), 1) / (average or 1))


def weight(term_idf, tf, norm, k1: float = K1):
    """The BM25 weight of a term in a document (tf already × the field's boost; numbers or arrays)."""
    return term_idf * (tf * (k1 + 1)) / (tf + norm)


def weigh(postings, term_idf: float, doc_norms, k1: float = K1):
    """(doc, weight) of a term's postings `(doc, tf)`, one at a time."""
    for doc, tf in postings:
        yield doc, weight(term_idf, tf, doc_norms[doc], k1)
