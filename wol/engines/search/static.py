"""The static index the reader's search box reads: `wol search`'s weights, written as shards.

The browser adds up integer weights; it ranks nothing itself. Each weight is
`bm25.py`'s BM25F of a stem in one document (title, topics, text and author,
with the schema's boosts, idf per field, whoosh's one-byte field lengths) ×
the document's quality prior, × `SCALE`: for a plain-word query the sum over
its stems is the score `wol search` gives. Files (under `site/search/`, JSON):

- `meta.json`: format, version, counts, stop words, the big stems, typo bounds, the live API, topic aliases
- `v/<crc32(form) % V>.json`: `{form: stem}` for every word form of the index
- `p/<crc32(stem) % P>.json`: `{stem: [doc deltas, weights, answers]}`; a stem with more than
  `BIG` postings has `p/big/<crc32 hex>.json`; `answers[i]` is 0, or k when the word is only
  in the document's k-th answer (the hit then links to it)
- `f/<length>.json`: `{"same": [form], "stem": {form: stem}}`: typo candidates by length
- `d/<k>.json`: `DOCS_PER_SHARD` result records (id, kind, title, url, state, lead, topics, answers, date)

`docs/search.md` tells the format and the query rules in full. An index is one
*generation*: its document numbers and collection statistics (N, average field
lengths, shard counts) stay as the first `files()` call found them, so that
after an edit only the shards holding changed words are written anew. A new
`StaticIndex` (a full build) starts a new generation.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy
from whoosh.util.numeric import byte_to_length, length_to_byte

from ...stage.search import Entry
from . import bm25
from .analysis import Analysis
from .schema import FIELD_BOOSTS
from .typos import ONE_EDIT_FROM, TWO_EDITS_FROM

FORMAT = 1
FOLDER = "search"  # site-relative
SCALE = 10_000  # weights are integers: BM25F × prior × SCALE
DOCS_PER_SHARD = 16
POSTINGS_PER_SHARD = 3_000
FORMS_PER_SHARD = 500
BIG = 3_000  # postings from which a stem gets a file of its own
LEAD = 200  # characters of a result's lead


@dataclass
class _Analysed:
    """One entry as the index counts it."""

    tf: dict[str, Counter]  # field → stem → occurrences
    lengths: dict[str, int]  # field → words (after stop words), as whoosh counts a field's length
    forms: Counter  # surface form → occurrences, all fields
    answers: dict[str, int]  # stem → k ≥ 1, for the text's stems found only in the k-th answer
    record: dict  # what the result shows


@dataclass
class _Generation:
    order: list  # doc number → id (None: removed since)
    number: dict  # id → doc number
    doc_count: int
    average: dict  # field → average length
    postings_shards: int
    vocab_shards: int
    big: frozenset


class StaticIndex:
    """The shards of one site, for one generation; `files(entries)` after every change.

    `api`: the live search API's site-relative URL (set by `wol serve`, None on a static host).
    Not thread-safe: one caller at a time (the build, or the live server's updater)."""

    def __init__(self, language: str, api: str | None = None):
        self.analysis = Analysis.of_language(language)
        self.api = api
        self._memo: dict[str, tuple[str, _Analysed]] = {}  # id → (digest, analysis)
        self._generation: _Generation | None = None

    def files(self, entries: dict[str, Entry], aliases: dict[str, str] | None = None) -> dict[str, str]:
        """Site-relative path → JSON text of every shard, for these entries (`aliases`: the graph's
        {alias: tag}, so that the box's `#alias` filter means the topic)."""
        analysed = {doc_id: self._analyse(entry) for doc_id, entry in entries.items()}
        self._memo = {doc_id: memo for doc_id, memo in self._memo.items() if doc_id in entries}
        generation = self._generation = self._generation_for(analysed)
        docs = [analysed.get(doc_id) if doc_id else None for doc_id in generation.order]
        quality = [entries[doc_id].quality if doc_id in entries else 1.0 for doc_id in generation.order]
        postings = _weights(docs, quality, generation)
        forms: Counter = Counter()
        for a in analysed.values():
            forms.update(a.forms)
        shards: dict[str, dict] = defaultdict(dict)
        for stem, value in postings.items():
            shards[_postings_path(stem, generation)][stem] = value
        by_length: dict[int, dict] = {}
        vocab = self._vocabulary(forms)
        for form in sorted(vocab):
            shards[f"v/{_crc(form) % generation.vocab_shards}.json"][form] = vocab[form]
        for form in sorted(forms):
            stem = vocab[form]
            entry = by_length.setdefault(len(form), {"same": [], "stem": {}})
            if stem == form:
                entry["same"].append(form)
            else:
                entry["stem"][form] = stem
        for length, entry in by_length.items():
            shards[f"f/{length}.json"] = entry
        for k in range(0, len(docs), DOCS_PER_SHARD):
            shards[f"d/{k // DOCS_PER_SHARD}.json"] = [d.record if d else None for d in docs[k:k + DOCS_PER_SHARD]]
        texts = {f"{FOLDER}/{path}": _json(value) for path, value in shards.items()}
        version = hashlib.sha1()
        for path in sorted(texts):
            version.update(path.encode() + b"\0" + texts[path].encode("utf-8", "surrogatepass") + b"\0")
        texts[f"{FOLDER}/meta.json"] = _json({
            "format": FORMAT, "version": version.hexdigest()[:16], "docs": len(docs),
            "postings": generation.postings_shards, "vocab": generation.vocab_shards,
            "docs_per_shard": DOCS_PER_SHARD, "stop": sorted(self.analysis.stop_words),
            "big": sorted(generation.big), "typo": {"one": ONE_EDIT_FROM, "two": TWO_EDITS_FROM},
            "forms": sorted(by_length), "api": self.api, "aliases": dict(sorted((aliases or {}).items()))})
        return texts

    def _vocabulary(self, forms) -> dict[str, str]:
        """form → stem for the forms of the index, and for the other forms of the same words a reader
        may type (`deploying` where only `deploy` is written): the candidates of `_variants` of each
        stem's shortest form that the stemmer maps to that stem, so the browser needs no stemmer
        and agrees with `wol search`."""
        stem_of = self.analysis.stem
        vocab = {form: stem_of(form) for form in forms}
        shortest: dict[str, str] = {}
        for form, stem in vocab.items():
            if stem not in shortest or (len(form), form) < (len(shortest[stem]), shortest[stem]):
                shortest[stem] = form
        for stem, form in shortest.items():
            for variant in _variants(form):
                if variant not in vocab and stem_of(variant) == stem:
                    vocab[variant] = stem
        return vocab

    def _analyse(self, entry: Entry) -> _Analysed:
        digest = entry.digest()
        memo = self._memo.get(entry.id)
        if memo is None or memo[0] != digest:
            memo = self._memo[entry.id] = (digest, analyse(entry, self.analysis))
        return memo[1]

    def _generation_for(self, analysed: dict[str, _Analysed]) -> _Generation:
        """The current generation, with new documents numbered after the others; the first call makes it."""
        old = self._generation
        if old is not None:
            order = [doc_id if doc_id in analysed else None for doc_id in old.order]
            number = {doc_id: n for n, doc_id in enumerate(order) if doc_id}
            for doc_id in analysed:
                if doc_id not in number:
                    number[doc_id] = len(order)
                    order.append(doc_id)
            return _Generation(order, number, old.doc_count, old.average, old.postings_shards, old.vocab_shards,
                               old.big)
        order = list(analysed)
        n = len(order) or 1
        average = {f: sum(a.lengths[f] for a in analysed.values()) / n for f in FIELD_BOOSTS}
        df: Counter = Counter()
        forms = set()
        for a in analysed.values():
            df.update(set().union(*(a.tf[f] for f in FIELD_BOOSTS)))
            forms.update(a.forms)
        total = sum(df.values())
        return _Generation(order, {doc_id: i for i, doc_id in enumerate(order)}, len(order), average,
                           _power_of_two(total / POSTINGS_PER_SHARD), _power_of_two(len(forms) / FORMS_PER_SHARD),
                           frozenset(s for s, count in df.items() if count > BIG))


def analyse(entry: Entry, analysis: Analysis) -> _Analysed:
    """Count an entry's words per field as the whoosh index does (`schema.document_of`)."""
    text, starts = entry.text()
    bounds = [0] + [start for start, _ in starts] + [len(text)]
    parts = [Counter(analysis.words(text[bounds[k]:bounds[k + 1]])) for k in range(len(bounds) - 1)]  # own, answers
    values = {"title": entry.title, "topics": entry.topics, "author": entry.author}
    tf, lengths, forms = {}, {}, Counter()
    for name in FIELD_BOOSTS:
        if name != "text":
            counts = Counter(analysis.words(values[name]))
        elif len(parts) == 1:
            counts = parts[0]
        else:
            counts = Counter()
            for part in parts:
                counts.update(part)
        forms.update(counts)
        lengths[name] = sum(counts.values())
        tf[name] = _stems(counts, analysis)
    answers = {}
    if starts:
        own = _stems(parts[0], analysis)
        stems = [_stems(part, analysis) for part in parts[1:]]
        most: dict[str, int] = {}
        for k, counts in enumerate(stems, 1):  # the answer with most occurrences, the first of equals
            for stem, count in counts.items():
                if stem not in own and count > most.get(stem, 0):
                    most[stem], answers[stem] = count, k
    return _Analysed(tf, lengths, forms, answers, _record(entry, text, bounds))


def _stems(forms: Counter, analysis: Analysis) -> Counter:
    """Form counts → stem counts."""
    found: Counter = Counter()
    known, stem = analysis.known_stems, analysis.stem
    for form, count in forms.items():
        found[known.get(form) or stem(form)] += count
    return found


def _record(entry: Entry, text: str, bounds: list[int]) -> dict:
    """What a result shows: a solved question leads with its accepted answer's opening."""
    lead = text[:bounds[1]] if len(bounds) > 2 else text
    for k, (url, _) in enumerate(entry.answers, 1):
        if url == entry.accepted:
            lead = text[bounds[k]:bounds[k + 1]]
    record = {"id": entry.id, "kind": entry.kind, "title": entry.title, "url": entry.url, "state": entry.state,
              "lead": _cut(lead.strip()), "topics": list(entry.tags),
              "answers": [{"url": url} for url, _ in entry.answers], "date": entry.date}
    if entry.accepted_author:
        record["answered_by"] = entry.accepted_author
    return record


def _weights(docs: list, quality: list[float], generation: _Generation) -> dict[str, list]:
    """stem → [doc deltas, weights, answers?] over the live documents, with the generation's statistics:
    `bm25.weight` of every (stem, field, document) at once, summed over the fields, × the prior."""
    stems: dict[str, int] = {}
    n = len(docs)
    parts_s, parts_d, parts_w = [], [], []
    for name, boost in FIELD_BOOSTS.items():
        s_ids, d_ids, tfs, lengths = [], [], [], numpy.zeros(n)
        for d, a in enumerate(docs):
            if a is None:
                continue
            tf = a.tf[name]
            lengths[d] = byte_to_length(length_to_byte(a.lengths[name]))  # whoosh keeps a byte
            s_ids += [stems.setdefault(stem, len(stems)) for stem in tf]
            d_ids += [d] * len(tf)
            tfs += tf.values()
        s_ids, d_ids = numpy.array(s_ids, dtype=numpy.int64), numpy.array(d_ids, dtype=numpy.int64)
        df = numpy.bincount(s_ids, minlength=len(stems))  # documents holding the stem in this field
        norms = bm25.norm(lengths, generation.average[name])
        parts_s.append(s_ids)
        parts_d.append(d_ids)
        parts_w.append(bm25.weight(bm25.idf(generation.doc_count, df)[s_ids],
                                   numpy.array(tfs, dtype=float) * boost, norms[d_ids]))
    key = numpy.concatenate(parts_s) * max(n, 1) + numpy.concatenate(parts_d)
    order = numpy.argsort(key, kind="stable")
    key, summed = key[order], numpy.concatenate(parts_w)[order]
    keys, first = numpy.unique(key, return_index=True)
    summed = numpy.add.reduceat(summed, first) if len(first) else summed
    stem_of, doc_of = keys // max(n, 1), keys % max(n, 1)
    weights = numpy.maximum(1, numpy.rint(summed * numpy.asarray(quality)[doc_of] * SCALE)).astype(numpy.int64)
    starts = numpy.flatnonzero(numpy.diff(stem_of, prepend=-1))
    deltas = numpy.diff(doc_of, prepend=0)
    deltas[starts] = doc_of[starts]
    answers = numpy.zeros(len(keys), dtype=numpy.int64)
    triples = [(stems[stem] * max(n, 1) + d, k) for d, a in enumerate(docs) if a is not None
               for stem, k in a.answers.items()]
    if triples:
        where, ks = zip(*triples)
        answers[numpy.searchsorted(keys, numpy.array(where, dtype=numpy.int64))] = ks
    names = list(stems)
    deltas, weights, answers, ends = deltas.tolist(), weights.tolist(), answers.tolist(), starts.tolist()[1:] + [len(keys)]
    out = {}
    for start, end, stem in zip(starts.tolist(), ends, stem_of[starts].tolist()):
        value = [deltas[start:end], weights[start:end]]
        if any(answers[start:end]):
            value.append(answers[start:end])
        out[names[stem]] = value
    return out


SUFFIXES = ("s", "es", "ed", "ing", "er", "ly")  # common endings (the stemmer
# refuses those that are not the same word, in every language)


def _variants(form: str):
    """Other spellings of a word a reader may type: its ending swapped for a common one."""
    if len(form) < 3 or not form.isalpha():
        return
    bases = {form} | {form[: -len(x)] for x in SUFFIXES if form.endswith(x) and len(form) - len(x) >= 3}
    for base in bases:
        yield base
        yield from (base + suffix for suffix in SUFFIXES)
        if base.endswith("e"):
            yield from (base[:-1] + "ing", base[:-1] + "ed", base[:-1] + "ion")
        elif base.endswith("y"):
            yield from (base[:-1] + "ies", base[:-1] + "ied")
        elif base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
            yield from (base + base[-1] + "ing", base + base[-1] + "ed")
        else:
            yield base + "e"


def _postings_path(stem: str, generation: _Generation) -> str:
    if stem in generation.big:
        return f"p/big/{_crc(stem):08x}.json"
    return f"p/{_crc(stem) % generation.postings_shards}.json"


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _power_of_two(x: float) -> int:
    return max(1, 2 ** round(math.log2(max(1.0, x))))


def _cut(text: str) -> str:
    if len(text) <= LEAD:
        return text
    cut = text[:LEAD].rsplit(" ", 1)[0] if " " in text[:LEAD] else text[:LEAD]
    return cut.rstrip(" ,;:.") + "…"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
