"""The whoosh schema: fields, their boosts, the stemmer per `wol.language`, and the codec."""

from __future__ import annotations

from whoosh import columns, fields
from whoosh.analysis import CompositeAnalyzer, LanguageAnalyzer, StemFilter, StemmingAnalyzer
from whoosh.codec.whoosh3 import W3Codec

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `wol search` answers from the index without importing the staging step
    from ...stage.search import Entry

FORMAT = 11  # bump when the schema or what is indexed changes: old indexes are rebuilt (11: plain segment files)
FIELD_BOOSTS = {"title": 3.0, "topics": 2.0, "text": 1.0, "author": 0.5}
# related: the semantic expansion (docs/semantic.md), weak enough that a word the document
# really has outweighs it


def analyzer_for(language: str):
    """English: whoosh's StemmingAnalyzer (Porter); another language: its LanguageAnalyzer
    (stop words and Snowball stemmer where whoosh has them, else plain words)."""
    lang = (language or "en").lower().replace("_", "-").split("-")[0]
    if lang == "en":
        return StemmingAnalyzer()
    analyzer = LanguageAnalyzer(lang)
    try:
        list(analyzer("probe سلام мир 中文"))  # whoosh's Arabic stemmer fails on Python 3.11 (a bad regex)
    except Exception:
        return CompositeAnalyzer(*[i for i in analyzer.items if not isinstance(i, StemFilter)])  # plain words
    return analyzer


def surface_analyzer(language: str):
    """`analyzer_for(language)` without its stemmer: the word forms a reader types (typo candidates)."""
    return CompositeAnalyzer(*[i for i in analyzer_for(language).items if not isinstance(i, StemFilter)])


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
        state=fields.STORED(),  # a question's state
        accepted=fields.STORED(),  # a solved question's accepted answer (its URL)
        tags=fields.STORED(),  # its topics, space-separated (filters)
        forms=fields.TEXT(analyzer=surface_analyzer(language), phrase=False),  # unscored: the typo rule's words
        quality=fields.COLUMN(columns.NumericColumn("f", default=1.0)),
    )


def document_of(entry: Entry) -> dict:
    """The whoosh document of an entry (`answers`: where each answer starts in `text`)."""
    text, starts = entry.text()
    forms = "\n".join((entry.title, entry.topics, text, entry.author))
    return dict(id=entry.id, kind=entry.kind, title=entry.title, url=entry.url, text=text, answers=starts, forms=forms,
                topics=entry.topics, author=entry.author, date=entry.date, quality=entry.quality,
                state=entry.state, accepted=entry.accepted, tags=" ".join(entry.tags))


class Codec(W3Codec):
    """whoosh's codec without per-block document-length statistics: writing them looks up a
    length for every posting (a tenth of the build); they only tighten whoosh's pruning bounds,
    which wol's scoring loop (`postings.scores`) does not use (BM25 reads the lengths stored
    per document, still written)."""

    length_stats = False
