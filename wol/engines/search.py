"""Full-text search over published documents: a whoosh index in the cache folder.

The only module that imports whoosh. The index lives in
`<cache>/search/index/`, next to a manifest (`manifest.json`: format, language
and id → content hash); an update re-indexes only the documents whose hash
changed and deletes the removed ones. A missing, stale or corrupt index is
deleted and rebuilt.

What is indexed: posts, and questions together with their answers' text, so
that words of an answer find its question. Ranking is BM25F (title weighs 3×,
topics 2×, author ½) multiplied by a small prior for answered, useful
knowledge (see `quality_of`). A query word the index does not know is matched with a typo's
tolerance (see `fuzziness`), and stemming follows `wol.language`.

Speed: a query of plain words (nearly all) is scored by one loop over its
terms' postings blocks (`_scores`), with whoosh's formula; anything else
(phrases, fuzzy words, AND/NOT, `kind:`) goes through whoosh's matchers. A new
index of many documents is built in two processes (`SearchIndex._build`).
A hit whose words are in one answer links to that answer (`_answer_of`).
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import html
import json
import math
import os
import re
import shutil
import threading
import weakref
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from itertools import accumulate
from pathlib import Path

from whoosh import columns, fields, index, qparser, scoring
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.analysis import LanguageAnalyzer, StemmingAnalyzer, Token
from whoosh.highlight import BasicFragmentScorer, HtmlFormatter, PinpointFragmenter
from whoosh.query import FuzzyTerm, Or, Term

from ..content.document import POST, QUESTION
from ..derive.graph import SOLVED, UNANSWERED, Graph
from ..problems import WolError
from ..settings import Settings

FORMAT = 5  # bump when the schema or what is indexed changes: old indexes are rebuilt
FIELD_BOOSTS = {"title": 3.0, "topics": 2.0, "text": 1.0, "author": 0.5}
SNIPPET_CHARS = 200
SNIPPET_FIELDS = ("text",)
NOTIFY_FROM = 500  # documents to index before a long update is announced
PARALLEL_FROM = 2000  # documents from which a new index is built in BUILD_PROCS processes (at 800 it did not pay)
BUILD_PROCS = 2
BUILD_BATCH = 100  # documents handed to a build process at a time
WRITE_TIMEOUT = 10.0  # seconds to wait for another process's write lock


@dataclass(frozen=True)
class Hit:
    """One search result, best first. `url` is site-relative; `snippet` is HTML-escaped text with <mark>s."""

    id: str
    kind: str
    title: str
    url: str
    score: float
    snippet: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Entry:
    """What the index holds for one document (a question carries its answers), as Markdown."""

    id: str
    kind: str
    title: str
    url: str
    body: str
    answers: tuple[tuple[str, str], ...]  # (url, Markdown) of each answer, in reading order
    topics: str
    author: str
    date: str
    quality: float

    def digest(self) -> str:
        """A hash of everything indexed: the document is re-indexed when it changes."""
        values = (self.id, self.kind, self.title, self.url, self.body, *(u + "\x1e" + a for u, a in self.answers),
                  self.topics, self.author, self.date, repr(self.quality))
        return hashlib.sha1("\x1f".join(values).encode("utf-8", "surrogatepass")).hexdigest()

    def fields(self) -> dict:
        """The whoosh document: one text field holds a question and its answers (so a word counts
        once per document, wherever in the thread it is). Markdown becomes plain text only here,
        for the documents that changed. `answers` stores where each answer starts in the text,
        so that a hit whose words are in one answer links to it."""
        text, starts = plain_text(self.body), []
        for url, body in self.answers:
            text += "\n\n"
            starts.append((len(text), url))
            text += plain_text(body)
        return dict(id=self.id, kind=self.kind, title=self.title, url=self.url, text=text, answers=starts,
                    topics=self.topics, author=self.author, date=self.date, quality=self.quality)


# -- what is indexed ---------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_BLOCK = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+\.\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`+")


def plain_text(markdown: str) -> str:
    """Markdown → readable text for indexing and snippets (links keep their words, markup goes)."""
    text = _LINK.sub(r"\1", markdown)
    text = _HTML_TAG.sub(" ", text)
    text = _FENCE.sub(" ", text)
    text = _BLOCK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def quality_of(graph: Graph, doc_id: str) -> float:
    """A document's prior, between 1.0 and 1.2: + 0.1 × how answered it is (an unanswered
    question 0, an answered one or a post ½, a solved question 1) + 0.1 × its usefulness
    (votes on it and its answers, log2(1 + votes) / 4, at most 1).

    It multiplies the text score, so it orders equal matches (an answered question
    above an unanswered one) and only tips close ones: a weak match of a popular
    page never beats a clearly better match of a quiet one.
    """
    doc = graph.documents[doc_id]
    votes = graph.useful.get(doc_id, 0)
    answered = 0.5
    if doc.kind == QUESTION:
        thread = graph.threads.get(doc_id)
        state = thread.state if thread else UNANSWERED
        answered = {UNANSWERED: 0.0, SOLVED: 1.0}.get(state, 0.5)
        votes += sum(graph.useful.get(a, 0) for a in (thread.answers if thread else []))
    return round(1 + 0.1 * answered + 0.1 * min(1.0, math.log2(1 + votes) / 4), 4)


def build_entries(graph: Graph) -> dict[str, Entry]:
    """One entry per published post and question; answers are folded into their question."""
    entries = {}
    for doc_id, doc in graph.documents.items():
        if doc.kind not in (POST, QUESTION):
            continue
        thread = graph.threads.get(doc_id)
        answers = [graph.documents[a] for a in thread.answers] if thread else []
        authors = [doc.author] + [a.author for a in answers]
        names = [f"{h} {graph.people[h].name}" if h in graph.people else h for h in dict.fromkeys(authors)]
        topic_words = []
        for tag in graph.topics_of.get(doc_id, []):
            topic = graph.topics.get(tag)
            topic_words += [tag] + (topic.aliases + [topic.title] if topic else [])
        entries[doc_id] = Entry(
            id=doc_id, kind=doc.kind, title=doc.title, url=graph.url_of(doc_id),
            body=doc.body, answers=tuple((graph.url_of(a.id), a.body) for a in answers),
            topics=" ".join(dict.fromkeys(topic_words)), author=" ".join(names),
            date=doc.date.isoformat(), quality=quality_of(graph, doc_id))
    return entries


# -- the index -----------------------------------------------------------------

def analyzer_for(language: str):
    """English: whoosh's StemmingAnalyzer (Porter); another language: its LanguageAnalyzer
    (stop words and Snowball stemmer where whoosh has them, else plain words)."""
    lang = (language or "en").lower().replace("_", "-").split("-")[0]
    return StemmingAnalyzer() if lang == "en" else LanguageAnalyzer(lang)


def make_schema(language: str) -> fields.Schema:
    text = analyzer_for(language)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        title=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["title"]),
        text=fields.TEXT(analyzer=text, stored=True, chars=True),  # chars: snippets without re-analysing
        topics=fields.TEXT(analyzer=text, field_boost=FIELD_BOOSTS["topics"]),
        author=fields.TEXT(analyzer=text, field_boost=FIELD_BOOSTS["author"]),
        url=fields.STORED(),
        answers=fields.STORED(),  # [(start in text, url)] of a question's answers
        date=fields.ID(stored=True),
        quality=fields.COLUMN(columns.NumericColumn("f", default=1.0)),
    )


class QualityWeighting(scoring.BM25F):
    """BM25F text relevance × the document's quality prior (a column, read once per searcher)."""

    use_final = True

    def final(self, searcher, docnum, score):
        column = searcher.__dict__.get("_wol_quality")
        if column is None:
            column = searcher.__dict__["_wol_quality"] = searcher.reader().column_reader("quality")
        return score * (column[docnum] or 1.0)


def qualities(reader) -> list[float]:
    """The quality prior of each document of one segment, read once per segment reader."""
    found = reader.__dict__.get("_wol_quality")
    if found is None:
        found = reader.__dict__["_wol_quality"] = [q or 1.0 for q in reader.column_reader("quality")]
    return found


class Codec(W3Codec):
    """whoosh's codec without per-block document-length statistics: writing them looks up a
    length for every posting (a tenth of the build); they only tighten whoosh's pruning bounds,
    which `_scores` does not use (BM25 reads the lengths stored per document, still written)."""

    length_stats = False


@dataclass
class _Manifest:
    format: int
    language: str
    docs: dict[str, str]  # id → Entry digest
    forgotten: str = ""  # digest of graph.forgotten when the index was written


class SearchIndex:
    """The index of one knowledge repository: opened once per process, synced on demand."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.folder = settings.cache_path / "search"
        self.index_dir = self.folder / "index"
        self.manifest_path = self.folder / "manifest.json"
        self.language = settings.language
        self.lock = threading.RLock()
        self._ix = None
        self._synced = None  # weak reference to the last graph synced
        self._local = threading.local()  # whoosh searchers are not shared between threads

    # manifest
    def _read_manifest(self) -> _Manifest | None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return _Manifest(int(data["format"]), str(data["language"]), dict(data["docs"]),
                             str(data.get("forgotten", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_manifest(self, docs: dict[str, str], forgotten: str = "") -> None:
        tmp = self.manifest_path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "language": self.language, "docs": docs,
                                   "forgotten": forgotten}), encoding="utf-8")
        os.replace(tmp, self.manifest_path)

    # opening
    def _open(self):
        """Open the index, or None when it is missing, stale or unreadable."""
        manifest = self._read_manifest()
        if manifest is None or manifest.format != FORMAT or manifest.language != self.language:
            return None, None
        try:
            ix = index.open_dir(str(self.index_dir))
            with ix.reader() as reader:
                if reader.doc_count() != len(manifest.docs):
                    return None, None
            return ix, manifest
        except Exception:  # whoosh raises many kinds of errors for damaged files
            return None, None

    def _create(self):
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.index_dir), make_schema(self.language))

    # syncing
    def sync(self, graph: Graph, notify=None) -> dict:
        """Bring the index up to date with the graph; returns counts of what changed.
        `notify(message)` hears about long rebuilds before they start."""
        with self.lock:
            if self._synced is not None and self._synced() is graph and self._ix is not None:
                return {"added": 0, "updated": 0, "removed": 0, "rebuilt": False}
            try:
                stats = self._sync(graph, notify)
            except WolError:
                raise
            except Exception:  # a corrupt index found while writing: start over once
                self._ix = None
                shutil.rmtree(self.index_dir, ignore_errors=True)
                self.manifest_path.unlink(missing_ok=True)
                stats = self._sync(graph)
            self._synced = weakref.ref(graph)
            return stats

    def _sync(self, graph: Graph, notify=None) -> dict:
        self.folder.mkdir(parents=True, exist_ok=True)
        entries = build_entries(graph)
        digests = {i: e.digest() for i, e in entries.items()}
        ix, manifest = (self._ix, self._read_manifest()) if self._ix is not None else self._open()
        # Someone was forgotten (wol forget): rebuild, since deleted documents keep their words in old segments.
        forgotten = hashlib.sha1(",".join(sorted(getattr(graph, "forgotten", ()))).encode()).hexdigest()
        rebuilt = ix is None or manifest is None or manifest.forgotten != forgotten
        if rebuilt:
            ix, old = self._create(), {}
        else:
            old = manifest.docs
        changed = [i for i, d in digests.items() if old.get(i) != d]
        removed = [i for i in old if i not in digests]
        if notify and len(changed) >= NOTIFY_FROM:
            notify(f"wol: indexing {len(changed)} documents for search "
                   f"({'once' if rebuilt else 'changes'}; later searches update only what changed)")
        if rebuilt:
            ix = self._build(ix, [entries[i] for i in changed])
            self._write_manifest(digests, forgotten)
        elif changed or removed:
            writer = self._writer(ix)
            try:
                for doc_id in removed:
                    writer.delete_by_term("id", doc_id)
                for doc_id in changed:
                    writer.update_document(**entries[doc_id].fields())
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._write_manifest(digests, forgotten)
        self._ix = ix
        added = sum(1 for i in changed if i not in old)
        return {"added": added, "updated": len(changed) - added, "removed": len(removed), "rebuilt": rebuilt}

    def _build(self, ix, entries: list[Entry]):
        """Write a new index's documents; many are analysed in BUILD_PROCS processes (whoosh's
        MpWriter, one segment each, nothing merged), few or where that fails in this one.
        Only the main thread forks (`wol search`): a server indexing in a background thread
        (`wol serve`) does not fork beside its other threads."""
        procs = min(BUILD_PROCS, os.cpu_count() or 1)
        if procs > 1 and len(entries) >= PARALLEL_FROM and threading.current_thread() is threading.main_thread():
            writer = None
            try:
                writer = ix.writer(procs=procs, batchsize=BUILD_BATCH, limitmb=128, multisegment=True,
                                   codec=Codec())
                for entry in entries:
                    writer.add_document(**entry.fields())
                writer.commit()
                return ix
            except Exception:  # no processes or semaphores here (a sandbox, a daemon thread): one process then
                if writer is not None:
                    try:
                        writer.cancel()
                    except Exception:
                        pass
                ix = self._create()
        writer = ix.writer(limitmb=256, codec=Codec())
        try:
            for entry in entries:
                writer.add_document(**entry.fields())
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return ix

    def _writer(self, ix):
        from whoosh.index import LockError
        try:
            return ix.writer(timeout=WRITE_TIMEOUT, codec=Codec())
        except LockError:
            raise WolError(f"{self.index_dir}: the search index is locked by another wol process; "
                           f"try again, or delete {self.folder} if no wol is running") from None

    # reading
    def searcher(self):
        """This thread's searcher, refreshed when the index changed."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current._ix is self._ix:
            if current.up_to_date():
                return current
            fresh = current.refresh()
        else:
            fresh = self._ix.searcher(weighting=QualityWeighting())
        self._local.searcher = fresh
        return fresh

    def query(self, run):
        """Run `run(searcher)`; a corrupt index is rebuilt from the last graph and tried again."""
        try:
            return run(self.searcher())
        except WolError:
            raise
        except Exception:
            graph = self._synced() if self._synced else None
            if graph is None:
                raise
            with self.lock:
                self._ix, self._synced, self._local = None, None, threading.local()
                shutil.rmtree(self.index_dir, ignore_errors=True)
                self.manifest_path.unlink(missing_ok=True)
                self.sync(graph)
            return run(self.searcher())


_indexes: dict[Path, SearchIndex] = {}
_indexes_lock = threading.Lock()


def _index_of(settings: Settings) -> SearchIndex:
    key = settings.cache_path.resolve() / "search"
    with _indexes_lock:
        found = _indexes.get(key)
        if found is None or found.language != settings.language:
            found = _indexes[key] = SearchIndex(settings)
        return found


def update_index(settings: Settings, graph: Graph, notify=None) -> dict:
    """Sync the index with the graph: {added, updated, removed, rebuilt} (all 0 when nothing changed)."""
    return _index_of(settings).sync(graph, notify)


def open_index(settings: Settings, graph: Graph | None = None) -> SearchIndex:
    """The repository's index, synced with `graph` (read from content/ when not given)."""
    if graph is None:
        from ..knowledge import load_graph
        graph = load_graph(settings)
    found = _index_of(settings)
    found.sync(graph)
    return found


# -- querying ------------------------------------------------------------------

_parsers: dict[int, tuple[fields.Schema, qparser.QueryParser]] = {}


def _parser(schema):
    """One parser per schema (building one costs more than parsing a query)."""
    found = _parsers.get(id(schema))
    if found is None or found[0] is not schema:
        found = _parsers[id(schema)] = (schema, _make_parser(schema))
    return found[1]


def _make_parser(schema, group=qparser.OrGroup.factory(0.9)):
    # `title:word`, `topics:word`, `kind:question` work; other names (url:, date:) are plain words
    searchable = fields.Schema(**{name: schema[name] for name in (*FIELD_BOOSTS, "kind")})
    parser = qparser.MultifieldParser(list(FIELD_BOOSTS), searchable, group=group)
    parser.remove_plugin_class(qparser.WildcardPlugin)  # `*` and `?` are just characters to a reader
    parser.add_plugin(qparser.FuzzyTermPlugin())  # `word~` asks for fuzzy matching explicitly
    return parser


def fuzziness(term: str) -> int:
    """Edits tolerated for a word the index does not know, by length (as Elasticsearch's AUTO):
    none up to 2 letters, 1 up to 5, 2 beyond — a typo near the end also changes the stem."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def parse_query(text: str, searcher):
    """The user's words as an OR query over all fields (more words matched score higher);
    a word that appears nowhere in the index is matched with a typo's tolerance (`fuzziness`)."""
    parsed = _parser(searcher.schema).parse(text)
    reader = searcher.reader()

    def tolerate(q):
        if isinstance(q, Term) and not isinstance(q, FuzzyTerm) and isinstance(q.text, str):
            edits = fuzziness(q.text)
            if edits and not any((f, q.text) in reader for f in FIELD_BOOSTS):
                return FuzzyTerm(q.fieldname, q.text, boost=q.boost, maxdist=edits, prefixlength=1)
            return q
        return q.apply(tolerate)

    return tolerate(parsed)


def _lead(stored: dict) -> str:
    """The start of the text, when the words matched only the title or topics."""
    text = stored.get("text") or ""
    cut = text[:SNIPPET_CHARS]
    return html.escape(cut + ("…" if len(text) > SNIPPET_CHARS else ""), quote=False)


def _snippets(searcher, q, stored: dict[int, dict]) -> dict[int, tuple[str, str | None]]:
    """docnum → (snippet of the text around the words `q` matched, the URL of the answer they
    are in or None). A question's text includes its answers; when the words are in one answer
    (see `_answer_of`), the snippet comes from it and the hit links to it.

    The match positions come from the index (the fields store characters), so the
    text is never analysed again."""
    reader = searcher.reader()
    spans = {name: defaultdict(list) for name in SNIPPET_FIELDS}
    wanted = sorted(stored)
    for name, term in _matched_terms(q, reader):
        if name in spans:
            for docnum, chars in _characters(searcher, name, term, wanted):
                spans[name][docnum] += [(start, end) for _, start, end in chars]
    fragmenter = PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=80, autotrim=True)
    formatter = HtmlFormatter(tagname="mark", between=" … ", classname="", termclass="")
    snippets = {}
    for docnum in wanted:
        for name in SNIPPET_FIELDS:
            found = sorted(set(spans[name].get(docnum, [])))
            answer = _answer_of(found, stored[docnum].get("answers") or [])
            if answer:
                start, end, _ = answer
                found = [(s, e) for s, e in found if start <= s and (end is None or s < end)]
            if found:
                text = stored[docnum].get(name) or ""
                tokens = [Token(startchar=start, endchar=end, matched=True, text=text[start:end])
                          for start, end in found]
                score = BasicFragmentScorer()  # the best fragment; of equals the first (whoosh's pick varies)
                fragments = [max(fragmenter.fragment_matches(text, tokens), key=lambda f: (score(f), -f.startchar))]
                snippet = re.sub(r'<mark class="[^"]*">', "<mark>", formatter.format(fragments)).strip()
                first, last = fragments[0].startchar, fragments[-1].endchar
                snippets[docnum] = (("… " if first > 0 else "") + snippet + (" …" if last < len(text) else ""),
                                    answer[2] if answer else None)
                break
    return snippets


def _characters(searcher, name: str, term: bytes, docnums: list[int]):
    """(docnum, [(position, start, end)]) where `term` occurs in `name` of the sorted `docnums`.
    whoosh's `skip_to` decodes the block it leaves and steps a posting at a time; this
    skips blocks by their headers and finds the document in the block by bisection."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        local = [d - offset for d in docnums if offset <= d < offset + reader.doc_count_all()]
        if not local or (name, term) not in reader:
            continue
        m = reader.postings(name, term)
        m = getattr(m, "child", m)  # unwrap the deletions filter: the documents wanted are live
        for docnum in local:
            if not m.is_active():
                break
            if isinstance(m, W3LeafMatcher):
                m._skip_to_block(lambda: docnum > m.block_max_id())
                if not m.is_active():
                    break
                m._read_ids()
                m._i = bisect.bisect_left(m._ids, docnum, m._i)
            elif m.id() < docnum:
                m.skip_to(docnum)
            if m.is_active() and m.id() == docnum:
                yield offset + docnum, m.value_as("characters")


def _answer_of(found: list[tuple[int, int]], answers: list[tuple[int, str]]) -> tuple[int, int | None, str] | None:
    """(start, end, url) in a question's text of the answer that holds most of the matched
    words `found` (character spans), when the question's own text holds none; else None."""
    if not answers or not found or found[0][0] < answers[0][0]:
        return None
    starts = [start for start, _ in answers]
    (best, count), = Counter(bisect.bisect_right(starts, start) - 1 for start, _ in found).most_common(1)
    if count * 2 <= len(found):
        return None
    end = starts[best + 1] if best + 1 < len(starts) else None
    return starts[best], end, answers[best][1]


def _matched_terms(q, reader) -> set[tuple[str, bytes]]:
    """The index terms `q` can match, fuzzy ones expanded (whoosh's own `existing_terms`
    reuses its `fieldname` argument as a loop variable and misses fields)."""
    found = set()
    for leaf in q.leaves():
        for name, text in leaf.expanded_terms(reader):
            term = reader.schema[name].to_bytes(text) if isinstance(text, str) else text
            if (name, term) in reader:
                found.add((name, term))
    return found


def _top(searcher, q, limit: int) -> list[tuple[int, float, dict]]:
    """(docnum, score, stored fields) of the best `limit` documents, best first; ties by docnum."""
    terms = _plain_terms(q)
    if terms is None:
        return [(r.docnum, r.score, r.fields()) for r in searcher.search(q, limit=limit)]
    best = heapq.nlargest(limit, _scores(searcher, terms).items(), key=lambda item: (item[1], -item[0]))
    return [(docnum, score, searcher.stored_fields(docnum)) for docnum, score in best]


def _plain_terms(q) -> list[Term] | None:
    """The words of a query that is only words OR-ed over the text fields (nearly every query), else None.
    (`parse_query` drops the parser's coordination `scale`; a query with one is left to whoosh.)"""
    if type(q) is Term:
        terms = [q]
    elif (type(q) is Or and q.boost == 1.0 and not q.minmatch and not q.scale
          and all(type(s) is Term for s in q.subqueries)):
        terms = q.subqueries
    else:
        return None
    return terms if all(t.fieldname in FIELD_BOOSTS and isinstance(t.text, str) for t in terms) else None


def _scores(searcher, terms: list[Term]) -> dict[int, float]:
    """docnum → score of every document matching any of `terms`: the score whoosh's
    `searcher.search` gives (the sum of BM25F per term, × the quality prior), computed a
    postings block at a time. whoosh's own matchers cost a few Python
    calls per posting and per document; this costs one loop step per posting."""
    weighting = searcher.weighting
    scores: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        present = [t for t in terms if (t.fieldname, t.text) in reader]
        if not present:
            continue
        sums: dict[int, float] = defaultdict(float)
        for t in present:
            name = t.fieldname
            idf, K1, boost = searcher.idf(name, t.text), weighting.K1, t.boost
            norms = _norms(reader, name, K1, weighting._field_B.get(name, weighting.B),
                           searcher.avg_field_length(name) or 1)
            for docnum, tf in _postings(reader, name, t.text):
                sums[docnum] += idf * ((tf * (K1 + 1)) / (tf + norms[docnum])) * boost
        quality = qualities(reader)
        deleted = reader.is_deleted if reader.has_deletions() else None
        for docnum, score in sums.items():
            if deleted is None or not deleted(docnum):
                scores[offset + docnum] = score * quality[docnum]
    return scores


def _norms(reader, fieldname: str, K1: float, B: float, avgfl: float) -> list[float]:
    """BM25's length normalisation `K1 × (1 − B + B × length / avgfl)` of each document of one
    segment (as whoosh's `bm25` computes it), kept per segment reader while avgfl stays."""
    cache = reader.__dict__.setdefault("_wol_norms", {})
    key = (fieldname, K1, B, avgfl)
    found = cache.get(key)
    if found is None:
        for old in [k for k in cache if k[0] == fieldname]:
            del cache[old]
        field_length = reader.doc_field_length
        found = cache[key] = [K1 * ((1 - B) + B * (field_length(d, fieldname, 1) or 1) / avgfl)
                              for d in range(reader.doc_count_all())]
    return found


def _postings(reader, fieldname: str, text: str):
    """(docnum, weight) of a term's postings in one segment, deleted documents included;
    a whole block at a time from whoosh's W3 matcher, else a posting at a time."""
    m = reader.postings(fieldname, text)
    m = getattr(m, "child", m)  # unwrap the deletions filter
    if not isinstance(m, W3LeafMatcher):
        while m.is_active():
            yield m.id(), m.weight()
            m.next()
        return
    while m.is_active():
        m._read_weights()  # also reads the block; its ids are deltas (whoosh decodes them a generator step each)
        yield from zip(accumulate(m._data[0]), m._weights)
        m._next_block()


def _hits(searcher, top, q=None) -> list[Hit]:
    """Hits for the (docnum, score, stored fields) found; with `q`, snippets of what it matched."""
    snippets = _snippets(searcher, q, {d: fields for d, _, fields in top}) if q is not None else {}
    hits = []
    for docnum, score, stored in top:
        snippet, answer_url = snippets.get(docnum) or (_lead(stored) if q is not None else "", None)
        hits.append(Hit(id=stored["id"], kind=stored["kind"], title=stored["title"],
                        url=answer_url or stored["url"], score=round(score, 3), snippet=snippet))
    return hits


def search(settings: Settings, query: str, limit: int = 10, graph: Graph | None = None) -> list[Hit]:
    """The best `limit` published posts and questions for `query`, best first, with snippets."""
    if not query.strip():
        return []
    ix = open_index(settings, graph)

    def run(searcher):
        q = parse_query(query, searcher)
        return _hits(searcher, _top(searcher, q, limit), q)

    return ix.query(run)


def similar(settings: Settings, title: str, limit: int = 5, graph: Graph | None = None) -> list[Hit]:
    """Posts and questions like a title being typed: an OR over its words, titles first; no snippets."""
    if not title.strip():
        return []
    ix = open_index(settings, graph)

    def run(searcher):
        analyzer = searcher.schema["title"].analyzer
        words = list(dict.fromkeys(t.text for t in analyzer(title)))
        if not words:
            return []
        q = Or([Term("title", w, boost=FIELD_BOOSTS["title"]) for w in words]
               + [Term("topics", w, boost=FIELD_BOOSTS["topics"]) for w in words]
               + [Term("text", w) for w in words])
        return _hits(searcher, _top(searcher, q, limit))

    return ix.query(run)


def render_snippet_terminal(snippet: str, bold) -> str:
    """A <mark> snippet → terminal text, each mark passed through `bold` (e.g. click.style)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(bold(html.unescape(p)) if i % 2 else html.unescape(p) for i, p in enumerate(parts))


def print_hits(settings: Settings, hits: list[Hit], as_json: bool, click) -> None:
    """`wol search` output: JSON, or per hit a bold title, kind and URL, and the snippet."""
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("No published post or question matches.", err=True)
        return
    base = settings.site_url.rstrip("/") + "/" if settings.site_url else "/"
    for hit in hits:
        click.echo(f"{click.style(hit.title, bold=True)}  ({hit.kind}, {hit.score:.2f})")
        click.echo(f"  {base}{hit.url}")
        if hit.snippet:
            click.echo("  " + render_snippet_terminal(hit.snippet, lambda s: click.style(s, bold=True)))
        click.echo()
