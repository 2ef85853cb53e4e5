"""The static-embedding model that ships in wol's package: loaded from disk, never from a hub.

`wol/resources/semantic/` is a model2vec `StaticModel` (tokenizer, one vector per
token) distilled from all-MiniLM-L6-v2 (`benchmarks/distill_semantic.py` makes it
again). Loading it reads a few megabytes; it is loaded once per process, and its
only mutable part, the memo of each word's neighbours, is filled under a lock.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy

MODEL_DIR = Path(__file__).resolve().parents[2] / "resources" / "semantic"
NEIGHBOURS_FILE = "neighbours.npz"  # each candidate word's nearest words, computed when the model is made
_LOCK = threading.Lock()
_LOADED: dict[str, "Vocabulary"] = {}


class Vocabulary:
    """The model's whole-word tokens, the candidates for a document's related words.

    `words[i]` has `vectors[i]`, its vector less the mean of all candidates' (the common direction
    every word shares), as a unit vector, and `salience[i]`, the length of its raw vector: the
    model's frequency weighting makes common words short. `neighbours(ids)` are each word's
    nearest words, computed once per word and process."""

    NEIGHBOURS = 8

    def __init__(self, path: Path, stop_words: frozenset[str]):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: a local folder is read as such
        from model2vec import StaticModel
        model = StaticModel.from_pretrained(str(path))
        self.version = model_version(path)
        vocab = model.tokenizer.get_vocab()
        self.words = sorted(w for w in vocab if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower()
                            and w not in stop_words)
        self.index = {w: i for i, w in enumerate(self.words)}
        raw = numpy.asarray(model.embedding[[vocab[w] for w in self.words]], dtype=numpy.float32)
        self.salience = numpy.linalg.norm(raw, axis=1)
        centred = raw / (self.salience[:, None] + 1e-9)
        centred -= centred.mean(axis=0)
        self.vectors = centred / (numpy.linalg.norm(centred, axis=1, keepdims=True) + 1e-9)
        self._near: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}
        self._lock = threading.Lock()
        table = path / NEIGHBOURS_FILE
        if table.is_file():  # shipped with the model: no product of 20,000 × 20,000 at build time
            with numpy.load(table) as data:
                if data["ids"].shape == (len(self.words), self.NEIGHBOURS):
                    sims = data["sims"].astype(numpy.float32)
                    self._near = {i: (row, sims[i]) for i, row in enumerate(data["ids"].astype(numpy.int64))}

    def save_neighbours(self, path: Path) -> None:
        """Compute every candidate's neighbours and keep them beside the model (`distill_semantic.py`)."""
        near = self.neighbours(list(range(len(self.words))))
        ids = numpy.stack([near[i][0] for i in range(len(self.words))]).astype(numpy.int32)
        sims = numpy.stack([near[i][1] for i in range(len(self.words))]).astype(numpy.float16)
        numpy.savez_compressed(path / NEIGHBOURS_FILE, ids=ids, sims=sims)

    def neighbours(self, ids: list[int]) -> dict[int, tuple[numpy.ndarray, numpy.ndarray]]:
        """id → (the ids of its `NEIGHBOURS` nearest other words, their cosines), for each of `ids`."""
        with self._lock:
            todo = [i for i in dict.fromkeys(ids) if i not in self._near]
            for k in range(0, len(todo), 512):
                batch = todo[k:k + 512]
                sims = self.vectors[batch] @ self.vectors.T
                sims[numpy.arange(len(batch)), batch] = -1  # not itself
                best = numpy.argpartition(-sims, self.NEIGHBOURS, axis=1)[:, :self.NEIGHBOURS]
                for row, word, near in zip(sims, batch, best):
                    self._near[word] = (near, row[near])
            return {i: self._near[i] for i in ids}


def model_version(path: Path = MODEL_DIR) -> str:
    """The model's version (what the related-words cache is named after), without loading the model."""
    return (path / "VERSION").read_text(encoding="utf-8").strip()


def vocabulary(stop_words: frozenset[str], path: Path = MODEL_DIR) -> Vocabulary:
    """The process's model (loaded on first use)."""
    key = f"{path}\0{','.join(sorted(stop_words))}"
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = Vocabulary(path, stop_words)
        return _LOADED[key]
