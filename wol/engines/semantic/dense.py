"""Meaning as vectors: one per document, one per word a reader may type, from the shipped static model.

A document's vector is the model's mean of its tokens' vectors (title twice,
topics, the first `SCAN` characters of its text), as a unit vector in int8
(×127). A word's vector is the sum of its tokens' vectors, in int8 with its
own scale, so a query's vector is the sum of its words' (the direction of the
model's own `encode` of the query). The same int8 numbers are written for the
reader's box (`search/static.py`) and scored here for `wol search` and the live
API, so the executors agree. Document vectors are cached by content hash.
"""

from __future__ import annotations

import base64
import os
import threading
from pathlib import Path

import numpy

from ...content.cachefiles import load_pickle, save_pickle
from . import model as shipped

SCAN = 3000  # characters of a document's text read
KINDS = ("post", "question", "topic")
BATCH = 512


class Vectors:
    """Document and word vectors of one index (its owner's; a lock makes it safe to share).

    `documents(entries)` → {id: int8 vector} for posts, questions and topics (cached by digest);
    `word(w)` → its vector (float64), or None when the model has no token for it."""

    def __init__(self, cache: Path | None = None):
        self.cache = Path(cache) if cache else None
        self._memo: dict[str, numpy.ndarray] | None = None  # entry digest → vector
        self._words: dict[str, tuple[float, numpy.ndarray] | None] = {}
        self._lock = threading.Lock()
        self._model = None
        self._table = None

    @property
    def model(self):
        if self._model is None:
            self._model = shipped.load(cache=self.cache)
            self._embedding = numpy.asarray(self._model.embedding, dtype=numpy.float32)
        return self._model

    def version(self) -> str:
        return shipped.version()

    def documents(self, entries: dict) -> dict[str, numpy.ndarray]:
        with self._lock:
            memo = self._load() if self._memo is None else self._memo
            digests = {i: e.digest() for i, e in entries.items() if e.kind in KINDS}
            todo = [(d, entries[i]) for i, d in digests.items() if d not in memo]
            for k in range(0, len(todo), BATCH):
                batch = todo[k:k + BATCH]
                texts = [f"{e.title}. {e.title}. {e.topics}. {e.text()[0][:SCAN]}" for _, e in batch]
                found = self.model.encode(texts, normalize=True)
                for (digest, _), vector in zip(batch, found):
                    memo[digest] = numpy.clip(numpy.rint(vector * 127), -127, 127).astype(numpy.int8)
            self._memo = {d: memo[d] for d in digests.values() if d in memo}
            if todo:
                self._save()
            return {i: self._memo[d] for i, d in digests.items()}

    def word(self, word: str) -> numpy.ndarray | None:
        """The word's vector: the sum of its tokens' (int8 × scale, as the box's `t/` shards hold them)."""
        with self._lock:
            found = self._words.get(word, False)
            if found is False:
                found = self._words[word] = self._word(word)
            return found

    def _word(self, word: str):
        ids = self.tokens(word)
        if not ids:
            return None
        scales, table = self.table()
        total = numpy.zeros(table.shape[1], dtype=numpy.float64)
        for i in ids:  # in order, one at a time: the box adds them up the same way
            total += float(scales[i]) * table[i].astype(numpy.float64)
        return total

    def tokens(self, word: str) -> list[int]:
        """The model's token ids of one word ([UNK] left out)."""
        unknown = self.model.tokenizer.token_to_id("[UNK]")
        return [i for i in self.model.tokenize([word])[0] if i != unknown]

    def table(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Every token's vector as (scale per token float32, int8 rows): what `t/` shards publish."""
        if self._table is None:
            self.model  # loads the embedding
            top = numpy.abs(self._embedding).max(axis=1)
            scales = (numpy.where(top > 0, top, 1.0) / 127).astype(numpy.float32)
            rows = numpy.clip(numpy.rint(self._embedding / scales[:, None]), -127, 127).astype(numpy.int8)
            self._table = (scales, rows)
        return self._table

    def _path(self) -> Path | None:
        return self.cache / f"dense-{self.version()}-{SCAN}-2.pickle" if self.cache else None

    def _load(self) -> dict:
        """The cached vectors: (digests, one int8 matrix of their rows), read as one array, not one per document."""
        if self.cache is None:
            return {}
        saved = load_pickle(self.cache, self._path().name)  # missing, stale or corrupt: computed again
        if not (isinstance(saved, tuple) and len(saved) == 2 and isinstance(saved[1], numpy.ndarray)
                and len(saved[0]) == len(saved[1])):
            return {}
        digests, matrix = saved
        return dict(zip(digests, matrix))

    def _save(self) -> None:
        if self.cache is not None and self._memo:
            save_pickle(self.cache, self._path().name, (list(self._memo), numpy.stack(list(self._memo.values()))))


def query_vector(words: list[numpy.ndarray | None]) -> numpy.ndarray | None:
    """The query's vector: the sum of its words' (in order), None when the model knows none of them."""
    known = [w for w in words if w is not None]
    if not known:
        return None
    total = numpy.zeros_like(known[0])
    for vector in known:
        total += vector
    return total


def cosines(matrix: numpy.ndarray, query: numpy.ndarray) -> numpy.ndarray:
    """Cosine of each int8 row with the query vector (0 for an empty row)."""
    rows = matrix.astype(numpy.float64)
    norms = numpy.linalg.norm(rows, axis=1) * (numpy.linalg.norm(query) or 1.0)
    return numpy.divide(rows @ query, norms, out=numpy.zeros(len(rows)), where=norms > 0)


def encode(vector: numpy.ndarray) -> str:
    """An int8 vector as the box reads it: base64 of its bytes."""
    return base64.b64encode(vector.astype(numpy.int8).tobytes()).decode("ascii")


class Documents:
    """The document vectors of one index, frozen: shared by the threads that search it."""

    def __init__(self, vectors: dict[str, numpy.ndarray]):
        self.ids = list(vectors)
        self.row = {doc_id: n for n, doc_id in enumerate(self.ids)}
        self.matrix = (numpy.stack([vectors[i] for i in self.ids]) if self.ids
                       else numpy.zeros((0, 1), dtype=numpy.int8))

    def nearest(self, query: numpy.ndarray, k: int) -> dict[str, float]:
        """The `k` documents nearest to the query: {id: cosine}, ties by their order."""
        if not self.ids:
            return {}
        found = cosines(self.matrix, query)
        order = numpy.lexsort((numpy.arange(len(found)), -found))[:k]
        return {self.ids[n]: float(found[n]) for n in order}

    def save(self, path: Path) -> None:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
        numpy.savez(tmp, ids=numpy.array(self.ids, dtype=object), matrix=self.matrix)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "Documents | None":
        try:
            with numpy.load(path, allow_pickle=True) as data:
                found = cls({})
                found.ids = [str(i) for i in data["ids"]]
                found.row = {doc_id: n for n, doc_id in enumerate(found.ids)}
                found.matrix = data["matrix"]
                return found
        except Exception:  # missing or damaged: searched without meaning until the next update
            return None
