"""Words as the index sees them: whoosh's analyzer per `wol.language`, in its two halves.

`schema.analyzer_for(language)` is tokenise → lower-case → stop words → stem.
Its `surface` half (without the stemmer) gives the word forms a reader types,
which the typo rule compares; `stem` maps a form to the term the index holds.
`Analysis.words` is the same chain as one regex pass; `tokens` (before stop
words), `keeps` (the stop-word and length rule, applied once per distinct word)
and the cached `stem` are its parts, for the static index, which counts every
document at once (`tests/search/test_static.py` and `test_index_build.py` hold
them equal to the analyzer).
"""

from __future__ import annotations

import re

from whoosh.analysis import CompositeAnalyzer, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language

from .schema import analyzer_for


class Analysis:
    """The analyzer of one language, split into its surface forms and its stemmer."""

    def __init__(self, analyzer):
        items = list(analyzer.items)
        self.surface = CompositeAnalyzer(*[i for i in items if not isinstance(i, StemFilter)])
        stemmer = next((i for i in items if isinstance(i, StemFilter)), None)
        if stemmer is None:
            self._stem_fn = None
        else:
            self._stem_fn = stemmer_for_language(stemmer.lang) if stemmer.lang else stemmer.stemfn
        stop = next((i for i in items if isinstance(i, StopFilter)), None)
        self.stop_words = frozenset(stop.stops) if stop else frozenset()
        self.min_length = stop.min if stop else 1
        self.max_length = stop.max if stop else None
        tokenizer = next(i for i in items if isinstance(i, RegexTokenizer))
        self._pattern = re.compile(re.sub(r"\((?!\?)", "(?:", tokenizer.expression.pattern),
                                   tokenizer.expression.flags)  # findall: whole matches
        self.known_stems: dict[str, str] = {}  # form → stem, of the forms stemmed so far
        self.cached_stems: dict[str, str] = {}  # form → stem, read from a cache (used only when asked for)

    @classmethod
    def of_language(cls, language: str) -> "Analysis":
        return cls(analyzer_for(language))

    @classmethod
    def of_schema(cls, schema) -> "Analysis":
        """The analysis of an index's text fields (they share one analyzer)."""
        return cls(schema["title"].analyzer)

    def stem(self, form: str) -> str:
        """The index term of a surface form (cached)."""
        found = self.known_stems.get(form)
        if found is None:
            found = self.cached_stems.get(form)
            if found is None:
                found = self._stem_fn(form) if self._stem_fn else form
            self.known_stems[form] = found
        return found

    def words(self, text: str) -> list[str]:
        """The surface forms of `text`, in order, as the surface analyzer yields them."""
        low, high, stop = self.min_length, self.max_length, self.stop_words
        forms = [w.lower() for w in self._pattern.findall(text or "")]
        return [w for w in forms if len(w) >= low and (high is None or len(w) <= high) and w not in stop]

    def tokens(self, text: str) -> list[str]:
        """The lower-cased words of `text` before stop words (`keeps` is their rule, once per distinct word)."""
        if text.isascii():  # lower-casing ASCII first changes no word boundary; one call instead of one a word
            return self._pattern.findall(text.lower())
        return [w.lower() for w in self._pattern.findall(text)]

    def keeps(self, form: str) -> bool:
        """Whether the analyzer keeps a lower-cased word (not a stop word, not too short or long)."""
        return form not in self.stop_words and len(form) >= self.min_length and (
            self.max_length is None or len(form) <= self.max_length)
