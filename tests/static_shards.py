"""A reader of the static index's shards in Python, as the box's script reads them (for tests of what
`wol build` writes; the box itself is tested in Chromium), and helpers to write shards and random queries."""

from __future__ import annotations

import json
import random
import re
import sys
import zlib
from pathlib import Path

from rapidfuzz.distance import OSA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import REAL_WORDS  # noqa: E402

WORD = re.compile(r"[^\W]+(?:\.?[^\W]+)*")


class Shards:
    """Queries a built site's `search/` folder, counting the files it opens."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.opened: list[str] = []
        self.meta = self._get("meta.json")

    def _get(self, rel: str):
        self.opened.append(rel)
        path = self.folder / rel
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def stems_of(self, word: str) -> list[str]:
        meta = self.meta
        vocab = self._get(f"v/{zlib.crc32(word.encode()) % meta['vocab']}.json") or {}
        if word in vocab:
            return [vocab[word]]
        k = 2 if len(word) >= meta["typo"]["two"] else 1 if len(word) >= meta["typo"]["one"] else 0
        found, least = [], k + 1
        for length in range(len(word) - k, len(word) + k + 1):
            if length not in meta["forms"]:
                continue
            shard = self._get(f"f/{length}.json")
            for form, stem in [(f, f) for f in shard["same"]] + list(shard["stem"].items()):
                d = OSA.distance(word, form)
                if d < least:
                    least, found = d, [stem]
                elif d == least:
                    found.append(stem)
        return list(dict.fromkeys(found)) if least <= k else []

    def search(self, query: str, limit: int = 10) -> list[dict]:
        meta = self.meta
        stop = set(meta["stop"])
        words = [w for w in dict.fromkeys(w.lower() for w in WORD.findall(query)) if len(w) >= 2 and w not in stop]
        stems = list(dict.fromkeys(s for w in words for s in self.stems_of(w)))
        scores: dict[int, int] = {}
        for stem in stems:
            found = self.postings(stem)
            if not found:
                continue
            doc = 0
            for delta, weight in zip(found[0], found[1]):
                doc += delta
                scores[doc] = scores.get(doc, 0) + weight
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        per = meta["docs_per_shard"]
        return [dict(self._get(f"d/{d // per}.json")[d % per], score=score) for d, score in best]


    def postings(self, stem: str) -> list | None:
        """[doc deltas, weights, answers?] of a stem, from its shard."""
        crc = zlib.crc32(stem.encode())
        rel = f"p/big/{crc:08x}.json" if stem in self.meta["big"] else f"p/{crc % self.meta['postings']}.json"
        return (self._get(rel) or {}).get(stem)


def write(files: dict[str, str], folder: Path) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "search"


def queries(entries, count: int, seed: int) -> list[str]:
    """Two or three words of a random title or body; every third with one typo (swap, delete, insert, substitute)."""
    rng = random.Random(seed)
    found = []
    docs = [e for e in entries.values() if e.kind in ("post", "question")]
    for k in range(count):
        entry = rng.choice(docs)
        words = (entry.title.split() if k % 2 else entry.body.split()[:60]) or REAL_WORDS
        picked = rng.sample(words, min(len(words), rng.randint(1, 3)))
        if k % 3 == 2:
            w = max(picked, key=len)
            i = rng.randrange(len(w) - 1)
            w2 = rng.choice([w[:i] + w[i + 1] + w[i] + w[i + 2:], w[:i] + w[i + 1:], w[:i] + "e" + w[i:],
                             w[:i] + "z" + w[i + 1:]])
            picked[picked.index(w)] = w2
        found.append(" ".join(picked).lower())
    return found


def content_text(path: Path) -> str:
    """A site file's text, less what holds no content: the model's own vocabulary and token vectors
    (`search/t/`, the same for every site) and the base64 of document vectors (`search/k/`, and `v` in
    the records of `search/d/`), in which any short word may appear by chance."""
    parts = path.as_posix().split("/")
    where = parts[-3:-1] if len(parts) >= 3 else []
    if where in (["search", "t"], ["search", "k"]):
        return ""
    text = path.read_text(encoding="utf-8", errors="replace")
    if where == ["search", "d"]:
        data = json.loads(text)
        return json.dumps([{k: v for k, v in r.items() if k != "v"} if r else r for r in data], ensure_ascii=False)
    return text
