"""Queries: a reader's words → a whoosh query (typo tolerance, field boosts) → hits with snippets."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from whoosh import fields, qparser
from whoosh.query import FuzzyTerm, Or, Term

from .postings import top
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

    def as_dict(self) -> dict:
        return asdict(self)


def make_parser(schema, group=qparser.OrGroup.factory(0.9)) -> qparser.QueryParser:
    """The parser of a reader's words (building one costs more than parsing a query: keep it)."""
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


def swaps(word: str, analyzer) -> list[str]:
    """The indexed forms of `word` with two adjacent letters swapped (`kakfa` → `kafka`): one typo,
    as a reader counts it, though two edits for Levenshtein. Each is analysed again (stemmed): the
    swap may make a word the stemmer knows (`phisihng` → `phishing` → `phish`)."""
    forms = []
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            forms += [token.text for token in analyzer(swapped)][:1]
    return list(dict.fromkeys(forms))


def parse_query(text: str, searcher, parser):
    """The user's words as an OR query over all fields (more words matched score higher);
    a word that appears nowhere in the index is matched with a typo's tolerance (`fuzziness`)."""
    parsed = parser.parse(text)
    reader = searcher.reader()
    schema = searcher.schema

    def tolerate(q):
        if isinstance(q, Term) and not isinstance(q, FuzzyTerm) and isinstance(q.text, str):
            edits = fuzziness(q.text)
            if edits and not any((f, q.text) in reader for f in FIELD_BOOSTS):
                fuzzy = FuzzyTerm(q.fieldname, q.text, boost=q.boost, maxdist=edits, prefixlength=1)
                swapped = [Term(q.fieldname, w, boost=q.boost) for w in swaps(q.text, schema[q.fieldname].analyzer)
                           if (q.fieldname, w) in reader]
                return Or([fuzzy, *swapped]) if swapped else fuzzy
            return q
        return q.apply(tolerate)

    return tolerate(parsed)


def find(searcher, parser, text: str, limit: int) -> list[Hit]:
    """The best `limit` documents for a reader's words, with snippets."""
    q = parse_query(text, searcher, parser)
    return _hits(searcher, top(searcher, q, limit), q)


def find_similar(searcher, title: str, limit: int) -> list[Hit]:
    """Documents like a title being typed: an OR over its words, titles first; no snippets."""
    analyzer = searcher.schema["title"].analyzer
    words = list(dict.fromkeys(t.text for t in analyzer(title)))
    if not words:
        return []
    q = Or([Term("title", w, boost=FIELD_BOOSTS["title"]) for w in words]
           + [Term("topics", w, boost=FIELD_BOOSTS["topics"]) for w in words]
           + [Term("text", w) for w in words])
    return _hits(searcher, top(searcher, q, limit))


def _hits(searcher, found, q=None) -> list[Hit]:
    """Hits for the (docnum, score, stored fields) found; with `q`, snippets of what it matched."""
    marked = snippets(searcher, q, {d: stored for d, _, stored in found}) if q is not None else {}
    hits = []
    for docnum, score, stored in found:
        snippet, answer_url = marked.get(docnum) or (lead(stored) if q is not None else "", None)
        hits.append(Hit(id=stored["id"], kind=stored["kind"], title=stored["title"],
                        url=answer_url or stored["url"], score=round(score, 3), snippet=snippet,
                        state=stored.get("state", ""), answer=accepted_lead(stored)))
    return hits
