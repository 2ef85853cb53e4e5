"""Meaning beside words: the one rule `wol search`, the live API and the box (`wol-index.js`) share.

When some document has every word of the query (typo corrections included),
the lexical ranking stands: a document that merely means the same never
outranks one that says it. Otherwise every lexical hit and the `DENSE`
documents nearest to the query's vector (`semantic/dense.py`) are scored
together: lexical score / the best lexical score, plus for the nearest
`WEIGHT` × how far the cosine is above `THRESHOLD` (scaled to 0–1). A document below the
threshold that has none of the words is not a hit. A query of fewer than
`MIN_WORDS` words the model knows is left to the lexical ranking: one unknown
word (a name, a product code, a forgotten person) finds nothing rather than
whatever happens to lie near it.
"""

from __future__ import annotations

THRESHOLD = 0.2
WEIGHT = 20.0
MIN_WORDS = 2  # words the model knows, for a query to have a meaning (one word alone is a name, a code, a typo)
DENSE = 50  # nearest documents considered


def bonus(cosine: float) -> float:
    return WEIGHT * max(0.0, cosine - THRESHOLD) / (1 - THRESHOLD)


def fuse(lexical: dict, cosine: dict) -> list[tuple]:
    """(key, score) best first, from the lexical hits {key: score} and the cosines of the `DENSE`
    nearest {key: cosine}; ties by key."""
    best = max(lexical.values(), default=0.0)
    scores = {key: (score / best if best > 0 else 0.0) for key, score in lexical.items()}
    for key, value in cosine.items():
        gain = bonus(value)
        if key in scores or gain > 0:
            scores[key] = scores.get(key, 0.0) + gain
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
