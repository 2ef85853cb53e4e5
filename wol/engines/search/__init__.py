"""Full-text search over published documents: the whoosh adapter (the only package importing whoosh).

What is indexed comes from `wol/stage/search.py` (Graph → entries). Here:
`schema` (fields, boosts, stemmer per `wol.language`), `index` (`SearchIndex`: the
index's life in the cache folder, owned by its caller), `query` (parsing with typo
tolerance, hits), `postings` (BM25F × the quality prior scored over whoosh's
postings, the one module on whoosh internals), `snippets`, and for the reader's box
`static` (the same weights, from `bm25`, written as shards), `analysis` and `typos`.
"""

__all__ = ["Hit", "SearchIndex", "StaticIndex"]


def __getattr__(name):
    """Each import waits for the command that needs it: whoosh for `wol search` and the live server (a
    build writes the box's shards without it), numpy for the build (`wol search` starts faster)."""
    if name == "StaticIndex":
        from .static import StaticIndex
        return StaticIndex
    if name == "SearchIndex":
        from .index import SearchIndex
        return SearchIndex
    if name == "Hit":
        from .query import Hit
        return Hit
    raise AttributeError(name)
