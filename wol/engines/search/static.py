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

Computed in bulk: `analyse` counts an entry's raw words (C-level `Counter`);
`_count` filters and stems each distinct word of the whole index once and sums
(stem, document) pairs in numpy arrays; `_weights` applies `bm25.py` to them.
`AnalysisCache` keeps the analyses between full builds, by entry digest.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import threading
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy
import orjson
from whoosh.util.numeric import byte_to_length, length_to_byte

from ...stage.search import Entry
from ..semantic import semantic_enabled
from . import bm25
from .analysis import Analysis
from .schema import FIELD_BOOSTS
from .typos import ONE_EDIT_FROM, TWO_EDITS_FROM

FORMAT = 3  # 2: tables' pipes out of the text, replies' words in their thread; 3: meaning (t/, k/)
FOLDER = "search"  # site-relative
SCALE = 10_000  # weights are integers: BM25F × prior × SCALE
DOCS_PER_SHARD = 16
POSTINGS_PER_SHARD = 3_000
FORMS_PER_SHARD = 500
BIG = 3_000  # postings from which a stem gets a file of its own
LEAD = 200  # characters of a result's lead
REWRITE_FROM = 50  # entries analysed anew from which AnalysisCache is written again
CACHE_FORMAT = 2  # AnalysisCache's layout (2: word numbers into one list of words)


@dataclass
class _Analysed:
    """One entry's words, counted before stop words and stemming (which `_count` applies once
    per distinct word of the whole index), and its result record."""

    fields: dict[str, dict]  # title, topics, author: lower-cased word → occurrences (a Counter, or `_Counted`)
    parts: list[dict]  # the text's, the document's own then each answer's: word → occurrences
    record: dict  # what the result shows


@dataclass
class _Counts:
    """The whole index counted: per field, its (stem, document) pairs and their term frequencies."""

    stems: list[str]  # stem number → stem
    vocab: dict[str, str]  # form → stem, of the forms of the index
    keys: dict[str, numpy.ndarray]  # field → stem × n + document, sorted, unique
    tf: dict[str, numpy.ndarray]  # field → occurrences, aligned with keys
    lengths: dict[str, numpy.ndarray]  # field → words of each document (after stop words)
    answers: tuple[numpy.ndarray, numpy.ndarray]  # (stem × n + document, k): text words found only in answer k
    words: list[str]  # word number → word, of the counts `_count` read (the cache's words first)


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

    def __init__(self, language: str, api: str | None = None, cache: Path | None = None):
        self.analysis = Analysis.of_language(language)
        self.api = api
        self._memo: dict[str, tuple[str, _Analysed]] = {}  # id → (digest, analysis)
        self._words: list[str] = []  # the words the cache's counts are numbered by
        self._generation: _Generation | None = None
        self._cache = AnalysisCache(cache, language) if cache else None
        self.meaning = None  # the shards of meaning (static_meaning.py), with semantics on
        if semantic_enabled(language):
            from ..semantic.dense import Vectors
            from .static_meaning import MeaningShards
            self.meaning = MeaningShards(Vectors(cache))

    def files(self, entries: dict[str, Entry], aliases: dict[str, str] | None = None) -> dict[str, str]:
        """Site-relative path → JSON text of every shard, for these entries (`aliases`: the graph's
        {alias: tag}, so that the box's `#alias` filter means the topic)."""
        first = self._generation is None
        if self._cache and first:
            cached, self._words = self._cache.read(self.analysis)
        else:
            cached = {}
        analysed = {doc_id: self._analyse(entry, cached) for doc_id, entry in entries.items()}
        self._memo = {doc_id: memo for doc_id, memo in self._memo.items() if doc_id in entries}
        order = self._order(analysed)
        docs = [analysed.get(doc_id) if doc_id else None for doc_id in order]
        counts = _count(docs, self.analysis, self._words)
        forms = set(counts.vocab)
        vocab = self._vocabulary(counts.vocab)
        generation = self._generation = self._generation_for(order, counts, len(vocab))
        quality = [entries[doc_id].quality if doc_id in entries else 1.0 for doc_id in generation.order]
        postings = _weights(counts, quality, generation)
        shards: dict[str, dict] = defaultdict(dict)
        for stem, value in postings.items():
            shards[_postings_path(stem, generation)][stem] = value
        by_length: dict[int, dict] = {}
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
        meaning = None
        if self.meaning is not None:
            found, meaning = self.meaning.files(generation.order, self.meaning.vectors.documents(entries))
            shards.update(found)
        for k in range(0, len(docs), DOCS_PER_SHARD):
            shards[f"d/{k // DOCS_PER_SHARD}.json"] = [d.record if d else None for d in docs[k:k + DOCS_PER_SHARD]]
        encoded = {f"{FOLDER}/{path}": _json(value) for path, value in shards.items()}
        version = hashlib.sha1()
        for path in sorted(encoded):
            version.update(path.encode() + b"\0" + encoded[path] + b"\0")
        texts = {path: data.decode("utf-8", "surrogatepass") for path, data in encoded.items()}
        texts[f"{FOLDER}/meta.json"] = _text({
            "format": FORMAT, "version": version.hexdigest()[:16], "docs": len(docs),
            "postings": generation.postings_shards, "vocab": generation.vocab_shards,
            "docs_per_shard": DOCS_PER_SHARD, "stop": sorted(self.analysis.stop_words),
            "big": sorted(generation.big), "typo": {"one": ONE_EDIT_FROM, "two": TWO_EDITS_FROM},
            "forms": sorted(by_length), "api": self.api, "meaning": meaning, "aliases": dict(sorted((aliases or {}).items()))})
        if self._cache and first:  # a full build keeps its analyses for the next one
            reused = sum(digest in cached for digest, _ in self._memo.values())
            self._cache.write(self._memo.values(), self.analysis, reused, counts.words)
        return texts

    def _vocabulary(self, forms: dict[str, str]) -> dict[str, str]:
        """form → stem for the forms of the index, and for the other forms of the same words a reader
        may type (`deploying` where only `deploy` is written): the candidates of `_variants` of each
        stem's shortest form that the stemmer maps to that stem, so the browser needs no stemmer
        and agrees with `wol search`."""
        stem_of = self.analysis.stem
        vocab = dict(forms)
        shortest: dict[str, str] = {}
        for form, stem in vocab.items():
            if stem not in shortest or (len(form), form) < (len(shortest[stem]), shortest[stem]):
                shortest[stem] = form
        for stem, form in shortest.items():
            for variant in _variants(form):
                if variant not in vocab and stem_of(variant) == stem:
                    vocab[variant] = stem
        return vocab

    def _analyse(self, entry: Entry, cached: dict) -> _Analysed:
        digest = entry.digest()
        memo = self._memo.get(entry.id)
        if memo is None or memo[0] != digest:
            memo = self._memo[entry.id] = (digest, cached.get(digest) or analyse(entry, self.analysis))
        return memo[1]

    def _order(self, analysed: dict) -> list:
        """Document number → id: the generation's, with new documents numbered after the others."""
        if self._generation is None:
            return list(analysed)
        order = [doc_id if doc_id in analysed else None for doc_id in self._generation.order]
        known = set(order)
        return order + [doc_id for doc_id in analysed if doc_id not in known]

    def _generation_for(self, order: list, counts: _Counts, vocabulary: int) -> _Generation:
        """The current generation over `order`; the first call takes its statistics from `counts`."""
        number = {doc_id: n for n, doc_id in enumerate(order) if doc_id}
        old = self._generation
        if old is not None:
            return _Generation(order, number, old.doc_count, old.average, old.postings_shards, old.vocab_shards,
                               old.big)
        n = len(order) or 1
        average = {f: float(counts.lengths[f].sum()) / n for f in FIELD_BOOSTS}
        union = numpy.sort(numpy.concatenate([counts.keys[f] for f in FIELD_BOOSTS]))
        union = union[numpy.flatnonzero(numpy.diff(union, prepend=-1))]
        df = numpy.bincount(union // n, minlength=len(counts.stems))  # documents holding the stem, any field
        return _Generation(order, number, len(order), average,
                           _power_of_two(len(union) / POSTINGS_PER_SHARD), _power_of_two(vocabulary / FORMS_PER_SHARD),
                           frozenset(counts.stems[s] for s in numpy.flatnonzero(df > BIG).tolist()))


class AnalysisCache:
    """The entries' analyses of the last full build, by `Entry.digest()`, and the stemmer's words, in
    `<cache>/static-<FORMAT>-<language>.pickle`: a full build analyses only the entries that changed.
    Safe to lose or to share between branches (a digest is the entry's whole content); a cache that
    cannot be read is ignored, one that cannot be written only costs time."""

    def __init__(self, folder: Path, language: str):
        self.path = Path(folder) / f"static-{FORMAT}-{language}-c{CACHE_FORMAT}.pickle"

    def read(self, analysis: Analysis) -> tuple[dict[str, _Analysed], list[str]]:
        """({digest: analysis}, the words their counts are numbered by), or ({}, []) without a usable cache."""
        try:
            with open(self.path, "rb") as f:
                stems, words, analyses = pickle.load(f)
        except Exception:  # missing, stale or corrupt
            return {}, []
        analysis.cached_stems = stems  # what this build asks for is written back: the table does not grow

        def unpack(packed):
            return _Counted(packed[0], packed[1], words)

        return {digest: _Analysed({name: unpack(c) for name, c in fields.items()}, [unpack(c) for c in parts], record)
                for digest, (fields, parts, record) in analyses.items()}, words

    def write(self, memos, analysis: Analysis, reused: int, words: list[str]) -> None:
        """Keep the analyses of `memos` ((digest, analysis) pairs), unless nearly all came from the cache:
        rewriting it costs more than analysing a few entries again (1.4 s at 50,000 entries for one edit),
        so it is rewritten once more than REWRITE_FROM of them (and 1%) were not in it. `words`: the
        last `_count`'s, which number every word of `memos`."""
        memos = list(memos)
        missed = len(memos) - reused
        if missed <= max(REWRITE_FROM, len(memos) // 100) and self.path.is_file():
            return
        number = dict(zip(words, range(len(words))))
        counters = [c for _, a in memos for c in chain(a.fields.values(), a.parts)]
        ids = [_word_numbers([c], number) for c in counters]
        used = numpy.unique(numpy.concatenate(ids)) if ids else numpy.zeros(0, dtype=numpy.int64)
        renumber = numpy.zeros(len(words) + 1, dtype=numpy.uint32)
        renumber[used] = numpy.arange(len(used), dtype=numpy.uint32)  # only the words still used are kept
        packed = iter([(renumber[i].astype(numpy.uint32).tobytes(), _occurrences([c]).astype(numpy.uint32).tobytes())
                       for i, c in zip(ids, counters)])
        data = (analysis.known_stems, [words[i] for i in used.tolist()],
                {digest: ({name: next(packed) for name in a.fields}, [next(packed) for _ in a.parts], a.record)
                 for digest, a in memos})
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


class _Counted:
    """word → occurrences as the cache keeps them: word numbers (into the cache's `words`) and
    occurrences, as the bytes of two uint32 arrays, read without making a string, a dict or an array
    per word or per entry: `_word_numbers` and `_occurrences` join the bytes of many at once.
    Iterating gives the words, as a Counter does."""

    __slots__ = ("ids", "counts", "words")

    def __init__(self, ids: bytes, counts: bytes, words: list[str]):
        self.ids, self.counts, self.words = ids, counts, words

    def __iter__(self):
        words = self.words
        return (words[i] for i in numpy.frombuffer(self.ids, dtype=numpy.uint32).tolist())

    def __len__(self) -> int:
        return len(self.ids) // 4

    def values(self) -> list[int]:
        return numpy.frombuffer(self.counts, dtype=numpy.uint32).tolist()


def _word_numbers(counters, number: dict) -> numpy.ndarray:
    """The word numbers of every word of `counters`, in order: a `_Counted`'s own, a Counter's by `number`."""
    return _joined(counters, lambda c: c.ids,
                   lambda run: map(number.__getitem__, chain.from_iterable(run)))


def _occurrences(counters) -> numpy.ndarray:
    """The occurrences of every word of `counters`, in the same order as `_word_numbers`."""
    return _joined(counters, lambda c: c.counts, lambda run: chain.from_iterable(c.values() for c in run))


def _joined(counters, packed, values) -> numpy.ndarray:
    """One int64 array of `counters` in order: each run of `_Counted` from its bytes (`packed(c)`) in one
    piece, each run of Counters from `values(run)`."""
    pieces, run, kind = [], [], None

    def flush():
        if not run:
            return
        if kind is _Counted:
            pieces.append(numpy.frombuffer(b"".join(map(packed, run)), dtype=numpy.uint32).astype(numpy.int64))
        else:
            pieces.append(numpy.fromiter(values(run), dtype=numpy.int64, count=sum(map(len, run))))
        run.clear()

    for c in counters:
        k = _Counted if type(c) is _Counted else Counter
        if k is not kind:
            flush()
            kind = k
        run.append(c)
    flush()
    return numpy.concatenate(pieces) if pieces else numpy.zeros(0, dtype=numpy.int64)


def analyse(entry: Entry, analysis: Analysis) -> _Analysed:
    """An entry's words as the whoosh index holds them (`schema.document_of`), counted: the title,
    topics and author, and the text in its parts (the document, then each answer)."""
    text, starts = entry.text()
    bounds = [0] + [start for start, _ in starts] + [len(text)]
    parts = [Counter(analysis.tokens(text[bounds[k]:bounds[k + 1]])) for k in range(len(bounds) - 1)]
    fields = {name: Counter(analysis.tokens(value))
              for name, value in (("title", entry.title), ("topics", entry.topics), ("author", entry.author))}
    return _Analysed(fields, parts, _record(entry, text, bounds))


def _count(docs: list, analysis: Analysis, vocabulary: list[str] = ()) -> _Counts:
    """Count every field of every document at once: each distinct word is filtered (stop words,
    lengths) and stemmed once, the (stem, document) pairs summed in arrays. A text word's answer
    is the answer holding most of its occurrences (the first of equals) when the document's own
    text has none."""
    n = max(len(docs), 1)
    live = [(d, a) for d, a in enumerate(docs) if a is not None]
    per_field = {name: [a.fields[name] for _, a in live] for name in FIELD_BOOSTS if name != "text"}
    per_field["text"] = [c for _, a in live for c in a.parts]
    words = list(vocabulary)  # the cache's words first: its counts hold their numbers
    number = dict(zip(words, range(len(words))))
    fresh = (c for c in chain.from_iterable(per_field.values()) if type(c) is not _Counted)
    for form in dict.fromkeys(chain.from_iterable(fresh)):
        if form not in number:
            number[form] = len(words)
            words.append(form)
    numbers = {name: _word_numbers(counters, number) for name, counters in per_field.items()}
    every = numpy.concatenate(list(numbers.values()))
    distinct, first = numpy.unique(every, return_index=True)
    stems: dict[str, int] = {}
    vocab: dict[str, str] = {}
    stem_of = numpy.full(len(words) + 1, -1, dtype=numpy.int64)
    for i in distinct[numpy.argsort(first, kind="stable")].tolist():  # as they first appear, as without a cache
        form = words[i]
        if analysis.keeps(form):
            stem = vocab[form] = analysis.stem(form)
            stem_of[i] = stems.setdefault(stem, len(stems))
    keys, tfs, lengths = {}, {}, {}
    answers = (numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64))
    for name in FIELD_BOOSTS:
        counters = per_field[name]
        sizes = numpy.fromiter(map(len, counters), dtype=numpy.int64, count=len(counters))
        if name == "text":
            owners = [d for d, a in live for _ in a.parts]
            part = numpy.repeat(numpy.fromiter((k for _, a in live for k in range(len(a.parts))), dtype=numpy.int64,
                                               count=len(owners)), sizes)
        else:
            owners = [d for d, _ in live]
        doc = numpy.repeat(numpy.asarray(owners, dtype=numpy.int64), sizes)
        stem = stem_of[numbers[name]]
        count = _occurrences(counters)
        kept = stem >= 0
        stem, doc, count = stem[kept], doc[kept], count[kept]
        lengths[name] = numpy.bincount(doc, weights=count, minlength=n)
        keys[name], tfs[name] = _sum_by(stem * n + doc, count)
        if name == "text":
            multi = numpy.repeat(numpy.fromiter((len(a.parts) > 1 for _, a in live for _ in a.parts), dtype=bool,
                                                count=len(owners)), sizes)[kept]
            answers = _answers((stem * n + doc)[multi], part[kept][multi], count[multi])
    return _Counts(list(stems), vocab, keys, tfs, lengths, answers, words)


def _answers(key, part, count) -> tuple:
    """(stem × n + document, k) of the text words of documents with answers that are absent from the
    document's own text (part 0): k is the answer with most occurrences, the first of equals."""
    if not len(key):
        return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
    parts = int(part.max()) + 1
    triple, summed = _sum_by(key * parts + part, count)
    pair, k = triple // parts, triple % parts
    first = numpy.flatnonzero(numpy.diff(pair, prepend=-1))  # each pair's rows, part 0 first if any
    group = numpy.cumsum(numpy.diff(pair, prepend=-1) != 0) - 1
    answered = k[first][group] != 0
    pair, k, summed = pair[answered], k[answered], summed[answered]
    order = numpy.lexsort((k, -summed, pair))  # per pair: most occurrences first, then the first answer
    pair, k = pair[order], k[order]
    first = numpy.flatnonzero(numpy.diff(pair, prepend=-1))
    return pair[first], k[first]


def _sum_by(key, values):
    """(the distinct keys, sorted; the sum of `values` of each), summing in the given order."""
    order = numpy.argsort(key, kind="stable")
    key = key[order]
    first = numpy.flatnonzero(numpy.diff(key, prepend=-1))  # keys are ≥ 0
    return key[first], numpy.add.reduceat(values[order], first) if len(first) else values[:0]


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


def _weights(counts: _Counts, quality: list[float], generation: _Generation) -> dict[str, list]:
    """stem → [doc deltas, weights, answers?] over the live documents, with the generation's statistics:
    `bm25.weight` of every (stem, field, document) at once, summed over the fields, × the prior."""
    n = max(len(generation.order), 1)
    parts_key, parts_w = [], []
    for name, boost in FIELD_BOOSTS.items():
        key = counts.keys[name]
        stem, doc = key // n, key % n
        df = numpy.bincount(stem, minlength=len(counts.stems))  # documents holding the stem in this field
        lengths = _byte_lengths(counts.lengths[name])  # whoosh keeps a byte
        norms = bm25.norm(lengths, generation.average[name])
        parts_key.append(key)
        parts_w.append(bm25.weight(bm25.idf(generation.doc_count, df)[stem], counts.tf[name] * boost, norms[doc]))
    keys, summed = _sum_by(numpy.concatenate(parts_key), numpy.concatenate(parts_w))  # fields in order
    stem_of, doc_of = keys // n, keys % n
    weights = numpy.maximum(1, numpy.rint(summed * numpy.asarray(quality)[doc_of] * SCALE)).astype(numpy.int64)
    starts = numpy.flatnonzero(numpy.diff(stem_of, prepend=-1))
    deltas = numpy.diff(doc_of, prepend=0)
    deltas[starts] = doc_of[starts]
    answers = numpy.zeros(len(keys), dtype=numpy.int64)
    where, ks = counts.answers
    if len(where):
        answers[numpy.searchsorted(keys, where)] = ks
    names = counts.stems
    with_answers = set(stem_of[answers > 0].tolist())
    ends = starts.tolist()[1:] + [len(keys)]
    out = {}  # slices of the arrays: `_json` writes them as lists
    for start, end, stem in zip(starts.tolist(), ends, stem_of[starts].tolist()):
        if stem in with_answers:
            out[names[stem]] = [deltas[start:end], weights[start:end], answers[start:end]]
        else:
            out[names[stem]] = [deltas[start:end], weights[start:end]]
    return out


def _byte_lengths(lengths):
    """Field lengths as whoosh stores them: in one byte, read back."""
    values = numpy.unique(lengths)
    stored = numpy.array([byte_to_length(length_to_byte(int(v))) for v in values.tolist()], dtype=float)
    return stored[numpy.searchsorted(values, lengths)]


SUFFIXES = ("s", "es", "ed", "ing", "er", "ly")  # common endings (the stemmer
# refuses those that are not the same word, in every language)
DERIVED = ("al", "ness", "ment", "ation", "ion", "ity", "ive")  # other forms of the same word ("arrive",
# "arrival"; "fresh", "freshness"), tried on the base a form has without them


def _variants(form: str):
    """Other spellings of a word a reader may type: its ending swapped for a common one."""
    if len(form) < 3 or not form.isalpha():
        return
    bases = {form} | {form[: -len(x)] for x in SUFFIXES + DERIVED if form.endswith(x) and len(form) - len(x) >= 3}
    for base in bases:
        yield base
        yield from (base + suffix for suffix in SUFFIXES + DERIVED)
        if base.endswith("e"):
            yield from (base[:-1] + x for x in ("ing", "ed") + DERIVED)
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


def _json(value) -> bytes:
    """Compact JSON, keys sorted, UTF-8 (numpy arrays as lists): orjson, or the standard library's
    same bytes for a text orjson refuses (a lone surrogate)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                          default=lambda array: array.tolist()).encode("utf-8", "surrogatepass")


def _text(value) -> str:
    return _json(value).decode("utf-8", "surrogatepass")
