"""The scoring model, once: BM25F per field × the document's quality prior.

Both executors use these functions. `wol search` feeds them whoosh's own
numbers (`postings.scores`); the static index (`static.py`) feeds them the same
numbers counted from the same analysis, and writes the resulting weights for
the reader's browser to add up. No other copy of the formula exists.
"""

from __future__ import annotations

import math

B = 0.75  # whoosh's BM25F defaults, which `QualityWeighting` inherits
K1 = 1.2


def idf(doc_count: int, doc_frequency: int) -> float:
    """whoosh's idf: `ln(N / (df + 1)) + 1`, N counting every document of the index."""
    return math.log(doc_count / (doc_frequency + 1)) + 1


def norms(lengths, average: float, k1: float = K1, b: float = B) -> list[float]:
    """BM25's length normalisation `K1 × (1 − B + B × length / average)` of each document."""
    average = average or 1
    return [k1 * ((1 - b) + b * (length or 1) / average) for length in lengths]


def weigh(postings, term_idf: float, doc_norms, k1: float = K1):
    """(doc, BM25 weight) of a term's postings `(doc, tf)` (tf already × the field's boost)."""
    top = k1 + 1
    for doc, tf in postings:
        yield doc, term_idf * (tf * top) / (tf + doc_norms[doc])
