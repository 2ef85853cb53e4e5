"""The scoring model, once: BM25F per field × the document's quality prior.

Both executors use these functions. `wol search` feeds them whoosh's own
numbers, a posting at a time (`postings.scores`); the static index
(`static.py`) feeds them the same numbers counted from the same analysis, as
numpy arrays, and writes the resulting weights for the reader's browser to add
up. No other copy of the formula exists. (numpy is imported only for arrays:
`wol search` starts without it.)
"""

from __future__ import annotations

import math

B = 0.75  # whoosh's BM25F defaults, which `QualityWeighting` inherits
K1 = 1.2


def idf(doc_count, doc_frequency):
    """whoosh's idf: `ln(N / (df + 1)) + 1`, N counting every document of the index (numbers or arrays)."""
    ratio = doc_count / (doc_frequency + 1)
    return (_log_of_array(ratio) if hasattr(ratio, "shape") else math.log(ratio)) + 1


def norm(length, average: float, k1: float = K1, b: float = B):
    """BM25's length normalisation `K1 × (1 − B + B × length / average)`, a length of 0 counting as 1
    (whoosh's), of one document or of an array of them."""
    return k1 * ((1 - b) + b * (length + (length == 0)) / (average or 1))


def weight(term_idf, tf, doc_norm, k1: float = K1):
    """The BM25 weight of a term in a document (tf already × the field's boost; numbers or arrays)."""
    return term_idf * (tf * (k1 + 1)) / (tf + doc_norm)


def weigh(postings, term_idf: float, doc_norms, k1: float = K1):
    """(doc, weight) of a term's postings `(doc, tf)`, one at a time."""
    for doc, tf in postings:
        yield doc, weight(term_idf, tf, doc_norms[doc], k1)


def _log_of_array(values):
    import numpy
    return numpy.log(values)
