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
`_count` filters and stems each distinct word once and sums (stem, document)
pairs in numpy arrays; `_weights` applies `bm25.py` to them. Only the entries
that changed are analysed and counted: `Counted` keeps the last counts by
document (in memory, and for the next process in the cache: `CountsCache`), and
the counts of the others are renumbered from it, in arrays.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy
import orjson
from whoosh.util.numeric import byte_to_length, length_to_byte

from ...content.cachefiles import load_pickle, save_pickle
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
COUNTS_FORMAT = 1  # CountsCache's layout


@dataclass
class _Analysed:
    """One entry's words, counted before stop words and stemming (which `_count` applies once
    per distinct word of the entries counted), and its result record."""

    fields: dict[str, Counter]  # title, topics, author: lower-cased word → occurrences
    parts: list[Counter]  # the text's, the document's own then each answer's: word → occurrences
    record: dict  # what the result shows


@dataclass
class _Counts:
    """The whole index counted: per field, its (stem, document) pairs and their term frequencies."""

    stems: list[str]  # stem number → stem
    vocab: dict[str, str]  # form → stem, of the forms of the index
    keys: dict[str, numpy.ndarray]  # field → stem × n + document, unique (sorted by `_count`, not by `Counted`)
    tf: dict[str, numpy.ndarray]  # field → occurrences, aligned with keys
    lengths: dict[str, numpy.ndarray]  # field → words of each document (after stop words)
    answers: tuple[numpy.ndarray, numpy.ndarray]  # (stem × n + document, k): text words found only in answer k
    forms: tuple[numpy.ndarray, numpy.ndarray] | None = None  # with `_count(…, forms=True)`: (form number, doc)
    # of every kept form each document holds, once; form numbers index `form_names`
    form_names: list[str] | None = None


@dataclass
class Counted:
    """The counts of the last `files()`, by document, so that the next counts only the entries that changed:
    `_Counts`'s arrays over the document numbers of `ids`, with each document's entry digest and record,
    and the forms each document holds (a form leaves the vocabulary with the last document holding it).
    Arrays are replaced, never changed in place."""

    ids: list  # doc number → id (None: removed)
    digests: list  # doc number → the entry's digest (None: removed)
    records: list  # doc number → its result record (None: removed)
    stems: list[str]  # stem number → stem
    keys: dict[str, numpy.ndarray]  # as _Counts, over len(ids) documents
    tf: dict[str, numpy.ndarray]
    lengths: dict[str, numpy.ndarray]
    answers: tuple[numpy.ndarray, numpy.ndarray]
    forms: list[str]  # form number → form
    form_stems: list[str]  # form number → its stem
    form_rows: tuple[numpy.ndarray, numpy.ndarray]  # (form number, doc) of each form a document holds
    analysis: tuple = ()  # what the counts depend on besides the entries (`_analysis_key`)
    stemmed: dict | None = None  # form → stem of every form stemmed (forms and their variants), when saved


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
        self._counted: Counted | None = None  # the counts of the last files()
        self._generation: _Generation | None = None
        self._cache = CountsCache(cache, language) if cache else None
        self.meaning = None  # the shards of meaning (static_meaning.py), with semantics on
        if semantic_enabled(language):
            from ..semantic.dense import Vectors
            from .static_meaning import MeaningShards
            self.meaning = MeaningShards(Vectors(cache))

    def files(self, entries: dict[str, Entry], aliases: dict[str, str] | None = None) -> dict[str, str]:
        """Site-relative path → JSON text of every shard, for these entries (`aliases`: the graph's
        {alias: tag}, so that the box's `#alias` filter means the topic)."""
        first = self._generation is None
        before = self._counted
        if before is None and self._cache and first:
            before = self._cache.read(_analysis_key(self.analysis))
            if before is not None:
                self.analysis.cached_stems = before.stemmed or {}  # the variants' stems too (`_vocabulary`)
        order = self._order(entries)
        counted, fresh = self._count_changed(order, entries, before)
        self._counted = counted
        counts = _Counts(counted.stems, _present_forms(counted), counted.keys, counted.tf, counted.lengths,
                         counted.answers)
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
        records = counted.records
        for k in range(0, len(order), DOCS_PER_SHARD):
            shards[f"d/{k // DOCS_PER_SHARD}.json"] = records[k:k + DOCS_PER_SHARD]
        encoded = {f"{FOLDER}/{path}": _json(value) for path, value in shards.items()}
        version = hashlib.sha1()
        for path in sorted(encoded):
            version.update(path.encode() + b"\0" + encoded[path] + b"\0")
        texts = {path: data.decode("utf-8", "surrogatepass") for path, data in encoded.items()}
        texts[f"{FOLDER}/meta.json"] = _text({
            "format": FORMAT, "version": version.hexdigest()[:16], "docs": len(order),
            "postings": generation.postings_shards, "vocab": generation.vocab_shards,
            "docs_per_shard": DOCS_PER_SHARD, "stop": sorted(self.analysis.stop_words),
            "big": sorted(generation.big), "typo": {"one": ONE_EDIT_FROM, "two": TWO_EDITS_FROM},
            "forms": sorted(by_length), "api": self.api, "meaning": meaning, "aliases": dict(sorted((aliases or {}).items()))})
        if self._cache and first and fresh:
            counted.stemmed = self.analysis.known_stems  # what this build asked for: the table does not grow
            self._cache.write(counted)
            counted.stemmed = None  # for the next process (`wol build` after an edit)
        return texts

    def _count_changed(self, order: list, entries: dict[str, Entry], before: Counted | None) -> tuple[Counted, int]:
        """(the counts of `entries` numbered by `order`, how many entries were analysed): the entries whose
        digest `before` holds keep their counts, renumbered; the others are analysed and counted."""
        n = len(order)
        position = {doc_id: k for k, doc_id in enumerate(order) if doc_id is not None}
        digests = [entries[doc_id].digest() if doc_id is not None else None for doc_id in order]
        old_n = len(before.ids) if before else 0
        remap = numpy.full(old_n, -1, dtype=numpy.int64)  # old doc number → new (-1: counted again, or gone)
        if before:
            for old, (doc_id, digest) in enumerate(zip(before.ids, before.digests)):
                new = position.get(doc_id) if doc_id is not None else None
                if new is not None and digests[new] == digest:
                    remap[old] = new
        kept = numpy.zeros(n, dtype=bool)
        kept[remap[remap >= 0]] = True
        analysed = [analyse(entries[doc_id], self.analysis) if doc_id is not None and not kept[k] else None
                    for k, doc_id in enumerate(order)]
        fresh_count = sum(a is not None for a in analysed)
        fresh = _count(analysed, self.analysis, forms=True)
        stems = list(before.stems) if before else []
        stem_number = {stem: k for k, stem in enumerate(stems)}
        for stem in fresh.stems:
            if stem not in stem_number:
                stem_number[stem] = len(stems)
                stems.append(stem)
        to_ours = numpy.fromiter(map(stem_number.__getitem__, fresh.stems), dtype=numpy.int64, count=len(fresh.stems))
        keys, tf, lengths = {}, {}, {}
        for name in FIELD_BOOSTS:
            old_keys, old_tf = (_renumbered(before.keys[name], before.tf[name], old_n, remap, n) if before
                                else (numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)))
            keys[name], tf[name] = _merged(old_keys, old_tf, _in_stems(fresh.keys[name], n, to_ours), fresh.tf[name])
            length = fresh.lengths[name].copy()
            if before:
                moved = remap >= 0
                length[remap[moved]] = before.lengths[name][moved]
            lengths[name] = length
        where, ks = fresh.answers
        old_where, old_ks = (_renumbered(*before.answers, old_n, remap, n) if before
                             else (numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)))
        answers = _merged(old_where, old_ks, _in_stems(where, n, to_ours), ks)
        form_list = list(before.forms) if before else []
        form_stems = list(before.form_stems) if before else []
        form_number = {form: k for k, form in enumerate(form_list)}
        names = fresh.form_names
        for form in map(names.__getitem__, numpy.unique(fresh.forms[0]).tolist()):
            if form not in form_number:
                form_number[form] = len(form_list)
                form_list.append(form)
                form_stems.append(fresh.vocab[form])
        fresh_forms = numpy.fromiter((form_number[names[i]] for i in fresh.forms[0].tolist()), dtype=numpy.int64,
                                     count=len(fresh.forms[0]))
        if before:
            form_of, doc_of = before.form_rows
            moved = remap[doc_of]
            form_rows = (numpy.concatenate([form_of[moved >= 0], fresh_forms]),
                         numpy.concatenate([moved[moved >= 0], fresh.forms[1]]))
        else:
            form_rows = (fresh_forms, fresh.forms[1])
        records = [None] * n
        for old in numpy.flatnonzero(remap >= 0).tolist():
            records[remap[old]] = before.records[old]
        for k, a in enumerate(analysed):
            if a is not None:
                records[k] = a.record
        return Counted(list(order), digests, records, stems, keys, tf, lengths, answers, form_list, form_stems,
                       form_rows, _analysis_key(self.analysis)), fresh_count

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

    def _order(self, entries: dict) -> list:
        """Document number → id: the generation's, with new documents numbered after the others."""
        if self._generation is None:
            return list(entries)
        order = [doc_id if doc_id in entries else None for doc_id in self._generation.order]
        known = set(order)
        return order + [doc_id for doc_id in entries if doc_id not in known]

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


class CountsCache:
    """The last counts (`Counted`) in `<cache>/static-<FORMAT>-<language>-n<COUNTS_FORMAT>.pickle`, for the next
    process: a build after an edit counts only the entries that changed. Safe to lose or to share between
    branches (an entry's counts are kept by its digest, its whole content); one that cannot be read, or was
    counted with another analysis, is ignored; one that cannot be written only costs time."""

    def __init__(self, folder: Path, language: str):
        self.folder = Path(folder)
        self.name = f"static-{FORMAT}-{language}-n{COUNTS_FORMAT}.pickle"

    def read(self, analysis: tuple) -> Counted | None:
        found = load_pickle(self.folder, self.name)
        return found if isinstance(found, Counted) and found.analysis == analysis else None

    def write(self, counted: Counted) -> None:
        save_pickle(self.folder, self.name, counted)


def _analysis_key(analysis: Analysis) -> tuple:
    """What counts depend on besides the entries: the analyzer's words, stop words and stemmer."""
    stem = analysis._stem_fn
    return (analysis._pattern.pattern, analysis.min_length, analysis.max_length, tuple(sorted(analysis.stop_words)),
            f"{getattr(stem, '__module__', '')}.{getattr(stem, '__qualname__', stem)}")


def _renumbered(keys, values, old_n: int, remap, n: int):
    """(stem × old_n + doc) keys and their values, with the documents renumbered by `remap` (old doc → new,
    -1: dropped) as stem × n + doc."""
    stem, doc = numpy.divmod(keys, max(old_n, 1))
    new = remap[doc]
    kept = new >= 0
    return stem[kept] * n + new[kept], values[kept]


def _in_stems(keys, n: int, to_ours):
    """Keys of a `_count` (its stem × n + doc) in the stem numbers `to_ours` maps its stems to."""
    stem, doc = numpy.divmod(keys, max(n, 1))
    return to_ours[stem] * n + doc if len(keys) else keys


def _merged(keys, values, more_keys, more_values):
    """Two sets of keys with none in common, each with its values, as one (what reads them sorts them)."""
    return numpy.concatenate([keys, more_keys]), numpy.concatenate([values, more_values])


def _present_forms(counted: Counted) -> dict[str, str]:
    """form → stem of the forms some document holds."""
    held = numpy.flatnonzero(numpy.bincount(counted.form_rows[0], minlength=len(counted.forms)))
    forms, stems = counted.forms, counted.form_stems
    return {forms[i]: stems[i] for i in held.tolist()}


def _word_numbers(counters, number: dict) -> numpy.ndarray:
    """The word numbers of every word of `counters` (Counters), in order."""
    return numpy.fromiter(map(number.__getitem__, chain.from_iterable(counters)), dtype=numpy.int64,
                          count=sum(map(len, counters)))


def _occurrences(counters) -> numpy.ndarray:
    """The occurrences of every word of `counters`, in the same order as `_word_numbers`."""
    return numpy.fromiter(chain.from_iterable(c.values() for c in counters), dtype=numpy.int64,
                          count=sum(map(len, counters)))


def analyse(entry: Entry, analysis: Analysis) -> _Analysed:
    """An entry's words as the whoosh index holds them (`schema.document_of`), counted: the title,
    topics and author, and the text in its parts (the document, then each answer)."""
    text, starts = entry.text()
    bounds = [0] + [start for start, _ in starts] + [len(text)]
    parts = [Counter(analysis.tokens(text[bounds[k]:bounds[k + 1]])) for k in range(len(bounds) - 1)]
    fields = {name: Counter(analysis.tokens(value))
              for name, value in (("title", entry.title), ("topics", entry.topics), ("author", entry.author))}
    return _Analysed(fields, parts, _record(entry, text, bounds))


def _count(docs: list, analysis: Analysis, forms: bool = False) -> _Counts:
    """Count every field of every document at once: each distinct word is filtered (stop words,
    lengths) and stemmed once, the (stem, document) pairs summed in arrays. A text word's answer
    is the answer holding most of its occurrences (the first of equals) when the document's own
    text has none. With `forms`, also which kept forms each document holds."""
    n = max(len(docs), 1)
    live = [(d, a) for d, a in enumerate(docs) if a is not None]
    per_field = {name: [a.fields[name] for _, a in live] for name in FIELD_BOOSTS if name != "text"}
    per_field["text"] = [c for _, a in live for c in a.parts]
    words = list(dict.fromkeys(chain.from_iterable(chain.from_iterable(per_field.values()))))
    number = dict(zip(words, range(len(words))))
    numbers = {name: _word_numbers(counters, number) for name, counters in per_field.items()}
    every = numpy.concatenate(list(numbers.values()))
    distinct, first = numpy.unique(every, return_index=True)
    stems: dict[str, int] = {}
    vocab: dict[str, str] = {}
    stem_of = numpy.full(len(words) + 1, -1, dtype=numpy.int64)
    for i in distinct[numpy.argsort(first, kind="stable")].tolist():  # as they first appear
        form = words[i]
        if analysis.keeps(form):
            stem = vocab[form] = analysis.stem(form)
            stem_of[i] = stems.setdefault(stem, len(stems))
    keys, tfs, lengths = {}, {}, {}
    answers = (numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64))
    held = []  # (form × n + doc) of the kept forms, per field
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
        if forms:
            held.append(numbers[name][kept] * n + doc[kept])
        stem, doc, count = stem[kept], doc[kept], count[kept]
        lengths[name] = numpy.bincount(doc, weights=count, minlength=n)
        keys[name], tfs[name] = _sum_by(stem * n + doc, count)
        if name == "text":
            multi = numpy.repeat(numpy.fromiter((len(a.parts) > 1 for _, a in live for _ in a.parts), dtype=bool,
                                                count=len(owners)), sizes)[kept]
            answers = _answers((stem * n + doc)[multi], part[kept][multi], count[multi])
    counts = _Counts(list(stems), vocab, keys, tfs, lengths, answers)
    if forms:
        pairs = numpy.unique(numpy.concatenate(held)) if held else numpy.zeros(0, dtype=numpy.int64)
        counts.forms, counts.form_names = (pairs // n, pairs % n), words
    return counts


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
