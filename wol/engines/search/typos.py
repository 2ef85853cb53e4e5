"""Typo tolerance, as readers expect it, for `wol search` and the search box alike.

A word the index does not know is matched to the known word forms (every one:
a word written once, kubernetes in one post, must be found) at the least optimal-string-alignment distance: an insert, a delete,
a substitution or a swap of two adjacent letters is one edit. Words of
`ONE_EDIT_FROM` letters or more tolerate one edit, of `TWO_EDITS_FROM` or more
two. The browser runs the same rule over the same forms (`static.py` writes
them, `wol-search.js` matches them); shared cases in tests hold the two together.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

ONE_EDIT_FROM = 4
TWO_EDITS_FROM = 8


def edits_allowed(word: str) -> int:
    """0, 1 or 2 edits, by the word's length."""
    return 2 if len(word) >= TWO_EDITS_FROM else 1 if len(word) >= ONE_EDIT_FROM else 0


def corrections(word: str, forms_by_length: dict[int, list[str]]) -> list[str]:
    """The known forms nearest to `word` (all of them at the least distance, within the edits
    allowed), in the order of `forms_by_length`; [] when none is near enough."""
    k = edits_allowed(word)
    if not k:
        return []
    candidates = [f for length in range(len(word) - k, len(word) + k + 1) for f in forms_by_length.get(length, ())]
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=k, limit=None)
    if not found:
        return []
    least = min(distance for _, distance, _ in found)
    return [form for form, distance, _ in sorted(found, key=lambda f: f[2]) if distance == least]


def forms_by_length(forms) -> dict[int, list[str]]:
    """{length: [form]} of these forms, each list sorted."""
    found: dict[int, list[str]] = {}
    for form in sorted(forms):
        found.setdefault(len(form), []).append(form)
    return found
