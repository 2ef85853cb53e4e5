"""Full-text search over published documents: the whoosh adapter (the only package importing whoosh).

What is indexed comes from `wol/stage/search.py` (Graph → entries). Here:
`schema` (fields, boosts, stemmer per `wol.language`), `index` (`SearchIndex`: the
index's life in the cache folder, owned by its caller), `query` (parsing with typo
tolerance, hits), `postings` (BM25F × the quality prior scored over whoosh's
postings, the one module on whoosh internals), `snippets`, and for the reader's box
`static` (the same weights, from `bm25`, written as shards), `analysis` and `typos`.
"""

from .index import SearchIndex
from .query import Hit

__all__ = ["Hit", "SearchIndex", "StaticIndex"]


def __getattr__(name):
    if name == "StaticIndex":  # numpy's import waits for the build that needs it (`wol search` starts faster)
        from .static import StaticIndex
        return StaticIndex
    raise AttributeError(name)
