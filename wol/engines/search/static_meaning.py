"""The static index's half for meaning: what the box needs to score `fusion.py` as `wol search` does.

Files (under `site/search/`, JSON), beside `static.py`'s:

- `t/vocab.json`: the model's tokens in id order (the box splits a word into them, as the model does)
- `t/<id // TOKENS_PER_SHARD>.json`: `[[scale], [base64 int8 vector]]` of those tokens
- `k/centroids.json`: `[base64 int8 centroid]` of the document clusters
- `k/<c>.json`: `[[doc number], [base64 int8 vector]]` of cluster c's documents

Below `CLUSTER_FROM` documents there is one cluster (the box scores every
document, as `wol search` does); from there about √N, of which the box reads
the `PROBE` nearest to the query. Centroids are fixed for a generation: a
changed or new document joins the nearest.
"""

from __future__ import annotations

import math

import numpy

from ...content.cachefiles import load_pickle, save_pickle
from ..semantic.dense import Vectors, encode
from . import fusion

TOKENS_PER_SHARD = 256
CLUSTER_FROM = 1000
PROBE = 4
ROUNDS = 8


class MeaningShards:
    """The meaning shards of one generation (its centroids), from the document vectors."""

    def __init__(self, vectors: Vectors):
        self.vectors = vectors
        self.centroids: numpy.ndarray | None = None
        self._tokens: dict[str, object] | None = None

    def files(self, order: list, vectors: dict) -> tuple[dict, dict]:
        """(site-relative path under search/ → JSON value, the meta entry) for documents numbered by
        `order` (doc number → id, None when removed) with `vectors` (id → int8 vector)."""
        numbered = [(n, vectors[i]) for n, i in enumerate(order) if i is not None and i in vectors]
        if self.centroids is None:
            self.centroids = _centroids(numpy.stack([v for _, v in numbered]) if numbered else None)
        found: dict = dict(self._token_files())
        members: list[tuple[list, list]] = [([], []) for _ in range(len(self.centroids))]
        if numbered:
            rows = numpy.stack([v for _, v in numbered]).astype(numpy.float32)
            nearest = numpy.argmax(rows @ self.centroids.astype(numpy.float32).T, axis=1)
            for (n, vector), c in zip(numbered, nearest.tolist()):
                members[c][0].append(n)
                members[c][1].append(encode(vector))
        for c, value in enumerate(members):
            found[f"k/{c}.json"] = [value[0], value[1]]
        found["k/centroids.json"] = [encode(c) for c in self.centroids]
        meta = {"clusters": len(self.centroids), "probe": PROBE, "tokens_per_shard": TOKENS_PER_SHARD,
                "threshold": fusion.THRESHOLD, "min_words": fusion.MIN_WORDS, "weight": fusion.WEIGHT,
                "dense": fusion.DENSE}
        return found, meta

    def _token_files(self) -> dict:
        """The `t/` files: the model's alone, so kept in the cache by its version (the model then loads only
        when a document's vector must be made)."""
        if self._tokens is None:
            cache, name = self.vectors.cache, f"tokens-{self.vectors.version()}-{TOKENS_PER_SHARD}.pickle"
            saved = load_pickle(cache, name) if cache else None
            self._tokens = saved if isinstance(saved, dict) else self._make_token_files()
            if cache and saved is None:
                save_pickle(cache, name, self._tokens)
        return self._tokens

    def _make_token_files(self) -> dict:
        """The `t/` files from the model: its vocabulary, and each token's scale and int8 vector."""
        scales, rows = self.vectors.table()
        vocab = self.vectors.model.tokenizer.get_vocab()
        names = [""] * len(rows)
        for token, i in vocab.items():
            if i < len(names):
                names[i] = token
        tokens = {"t/vocab.json": names}
        for k in range(0, len(rows), TOKENS_PER_SHARD):
            tokens[f"t/{k // TOKENS_PER_SHARD}.json"] = [
                [float(s) for s in scales[k:k + TOKENS_PER_SHARD]],
                [encode(r) for r in rows[k:k + TOKENS_PER_SHARD]]]
        return tokens


def _centroids(rows: numpy.ndarray | None) -> numpy.ndarray:
    """About √N cluster centres of the vectors (k-means from evenly spaced documents), int8; one
    below `CLUSTER_FROM` documents."""
    if rows is None or len(rows) < CLUSTER_FROM:
        mean = rows.astype(numpy.float32).mean(axis=0) if rows is not None else numpy.ones(1, dtype=numpy.float32)
        return _quantise(mean[None, :])
    data = rows.astype(numpy.float32)
    data /= numpy.linalg.norm(data, axis=1, keepdims=True) + 1e-9
    k = round(math.sqrt(len(data)))
    centres = data[numpy.linspace(0, len(data) - 1, k).astype(int)].copy()
    for _ in range(ROUNDS):
        nearest = numpy.argmax(data @ centres.T, axis=1)
        for c in range(k):
            mine = data[nearest == c]
            if len(mine):
                centres[c] = mine.mean(axis=0)
        centres /= numpy.linalg.norm(centres, axis=1, keepdims=True) + 1e-9
    return _quantise(centres)


def _quantise(rows: numpy.ndarray) -> numpy.ndarray:
    rows = rows / (numpy.linalg.norm(rows, axis=1, keepdims=True) + 1e-9)
    return numpy.clip(numpy.rint(rows * 127), -127, 127).astype(numpy.int8)
