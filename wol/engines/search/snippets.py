"""Snippets: the text around the words a query matched, from the character positions the index stores."""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter, defaultdict

from whoosh.analysis import Token
from whoosh.highlight import BasicFragmentScorer, HtmlFormatter, PinpointFragmenter

from .postings import characters

SNIPPET_CHARS = 200
SNIPPET_FIELDS = ("text",)


def lead(stored: dict) -> str:
    """The start of the text, when the words matched only the title or topics."""
    text = stored.get("text") or ""
    cut = text[:SNIPPET_CHARS]
    return html.escape(cut + ("…" if len(text) > SNIPPET_CHARS else ""), quote=False)


def accepted_lead(stored: dict) -> str:
    """The opening of a solved question's accepted answer (HTML-escaped), so the answer shows in the hit."""
    starts = stored.get("answers") or []
    text = stored.get("text") or ""
    for i, (start, url) in enumerate(starts):
        if url == stored.get("accepted"):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
            answer = text[start:end].strip()
            cut = answer[:SNIPPET_CHARS]
            return html.escape(cut + ("…" if len(answer) > SNIPPET_CHARS else ""), quote=False)
    return ""


def snippets(searcher, q, stored: dict[int, dict]) -> dict[int, tuple[str, str | None]]:
    """docnum → (snippet of the text around the words `q` matched, the URL of the answer they
    are in or None). A question's text includes its answers; when the words are in one answer
    (see `answer_of`), the snippet comes from it and the hit links to it.

    The match positions come from the index (the fields store characters), so the
    text is never analysed again."""
    reader = searcher.reader()
    spans = {name: defaultdict(list) for name in SNIPPET_FIELDS}
    wanted = sorted(stored)
    for name, term in _matched_terms(q, reader):
        if name in spans:
            for docnum, chars in characters(searcher, name, term, wanted):
                spans[name][docnum] += [(start, end) for _, start, end in chars]
    fragmenter = PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=80, autotrim=True)
    formatter = HtmlFormatter(tagname="mark", between=" … ", classname="", termclass="")
    found_snippets = {}
    for docnum in wanted:
        for name in SNIPPET_FIELDS:
            found = sorted(set(spans[name].get(docnum, [])))
            answer = answer_of(found, stored[docnum].get("answers") or [])
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
                found_snippets[docnum] = (("… " if first > 0 else "") + snippet + (" …" if last < len(text) else ""),
                                          answer[2] if answer else None)
                break
    return found_snippets


def answer_of(found: list[tuple[int, int]], answers: list[tuple[int, str]]) -> tuple[int, int | None, str] | None:
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
