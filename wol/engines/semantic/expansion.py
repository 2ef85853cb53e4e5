"""An entry's related vocabulary: the model's words nearest to what the document is about.

A document's most salient words (by count, title and topics first, and by how
specific the model holds each word) bring their nearest words in the model's
vector space; the best of those that the document does not already use become
its `related` words, in order. The search
schema holds them in a field of low weight (`schema.FIELD_BOOSTS["related"]`),
so a query in other words finds the document while a document holding the
query's own words still ranks first. Results are kept by the entry's content
hash in `<cache>/semantic-<model version>.pickle`: a rebuild after one edit
expands one document.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import threading
from collections import Counter, defaultdict
from pathlib import Path

from ...stage.search import Entry
from .model import Vocabulary, model_version, vocabulary

SWITCH = "WOL_SEMANTIC"  # set to 0 to index without semantic expansion (benchmarks, comparisons)
RELATED = 40  # related words per document
SALIENT = 20  # the document's words whose neighbours are its related words
MIN_SALIENT = 5  # fewer known words than this: no related words
SCAN = 6000  # characters of the text read
BATCH = 256  # documents expanded at a time
KINDS = ("post", "question", "topic")  # people are found by name and expertise, not by meaning
_WORD = re.compile(r"[^\W\d_]+")


def semantic_enabled(language: str = "en") -> bool:
    """Semantic expansion is on for English content unless `WOL_SEMANTIC=0` (the model is English)."""
    off = os.environ.get(SWITCH, "1").strip().lower() in ("0", "off", "false", "no")
    return not off and (language or "en").lower().replace("_", "-").split("-")[0] == "en"


class Expander:
    """entries → the same entries with `related` filled, from the cache where their content is known.

    One per index (its owner's); `expand` takes a lock, so the live server's threads may share it."""

    def __init__(self, language: str, stop_words: frozenset[str], cache: Path | None = None):
        self.enabled = semantic_enabled(language)
        self.stop_words = stop_words
        self.cache = Path(cache) if cache else None
        self._memo: dict[str, str] | None = None  # entry digest (without related words) → related words
        self._lock = threading.Lock()

    def expand(self, entries: dict[str, Entry]) -> dict[str, Entry]:
        if not self.enabled or not entries:
            return entries
        with self._lock:
            version = model_version()
            memo = self._load(version) if self._memo is None else self._memo
            digests = {doc_id: entry.digest() for doc_id, entry in entries.items()}
            todo = [(digests[i], e) for i, e in entries.items() if e.kind in KINDS and digests[i] not in memo]
            model = vocabulary(self.stop_words) if todo else None  # loading it is most of a warm rebuild's cost
            for k in range(0, len(todo), BATCH):
                batch = todo[k:k + BATCH]
                memo.update(zip((d for d, _ in batch), related_words(model, [e for _, e in batch])))
            self._memo = {digests[i]: memo[digests[i]] for i in entries if digests[i] in memo}
            if todo:
                self._save(version)
            return {doc_id: dataclasses.replace(entry, related=self._memo.get(digests[doc_id], ""))
                    for doc_id, entry in entries.items()}

    def _path(self, version: str) -> Path | None:
        return self.cache / f"semantic-{version}-{RELATED}.pickle" if self.cache else None

    def _load(self, version: str) -> dict[str, str]:
        path = self._path(version)
        try:
            with open(path, "rb") as f:
                memo = pickle.load(f)
            return memo if isinstance(memo, dict) else {}
        except Exception:  # missing, stale or corrupt: computed again
            return {}

    def _save(self, version: str) -> None:
        path = self._path(version)
        if path is None:
            return
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                pickle.dump(self._memo, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # an unwritable cache only costs time
            tmp.unlink(missing_ok=True)


def related_words(model: Vocabulary, entries: list[Entry]) -> list[str]:
    """Each entry's `RELATED` related words, space-separated, best first: the neighbours of its
    `SALIENT` most salient words (count in title ×3, topics ×2, text ×1, square-rooted, × the
    word's salience in the model), each neighbour scored by its cosine × the salience of the
    word it neighbours, summed; words the entry already uses are left out, and so are entries with
    fewer than `MIN_SALIENT` known words."""
    out = []
    for entry in entries:
        text, _ = entry.text()
        counts: Counter = Counter()
        for part, weight in ((entry.title, 3), (entry.topics, 2), (text[:SCAN], 1)):
            for word in _WORD.findall(part.lower()):
                counts[word] += weight
        salience = {i: (n ** 0.5) * float(model.salience[i])
                    for i, n in ((model.index.get(w), n) for w, n in counts.items()) if i is not None}
        salient = sorted(salience, key=lambda i: (-salience[i], i))[:SALIENT]
        if len(salient) < MIN_SALIENT:  # too little to go on (a bare topic): no guesses
            out.append("")
            continue
        top = salience[salient[0]]
        scores: defaultdict = defaultdict(float)
        for word, (near, sims) in model.neighbours(salient).items():
            for j, sim in zip(near.tolist(), sims.tolist()):
                if sim > 0:
                    scores[j] += sim * salience[word] / top
        used = _used(entry.title + " " + entry.topics + " " + text)
        ranked = sorted(scores, key=lambda j: (-scores[j], j))
        related: list[str] = []
        for word in (model.words[j] for j in ranked):
            if not _uses(used, word):
                related.append(word)
                if len(related) == RELATED:
                    break
        out.append(" ".join(related))
    return out


def _used(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(text)}
    return words | {w[:5] for w in words if len(w) >= 5}


def _uses(used: set[str], word: str) -> bool:
    """Whether the document already has the word (or, for long words, one of the same five-letter start)."""
    return word in used or (len(word) >= 5 and word[:5] in used)
