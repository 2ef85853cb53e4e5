"""PROTOTYPE, not product code: wol's own sharded static search index, for benchmarks/bench_search_box.py.

The weights the browser adds up are computed here, in Python, with whoosh's BM25F formula
over the fields and boosts of `wol.engines.search` (title 3×, topics 2×, text 1×, author ½,
B 0.75, K1 1.2, idf = ln(N / (df + 1)) + 1, a field boost multiplies the term frequency as
whoosh does at indexing) times the document's quality prior (`quality_of`). A query's score
is the sum of its terms' weights, which is what `_scores` computes for a plain-word query.
The real implementation should not keep this copy: it should export the weights from the
whoosh index with `_postings` / `_norms` / `searcher.idf` themselves (see docs/search-box.md).

Layout of the output folder (JSON; a static host gzips it):
  meta.json          {n, postings, vocab, docs_per_shard, stop, big: [stem]}
  v/<h>.json         surface form → stem, for the forms whose hash is h (the browser needs no stemmer)
  p/<h>.json         stem → [doc deltas, weights×100] for the stems whose hash is h
  p/big/<stem>.json  one stem with more than BIG postings
  f/<len>.json       {same: [form], stem: {form: stem}}: the forms of that length seen twice or more
                     (typo candidates, loaded only on a miss)
  d/<k>.json         documents k×D … : [id, kind, title, url, state, lead], lead = the accepted answer's
                     opening lines for a solved question, else the text's
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from whoosh.analysis import CompositeAnalyzer, StemFilter
from whoosh.util.numeric import byte_to_length, length_to_byte

from wol.engines.search import FIELD_BOOSTS, analyzer_for, plain_text

B, K1 = 0.75, 1.2
BIG = 3000  # postings from which a stem gets a file of its own
POSTINGS_PER_SHARD = 3_000
DOCS_PER_SHARD = 16
FORMS_PER_SHARD = 500
LEAD = 160
SCALE = 10_000  # weights are stored as integers: BM25F × prior × SCALE


def shard_of(word: str, count: int) -> int:
    return zlib.crc32(word.encode("utf-8")) % count


def split_analyzer(language: str):
    """(surface analyzer without the stemmer, stem function) of wol's analyzer for `language`."""
    full = analyzer_for(language)
    items = list(full.items)
    stems = [i for i in items if isinstance(i, StemFilter)]
    surface = CompositeAnalyzer(*[i for i in items if not isinstance(i, StemFilter)])
    stem = stems[0].stemfn if stems else (lambda w: w)
    stops = next((sorted(i.stops) for i in items if hasattr(i, "stops")), [])
    return surface, stem, stops


def build(entries: dict, graph, out: Path, language: str = "en") -> dict:
    """Write the index of `entries` (wol.engines.search.build_entries) into `out`; returns counts."""
    surface, stem_fn, stops = split_analyzer(language)
    # whoosh's chain (RegexTokenizer, LowercaseFilter, StopFilter min=2, StemFilter) as one
    # findall and a stem cache: the same terms, a sixth of the time
    source = next(i.expression.pattern for i in surface.items if hasattr(i, "expression"))
    pattern = re.compile(re.sub(r"\((?!\?)", "(?:", source))  # findall returns whole matches
    stop = frozenset(stops)
    stems: dict[str, str] = {}
    frequency: Counter = Counter()
    docs = list(entries.values())
    n = len(docs)
    lengths = {f: [0] * n for f in FIELD_BOOSTS}
    per_field = {f: defaultdict(list) for f in FIELD_BOOSTS}  # field → stem → [(doc, tf × boost)]
    meta_docs = []
    for d, e in enumerate(docs):
        f = e.fields()
        for name, boost in FIELD_BOOSTS.items():
            words = [w for w in pattern.findall((f[name] or "").lower()) if len(w) >= 2 and w not in stop]
            missing = [w for w in words if w not in stems]
            for w in missing:
                stems[w] = stem_fn(w)
            frequency.update(words)
            counts = Counter(stems[w] for w in words)
            lengths[name][d] = len(words)
            target = per_field[name]
            for s, c in counts.items():
                target[s].append((d, c * boost))
        thread = graph.threads.get(e.id)
        state = thread.state if thread else ""
        lead_text = f["text"]
        if thread and thread.accepted:
            lead_text = plain_text(graph.documents[thread.accepted].body)
        meta_docs.append([e.id, e.kind, e.title, e.url, state, lead_text[:LEAD]])
    sums: dict[str, dict[int, float]] = defaultdict(dict)
    for name, by_stem in per_field.items():
        avg = sum(lengths[name]) / n or 1
        length = [byte_to_length(length_to_byte(x)) for x in lengths[name]]  # whoosh stores lengths in a byte
        for s, docs_tf in by_stem.items():
            idf = math.log(n / (len(docs_tf) + 1)) + 1  # per field, as whoosh's
            acc = sums[s]
            for d, tf in docs_tf:
                norm = K1 * ((1 - B) + B * (length[d] or 1) / avg)
                acc[d] = acc.get(d, 0.0) + idf * (tf * (K1 + 1)) / (tf + norm)
    quality = [e.quality * SCALE for e in docs]
    postings: dict[str, tuple[list[int], list[int]]] = {}
    tfs = {}
    for s, acc in sums.items():
        ids = sorted(acc)
        postings[s] = (ids, [max(1, round(acc[d] * quality[d])) for d in ids])
        tfs[s] = acc
    stats = write(out, postings, stems, meta_docs, stops, frequency)
    stats["state"] = {"postings": postings, "stems": stems, "meta_docs": meta_docs, "stops": stops,
                      "tfs": tfs}
    return stats


def touched_by(state: dict, d: int, new_stems: set[str], new_forms: set[str]) -> set[str]:
    """The shard paths an edit of document `d` rewrites: the postings shards of its old and new
    stems, the vocabulary and typo shards of forms new to the index, and its document shard.
    Collection statistics (N, average lengths, idf) stay those of the last full build."""
    postings, stems = state["postings"], state["stems"]
    total = sum(len(ids) for ids, _ in postings.values())
    p_count = max(1, 2 ** round(math.log2(max(1, total / POSTINGS_PER_SHARD))))
    v_count = max(1, 2 ** round(math.log2(max(1, len(stems) / FORMS_PER_SHARD))))
    old = {s for s, by_doc in state["tfs"].items() if d in by_doc}
    paths = {f"p/big/{s}.json" if len(postings[s][0]) > BIG else f"p/{shard_of(s, p_count)}.json"
             for s in old | (new_stems & set(postings))}
    paths |= {f"p/{shard_of(s, p_count)}.json" for s in new_stems - set(postings)}
    for w in new_forms - set(stems):
        paths |= {f"v/{shard_of(w, v_count)}.json", f"f/{len(w)}.json"}
    paths.add(f"d/{d // DOCS_PER_SHARD}.json")
    return paths


def _delta(ids: list[int]) -> list[int]:
    return [b - a for a, b in zip([0] + ids, ids)]


def write(out: Path, postings: dict, stems: dict, meta_docs: list, stops: list, frequency: dict,
          only: set | None = None) -> dict:
    """Write the shards; with `only` (shard paths), just those (an incremental update)."""
    total = sum(len(ids) for ids, _ in postings.values())
    p_count = max(1, 2 ** round(math.log2(max(1, total / POSTINGS_PER_SHARD))))
    v_count = max(1, 2 ** round(math.log2(max(1, len(stems) / FORMS_PER_SHARD))))
    files: dict[str, object] = {}
    big = sorted(s for s, (ids, _) in postings.items() if len(ids) > BIG)
    for s, (ids, weights) in postings.items():
        key = f"p/big/{s}.json" if len(ids) > BIG else f"p/{shard_of(s, p_count)}.json"
        files.setdefault(key, {})[s] = [_delta(ids), weights]
    for w, s in stems.items():
        files.setdefault(f"v/{shard_of(w, v_count)}.json", {})[w] = s
        if frequency.get(w, 0) >= 2:  # typo candidates: forms seen twice or more
            shard = files.setdefault(f"f/{len(w)}.json", {"same": [], "stem": {}})
            if w == s:
                shard["same"].append(w)
            else:
                shard["stem"][w] = s
    for k in range(0, len(meta_docs), DOCS_PER_SHARD):
        files[f"d/{k // DOCS_PER_SHARD}.json"] = meta_docs[k:k + DOCS_PER_SHARD]
    files["meta.json"] = {"n": len(meta_docs), "postings": p_count, "vocab": v_count,
                          "docs_per_shard": DOCS_PER_SHARD, "stop": stops, "big": big}
    written = 0
    for key, value in files.items():
        if only is not None and key not in only:
            continue
        path = out / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written += 1
    return {"files": len(files), "written": written, "postings": total, "stems": len(postings),
            "forms": len(stems)}
