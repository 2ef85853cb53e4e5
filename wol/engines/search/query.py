"""Queries: a reader's words → a whoosh query (typo tolerance, field boosts) → hits with snippets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from whoosh import fields, qparser
from whoosh.query import FuzzyTerm, Or, Term

from .postings import top
from .analysis import Analysis
from .schema import FIELD_BOOSTS
from .snippets import accepted_lead, lead, snippets


@dataclass(frozen=True)
class Hit:
    """One search result, best first. `url` is site-relative; `snippet` is HTML-escaped text with <mark>s."""

    id: str
    kind: str
    title: str
    url: str
    score: float
    snippet: str
    state: str = ""  # a question's: unanswered, answered or solved
    answer: str = ""  # a solved question: the opening of its accepted answer, HTML-escaped
    topics: list[str] = field(default_factory=list)  # its topics (tags)
    date: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


SIMILAR_KINDS = ("post", "question")  # what the editor offers while a title is typed


def make_parser(schema, group=qparser.OrGroup) -> qparser.QueryParser:
    """The parser of a reader's words (building one costs more than parsing a query: keep it)."""
    # `title:word`, `topics:word`, `kind:question` work; other names (url:, date:) are plain words
    searchable = fields.Schema(**{name: schema[name] for name in (*FIELD_BOOSTS, "kind")})
    parser = qparser.MultifieldParser(list(FIELD_BOOSTS), searchable, group=group)
    parser.remove_plugin_class(qparser.WildcardPlugin)  # `*` and `?` are just characters to a reader
    parser.add_plugin(qparser.FuzzyTermPlugin())  # `word~` asks for fuzzy matching explicitly
    return parser


def parse_query(text: str, searcher, parser):
    """The user's words as an OR query over all fields (more words matched score higher);
    a word that appears nowhere in the index is replaced by its corrections (`typos.py`),
    so a misspelled word never hides the exact matches of the others."""
    parsed = parser.parse(text)
    reader = searcher.reader()
    analysis = _analysis(searcher)
    typed = {analysis.stem(w): w for w in analysis.words(text)}  # index term → the form typed

    def tolerate(q):
        if isinstance(q, Term) and not isinstance(q, FuzzyTerm) and isinstance(q.text, str):
            if any((f, q.text) in reader for f in FIELD_BOOSTS):
                return q
            from .typos import corrections  # rapidfuzz, and every form of the index: only for a word it lacks
            known = _known_forms(reader)
            stems = dict.fromkeys(analysis.stem(f) for f in corrections(typed.get(q.text, q.text), known))
            terms = [Term(q.fieldname, s, boost=q.boost) for s in stems if (q.fieldname, s) in reader]
            return Or(terms) if len(terms) > 1 else terms[0] if terms else q
        return q.apply(tolerate)

    return _flatten(tolerate(parsed))


def _flatten(q):
    """An OR of ORs of plain terms → one OR of its distinct terms (what `postings.top` scores fast)."""
    if type(q) is Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        leaves = []
        for sub in q.subqueries:
            sub = _flatten(sub)
            parts = sub.subqueries if type(sub) is Or and sub.boost == 1.0 and not sub.minmatch and not sub.scale \
                else [sub]
            leaves += [p for p in parts if p not in leaves]
        return Or(leaves) if len(leaves) != 1 else leaves[0]
    return q


def _analysis(searcher) -> Analysis:
    found = searcher.__dict__.get("_wol_analysis")
    if found is None:
        found = searcher.__dict__["_wol_analysis"] = Analysis.of_schema(searcher.schema)
    return found


def _known_forms(reader) -> dict[int, list[str]]:
    """{length: [form]} of the index's word forms, read once per reader: the field's terms alone (its
    lexicon), not each term's statistics (a tenth of the time)."""
    found = reader.__dict__.get("_wol_forms")
    if found is None:
        from .typos import forms_by_length
        forms = (text.decode("utf-8") if isinstance(text, bytes) else text
                 for text in reader.lexicon("forms")) if "forms" in reader.schema else ()
        found = reader.__dict__["_wol_forms"] = forms_by_length(forms)
    return found


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed the results to: a kind, a question's state, a topic (None: any)."""

    kind: str | None = None
    state: str | None = None
    topic: str | None = None

    def keep(self, stored: dict) -> bool:
        return ((self.kind is None or stored.get("kind") == self.kind)
                and (self.state is None or stored.get("state") == self.state)
                and (self.topic is None or self.topic in (stored.get("tags") or "").split()))


def find(searcher, parser, text: str, limit: int, filters: Filters | None = None, meaning=None) -> list[Hit]:
    """The best `limit` documents for a reader's words, with snippets; with `meaning` (→ (vectors,
    documents) of `semantic/dense.py`, or None), documents near in meaning when no document has every word."""
    q = parse_query(text, searcher, parser)
    keep = filters.keep if filters and (filters.kind or filters.state or filters.topic) else None
    if meaning is not None:
        words = list(dict.fromkeys(_analysis(searcher).words(text)))
        from .fusion import MIN_WORDS
        if MIN_WORDS <= len(words) <= 30 and not _every_word_somewhere(searcher, words):  # else: words alone
            found = _fused(searcher, q, words, limit, keep, meaning)
            if found is not None:
                return _hits(searcher, found, q)
    return _hits(searcher, top(searcher, q, limit, keep), q)


def _groups(searcher, words: list[str]) -> list[list[str]]:
    """Each query word's index terms: its stem, or the stems of its typo corrections (as `parse_query`)."""
    reader, analysis = searcher.reader(), _analysis(searcher)
    groups = []
    for word in words:
        stem = analysis.stem(word)
        if any((f, stem) in reader for f in FIELD_BOOSTS):
            groups.append([stem])
            continue
        from .typos import corrections
        stems = dict.fromkeys(analysis.stem(c) for c in corrections(word, _known_forms(reader)))
        groups.append([s for s in stems if any((f, s) in reader for f in FIELD_BOOSTS)])
    return groups


def _every_word_somewhere(searcher, words: list[str]) -> bool:
    """Whether one document has every word of the query (any field; a typo's corrections count)."""
    from .postings import documents
    common = None
    for group in _groups(searcher, words):
        found = documents(searcher, [Term(f, s) for s in group for f in FIELD_BOOSTS])
        common = found if common is None else common & found
        if not common:
            return False
    return bool(common)


def _fused(searcher, q, words: list[str], limit: int, keep, meaning):
    """(docnum, score, stored) of the best `limit` by `fusion.fuse`, or None when the query has no
    vector (no word the model or the index knows) or is not plain words."""
    from ..semantic.dense import query_vector
    from .fusion import DENSE, MIN_WORDS, fuse
    from .postings import first, plain_terms, scores
    loaded = meaning()
    if loaded is None:
        return None
    vectors, documents = loaded
    known = [v for v in (vectors.word(w) for w in words) if v is not None]
    vector = query_vector(known) if len(known) >= MIN_WORDS else None
    terms = plain_terms(q) if q is not None else None
    if vector is None or (terms is None and q is not None):
        return None
    lexical = scores(searcher, terms) if terms else {}
    cosine = {}
    for doc_id, value in documents.nearest(vector, DENSE).items():
        docnum = searcher.document_number(id=doc_id)
        if docnum is not None:
            cosine[docnum] = value
    return first(searcher, fuse(lexical, cosine), limit, keep)


def find_similar(searcher, title: str, limit: int, meaning=None) -> list[Hit]:
    """Documents like a title being typed: an OR over its words, titles first, and with `meaning` the
    documents nearest to it in meaning (a duplicate asked in other words); no snippets."""
    analyzer = searcher.schema["title"].analyzer
    words = list(dict.fromkeys(t.text for t in analyzer(title)))
    if not words:
        return []
    q = Or([Term("title", w, boost=FIELD_BOOSTS["title"]) for w in words]
           + [Term("topics", w, boost=FIELD_BOOSTS["topics"]) for w in words]
           + [Term("text", w) for w in words])
    keep = lambda stored: stored.get("kind") in SIMILAR_KINDS  # noqa: E731
    if meaning is not None:
        found = _fused(searcher, q, list(dict.fromkeys(_analysis(searcher).words(title))), limit, keep, meaning)
        if found is not None:
            return _hits(searcher, found)
    return _hits(searcher, top(searcher, q, limit, keep))


def _hits(searcher, found, q=None) -> list[Hit]:
    """Hits for the (docnum, score, stored fields) found; with `q`, snippets of what it matched."""
    marked = snippets(searcher, q, {d: stored for d, _, stored in found}) if q is not None else {}
    hits = []
    for docnum, score, stored in found:
        snippet, answer_url = marked.get(docnum) or (lead(stored) if q is not None else "", None)
        hits.append(Hit(id=stored["id"], kind=stored["kind"], title=stored["title"],
                        url=answer_url or stored["url"], score=round(score, 3), snippet=snippet,
                        state=stored.get("state", ""), answer=accepted_lead(stored),
                        topics=(stored.get("tags") or "").split(), date=stored.get("date") or ""))
    return hits
